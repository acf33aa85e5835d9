"""Property: however an attacker with database access tampers with the ledger, verify finds it and
names where (the first bad entry, or the first checkpoint that no longer holds).

The attacker drops the append-only triggers (bastion/audit/tests/tampering.py). "naive" leaves the
hashes as they are; "rehash" recomputes the chain after the change and fixes the head; "resign"
also re-signs the database's checkpoints with the real key. The chain catches the first, the
signed Merkle roots the second, the witness file the third. Every attack runs as its own
parameter, so each is exercised in every run; Hypothesis picks sizes, checkpoints and positions.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.audit.actions import write_checkpoint
from bastion.audit.tests import tampering
from bastion.audit.tests.ledger_rows import append_entries
from bastion.audit.verify import verify_ledger

ATTACKS = [("edit", "naive"), ("edit", "rehash"), ("edit", "resign"), ("delete", "naive"),
           ("insert", "naive"), ("insert", "hashed"), ("insert", "rehash"), ("insert", "resign"),
           ("swap", "naive"), ("swap", "rehash"), ("swap", "resign"),
           ("truncate", "naive"), ("truncate", "fix head"), ("truncate", "drop checkpoints"), ("old copy", "restore")]


def _build(sizes: list[int], snapshot_after: int | None) -> dict | None:
    """Append entries up to each size in turn and sign a checkpoint there."""
    copy, done = None, 0
    for size in sizes:
        append_entries(size - done, start=done)
        write_checkpoint()
        done = size
        if size == snapshot_after:
            copy = tampering.snapshot()
    return copy


def _first_at_least(sizes: list[int], seq: int) -> int:
    return min(size for size in sizes if size >= seq)


def _attack(kind: str, depth: str, n: int, sizes: list[int], copy: dict | None, snapshot_at: int | None,
            data) -> tuple[int | None, int | None]:
    """Tamper; return where verify must point: (first bad seq, first bad checkpoint's tree size)."""
    if kind == "edit":
        seq = data.draw(st.integers(1, n), label="seq")
        tampering.edit(seq, data.draw(st.sampled_from(("payload", "actor", "action", "subject")), label="field"),
                       depth)
        return (seq, None) if depth == "naive" else (None, _first_at_least(sizes, seq))
    if kind == "delete":
        seq = data.draw(st.integers(1, n), label="seq")
        tampering.delete(seq)
        return (seq, None) if seq < n else (n, n)  # the last one: the checkpoint at n is past the end
    if kind == "insert":
        seq = data.draw(st.integers(1, n), label="seq")
        tampering.insert(seq, depth)
        if depth == "naive":
            return seq, None
        if depth == "hashed":  # the forged entry chains, the one it displaced does not...
            return (None, seq) if seq in sizes else (seq + 1, None)  # ...unless a checkpoint at seq comes first
        return None, _first_at_least(sizes, seq)
    if kind == "swap":
        first = data.draw(st.integers(1, n - 1), label="first")
        tampering.swap(first, data.draw(st.integers(first + 1, n), label="second"), depth)
        return (first, None) if depth == "naive" else (None, _first_at_least(sizes, first))
    if kind == "truncate":
        keep = data.draw(st.integers(0, n - 1), label="keep")
        tampering.truncate(keep, fix_head=depth != "naive", drop_checkpoints=depth == "drop checkpoints")
        return keep + 1, _first_at_least(sizes, keep + 1)
    tampering.restore(copy)
    return snapshot_at + 1, _first_at_least(sizes, snapshot_at + 1)


@pytest.mark.django_db
@pytest.mark.parametrize("kind,depth", ATTACKS)
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_verify_finds_and_names_every_tampering(settings, tmp_path, kind, depth, data):
    # Function-scoped fixtures are shared by examples: each example wipes the ledger (in the
    # test's transaction) and gets its own witness file.
    tampering.wipe()
    settings.AUDIT_WITNESS_FILE = tmp_path / f"witness-{uuid.uuid4().hex}.log"
    n = data.draw(st.integers(min_value=3, max_value=20), label="entries")
    sizes = sorted(set(data.draw(st.lists(st.integers(1, n - 1), max_size=3), label="checkpoints"))
                   | {n} | ({n // 2} if kind == "old copy" else set()))
    snapshot_at = data.draw(st.sampled_from(sizes[:-1]), label="snapshot") if kind == "old copy" else None
    copy = _build(sizes, snapshot_at)
    assert verify_ledger().ok

    expected = _attack(kind, depth, n, sizes, copy, snapshot_at, data)

    report = verify_ledger()
    assert not report.ok
    assert (report.seq, report.checkpoint) == expected, report.cause
    assert report.cause and "\n" not in report.cause
