"""`verify_ledger` and `bastion audit verify|checkpoint|proof`: what is sound, what is not, and where."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bastion.audit import signing, witness
from bastion.audit.actions import write_checkpoint
from bastion.audit.immutability import drop_append_only_triggers
from bastion.audit.models import Checkpoint, LedgerEntry
from bastion.audit.tests.ledger_rows import append_entries
from bastion.audit.verify import verify_ledger
from bastion.cli import main
from bastion.testing.ledger import ledger_unlocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    """Ten entries, checkpoints at 4 and 10, both witnessed."""
    append_entries(4)
    write_checkpoint()
    append_entries(6, start=4)
    write_checkpoint()


def _err(capsys) -> str:
    """Standard error as one line: rich wraps long lines at 80 columns when not on a terminal."""
    return " ".join(capsys.readouterr().err.split())


def _where(report):
    return report.ok, report.seq, report.checkpoint


def test_a_sound_ledger_verifies(ledger):
    report = verify_ledger(batch_size=3)
    assert (report.ok, report.entries, report.checkpoints, report.witnessed, report.cause) == (True, 10, 2, 2, "")
    assert report.root_hash == Checkpoint.objects.get(tree_size=10).root_hash


def test_an_empty_ledger_verifies():
    assert (verify_ledger().ok, verify_ledger().entries) == (True, 0)


def test_entries_after_the_last_checkpoint_are_checked_by_the_chain(ledger):
    append_entries(2, start=10)
    assert verify_ledger().ok
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=12).update(subject="thing:forged")
    report = verify_ledger()
    assert _where(report) == (False, 12, None)
    assert report.cause == "entry #12: its content does not match its hash"


def test_a_checkpoint_not_yet_witnessed_is_fine(ledger, settings):
    lines = settings.AUDIT_WITNESS_FILE.read_text().splitlines()
    settings.AUDIT_WITNESS_FILE.write_text(lines[0] + "\n")
    report = verify_ledger()
    assert (report.ok, report.checkpoints, report.witnessed) == (True, 2, 1)


def test_a_missing_witness_file_is_a_failure(ledger, settings):
    settings.AUDIT_WITNESS_FILE.unlink()
    report = verify_ledger()
    assert not report.ok
    assert report.cause == (f"the witness file {settings.AUDIT_WITNESS_FILE} is missing but the database holds "
                            "2 checkpoints")


def test_a_forged_witness_line_is_named(ledger, settings):
    lines = settings.AUDIT_WITNESS_FILE.read_text().splitlines()
    forged = {**json.loads(lines[1]), "root_hash": "ab" * 32}
    settings.AUDIT_WITNESS_FILE.write_text(lines[0] + "\n" + json.dumps(forged) + "\n")
    report = verify_ledger()
    assert _where(report) == (False, None, 10)
    assert report.cause == "line 2 of the witness file: its signature does not verify"


def test_a_checkpoint_with_a_bad_signature_is_named(ledger):
    with ledger_unlocked():
        Checkpoint.objects.filter(tree_size=4).update(signature="00" * 64)
    report = verify_ledger()
    assert _where(report) == (False, None, 4)
    assert report.cause == "checkpoint at tree size 4: its signature does not verify"


def test_a_checkpoint_signed_with_another_key_is_named(ledger, settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "other.key"
    signing.load_signing_key()
    report = verify_ledger()
    assert not report.ok
    assert report.cause.startswith("line 1 of the witness file: it is signed by key ")


def test_a_witnessed_checkpoint_missing_from_the_database_is_a_rewrite(ledger):
    with ledger_unlocked():
        Checkpoint.objects.filter(tree_size=4).delete()
    report = verify_ledger()
    assert _where(report) == (False, None, 4)
    assert report.cause == ("the witnessed checkpoint at tree size 4 is missing from the database: "
                            "the database was rewritten")


def test_missing_triggers_fail_verification(ledger):
    drop_append_only_triggers(connection)  # rolled back with the test
    report = verify_ledger()
    assert not report.ok
    assert report.cause.startswith("the entries verify but the append-only triggers are missing: ")


def test_the_command_line_says_sound_or_one_line_of_cause(ledger, capsys):
    assert main(["audit", "verify"]) == 0
    assert "Ledger sound: 10 entries, 2 checkpoints (2 witnessed)" in capsys.readouterr().err
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=7).update(payload="{}")
    assert main(["audit", "verify"]) == 1
    assert _err(capsys) == "bastion audit: error: entry #7: its content does not match its hash"


def test_the_command_line_writes_checkpoints_on_demand(capsys):
    assert main(["audit", "checkpoint"]) == 0
    assert _err(capsys) == "The ledger is empty: nothing to sign."
    append_entries(3)
    assert main(["audit", "checkpoint"]) == 0
    root = Checkpoint.objects.get().root_hash
    assert _err(capsys) == f"Checkpoint signed: tree size 3, root {root}."
    assert main(["audit", "checkpoint"]) == 0
    assert _err(capsys) == "The ledger has not grown since checkpoint 3: nothing new to sign."
    assert witness.last_tree_size() == 3


def test_the_command_line_prints_proofs_as_json(ledger, capsys):
    assert main(["audit", "proof", "inclusion", "3"]) == 0
    proof = json.loads(capsys.readouterr().out)
    assert (proof["kind"], proof["leaf_index"], proof["tree_size"], proof["entry"]["seq"]) == (
        "bastion-ledger-inclusion-proof", 2, 10, 3)
    assert main(["audit", "proof", "inclusion", "3", "--tree-size", "4"]) == 0
    assert json.loads(capsys.readouterr().out)["tree_size"] == 4
    assert main(["audit", "proof", "consistency", "4", "10"]) == 0
    proof = json.loads(capsys.readouterr().out)
    assert (proof["first"]["tree_size"], proof["second"]["tree_size"]) == (4, 10)


@pytest.mark.parametrize("argv,cause", [
    (["proof", "inclusion", "5", "--tree-size", "4"], "entry #5 is not in the tree of size 4"),
    (["proof", "inclusion", "11"], "entry #11 is not in the tree of size 10; run `bastion audit checkpoint` first"),
    (["proof", "inclusion", "1", "--tree-size", "7"], "no checkpoint at tree size 7: proofs are given against "
                                                      "signed trees"),
    (["proof", "consistency", "10", "4"], "no consistency proof from tree size 10 to 4: need 0 < M <= N"),
])
def test_proofs_that_cannot_be_given_fail_with_one_line(ledger, capsys, argv, cause):
    assert main(["audit", *argv]) == 1
    assert _err(capsys) == f"bastion audit: error: {cause}"


def test_no_proof_is_given_over_a_changed_ledger(ledger, capsys):
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=2).update(entry_hash="ab" * 32)
    assert main(["audit", "proof", "inclusion", "1", "--tree-size", "4"]) == 1
    assert _err(capsys) == ("bastion audit: error: the ledger no longer matches checkpoint 4: "
                            "run `bastion audit verify`")
