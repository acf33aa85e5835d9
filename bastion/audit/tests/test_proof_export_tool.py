"""Proofs exported from a test database, checked by tools/verify_ledger_proof.py in its own process."""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.audit import signing
from bastion.audit.actions import write_checkpoint
from bastion.audit.proofs import consistency_proof_for, inclusion_proof_for
from bastion.audit.tests.ledger_rows import append_entries

TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_ledger_proof.py"


def _load_tool():
    spec = importlib.util.spec_from_file_location("verify_ledger_proof", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(proof, tmp_path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    if stdin is None:
        path = tmp_path / "proof.json"
        path.write_text(json.dumps(proof) if not isinstance(proof, str) else proof)
        argv = [str(path), *args]
    else:
        argv = ["-", *args]
    done = subprocess.run([sys.executable, str(TOOL), *argv], input=stdin, capture_output=True, text=True,
                          timeout=60, check=False)
    return done.returncode, (done.stdout + done.stderr).strip()


@pytest.fixture
def ledger(db):
    """Thirteen entries (one with non-ASCII text), checkpoints at 5 and 13."""
    append_entries(5)
    write_checkpoint()
    append_entries(8, start=5)
    write_checkpoint()
    return signing.raw_public_key(signing.load_signing_key().public_key()).hex()


def test_the_tool_uses_only_the_standard_library_and_cryptography():
    imported = set()
    for node in ast.walk(ast.parse(TOOL.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported - sys.stdlib_module_names == {"cryptography"}


def test_an_exported_inclusion_proof_holds(ledger, tmp_path):
    proof = inclusion_proof_for(seq=4)
    assert _run(proof, tmp_path, "--public-key", ledger) == (
        0, "proof holds: entry #4 (thing.done thing:3) is in the signed tree of size 13")
    assert _run(None, tmp_path, stdin=json.dumps(inclusion_proof_for(seq=5, tree_size=5)))[0] == 0


def test_an_exported_consistency_proof_holds(ledger, tmp_path):
    assert _run(consistency_proof_for(first=5, second=13), tmp_path, "--public-key", ledger) == (
        0, "proof holds: the signed tree of size 13 extends the signed tree of size 5")


def _tampered(proof: dict, change) -> dict:
    changed = copy.deepcopy(proof)
    change(changed)
    return changed


def _flip(hex_hash: str) -> str:
    return f"{int(hex_hash[0], 16) ^ 1:x}{hex_hash[1:]}"


def _rehash(proof: dict) -> None:
    """A forger who edits the entry also recomputes its entry hash."""
    proof["entry"]["actor"] = "user:forged"
    tool = _load_tool()
    proof["entry_hash"] = tool.hashlib.sha256(tool.canonical_json(proof["entry"]).encode()).hexdigest()


@pytest.mark.parametrize("change,cause", [
    (lambda p: p["entry"].update(actor="user:forged"), "entry #4: its fields do not hash to its entry hash"),
    (_rehash, "the audit path does not lead from entry #4 to the signed root"),
    (lambda p: p["audit_path"].__setitem__(1, _flip(p["audit_path"][1])),
     "the audit path does not lead from entry #4 to the signed root"),
    (lambda p: p["audit_path"].pop(), "the audit path does not lead from entry #4 to the signed root"),
    (lambda p: p.update(leaf_index=4), "entry #4 cannot be leaf 4"),
    (lambda p: p.update(root_hash=_flip(p["root_hash"])), "the proof's tree size or root differs from its signed "
                                                          "checkpoint"),
    (lambda p: (p["checkpoint"].update(root_hash=_flip(p["checkpoint"]["root_hash"])),
                p.update(root_hash=p["checkpoint"]["root_hash"])), "the checkpoint: the signature does not verify"),
    (lambda p: p["checkpoint"].update(tree_size=14), "the checkpoint: the signature does not verify"),
])
def test_a_changed_inclusion_proof_does_not_hold(ledger, tmp_path, change, cause):
    assert _run(_tampered(inclusion_proof_for(seq=4), change), tmp_path) == (1, f"proof does not hold: {cause}")


def test_a_consistency_proof_for_a_rewritten_history_does_not_hold(ledger, tmp_path):
    proof = consistency_proof_for(first=5, second=13)
    bad = _tampered(proof, lambda p: p["consistency_path"].__setitem__(0, _flip(p["consistency_path"][0])))
    assert _run(bad, tmp_path) == (
        1, "proof does not hold: the signed tree of size 13 does not extend the signed tree of size 5")
    swapped = _tampered(proof, lambda p: p.update(first=p["second"], second=p["first"]))
    assert _run(swapped, tmp_path)[0] == 1


def test_a_proof_signed_by_another_key_does_not_hold_when_the_key_is_pinned(ledger, tmp_path, settings):
    genuine = inclusion_proof_for(seq=1)
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "impostor.key"
    signing.load_signing_key()
    impostor = _tampered(genuine, lambda p: p.update(public_key=signing.raw_public_key(
        signing.load_signing_key().public_key()).hex()))
    assert _run(impostor, tmp_path, "--public-key", ledger) == (
        1, "proof does not hold: the proof carries a different public key from the pinned one")
    assert _run(impostor, tmp_path)[0] == 1  # the genuine signature does not verify under the impostor's key


def test_malformed_input_fails_with_one_line(tmp_path):
    assert _run("{not json", tmp_path)[0] == 1
    assert _run({"kind": "something-else", "public_key": "00" * 32}, tmp_path) == (
        1, "proof does not hold: unknown proof kind 'something-else'")
    assert _run({"kind": "bastion-ledger-inclusion-proof", "public_key": "zz"}, tmp_path) == (
        1, "proof does not hold: the public key is not 32 bytes of hex")


def test_the_tool_accepts_every_proof_the_ledger_exports(ledger):
    """In-process, for speed: every entry in both signed trees, and both consistency proofs."""
    tool = _load_tool()
    for size in (5, 13):
        for seq in range(1, size + 1):
            assert tool.verify(inclusion_proof_for(seq=seq, tree_size=size), ledger).startswith(f"entry #{seq} ")
    for first, second in ((5, 13), (5, 5), (13, 13)):
        assert tool.verify(consistency_proof_for(first=first, second=second), ledger)
