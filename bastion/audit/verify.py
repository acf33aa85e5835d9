"""Verifying the ledger: the hash chain, then checkpoints, signatures and the witness file.

verify_chain answers "do the stored entries chain?" (the console shows it on every visit).
verify_ledger answers the auditor's question, "is this the ledger that was written?": it walks
the entries once, and at every checkpointed or witnessed tree size compares the Merkle root of
the entries walked so far with the signed checkpoint and with the witness line. It names the
first bad entry (seq) or checkpoint (tree size) it meets, in ledger order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from bastion.audit import merkle, signing, witness
from bastion.audit.chain import GENESIS_HASH, entry_hash, entry_leaf_hash
from bastion.audit.immutability import missing_append_only_triggers
from bastion.audit.models import Checkpoint, LedgerEntry, LedgerHead


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    reason: str = ""


def entry_problem(entry: LedgerEntry, *, seq: int, prev_hash: str) -> str:
    """Why `entry` cannot be entry #seq following an entry whose hash is `prev_hash` ("" if it can)."""
    if entry.seq != seq:
        return f"entry #{seq} is missing (found #{entry.seq})"
    if entry.prev_hash != prev_hash:
        return "its link to the previous entry is broken"
    digest = entry_hash(seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor, action=entry.action,
                        subject=entry.subject, payload=entry.payload, prev_hash=entry.prev_hash)
    if digest != entry.entry_hash:
        return "its content does not match its hash"
    return ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = entry_problem(entry, seq=expected_seq, prev_hash=expected_prev)
        if problem:
            return ChainReport(count, False, expected_seq, problem)
        expected_prev, expected_seq, count = entry.entry_hash, expected_seq + 1, count + 1
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.entry_hash != expected_prev):
        return ChainReport(count, False, count + 1, f"the head says #{head.seq} but the chain ends at #{count}")
    return ChainReport(count, True)


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    entries: int = 0
    checkpoints: int = 0
    witnessed: int = 0
    root_hash: str = ""
    cause: str = ""
    seq: int | None = None
    checkpoint: int | None = None


class _Bad(Exception):
    def __init__(self, cause: str, *, seq: int | None = None, checkpoint: int | None = None) -> None:
        super().__init__(cause)
        self.cause, self.seq, self.checkpoint = cause, seq, checkpoint


def verify_ledger(batch_size: int = 5000) -> LedgerReport:
    """The full check behind `bastion audit verify`; ok, or the one-line cause and where."""
    try:
        return _verify(batch_size)
    except _Bad as bad:
        return LedgerReport(False, cause=bad.cause, seq=bad.seq, checkpoint=bad.checkpoint)


def _verify(batch_size: int) -> LedgerReport:
    checkpoints = {c.tree_size: c for c in Checkpoint.objects.order_by("tree_size")}
    try:
        records = witness.read()
    except witness.WitnessError as exc:
        raise _Bad(str(exc)) from exc
    if records is None and checkpoints:
        raise _Bad(f"the witness file {witness.witness_path()} is missing but the database holds "
                   f"{len(checkpoints)} checkpoints")
    public_key = _public_key() if checkpoints or records else None
    witnessed = _witnessed_by_size(records or [], public_key)
    marks = sorted(set(checkpoints) | set(witnessed))

    tree, leaves, expected_prev, count = merkle.CompactTree(), [], GENESIS_HASH, 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = entry_problem(entry, seq=count + 1, prev_hash=expected_prev)
        if problem:
            raise _Bad(f"entry #{count + 1}: {problem}", seq=count + 1)
        leaf = entry_leaf_hash(entry.entry_hash)
        tree.append(leaf)
        leaves.append(leaf)
        expected_prev, count = entry.entry_hash, count + 1
        if count in checkpoints or count in witnessed:
            _check_tree_size(count, tree.root().hex(), checkpoints.get(count), witnessed.get(count), public_key)

    beyond = [size for size in marks if size > count]
    if beyond:
        kind = "checkpoint" if beyond[0] in checkpoints else "witnessed checkpoint"
        raise _Bad(f"the {kind} at tree size {beyond[0]} is beyond the end of the ledger (#{count}): entries "
                   "were removed or the database was rolled back", seq=count + 1, checkpoint=beyond[0])
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.entry_hash != expected_prev):
        raise _Bad(f"the head says #{head.seq} but the chain ends at #{count}", seq=min(head.seq, count) + 1)
    if witnessed:
        _check_extends_witness(max(witnessed), witnessed[max(witnessed)], leaves)
    missing = missing_append_only_triggers(connection)
    if missing:
        raise _Bad(f"the entries verify but the append-only triggers are missing: {', '.join(missing)}")
    return LedgerReport(True, entries=count, checkpoints=len(checkpoints), witnessed=len(witnessed),
                        root_hash=tree.root().hex())


def _public_key():
    try:
        return signing.load_signing_key(create=False).public_key()
    except ImproperlyConfigured as exc:
        raise _Bad(f"cannot check checkpoint signatures: {exc}") from exc


def _signature_problem(public_key, record: dict[str, object]) -> str:
    if record["key_id"] != signing.key_id(public_key):
        return f"it is signed by key {record['key_id']}, not by this ledger's key {signing.key_id(public_key)}"
    if not signing.signature_holds(public_key, tree_size=record["tree_size"], root_hash=record["root_hash"],
                                   signed_at=record["signed_at"], signature=record["signature"]):
        return "its signature does not verify"
    return ""


def _witnessed_by_size(records: list[witness.WitnessRecord], public_key) -> dict[int, witness.WitnessRecord]:
    """One record per tree size, each signed by this ledger's key: a forged line is the witness
    file's fault, not the database's, and is named as such."""
    by_size: dict[int, witness.WitnessRecord] = {}
    for record in records:
        problem = _signature_problem(public_key, record.fields())
        if problem:
            raise _Bad(f"line {record.line} of the witness file: {problem}", checkpoint=record.tree_size)
        earlier = by_size.setdefault(record.tree_size, record)
        if earlier.fields() != record.fields():
            raise _Bad(f"the witness file holds two different checkpoints at tree size {record.tree_size} "
                       f"(lines {earlier.line} and {record.line})", checkpoint=record.tree_size)
    return by_size


def _check_tree_size(size: int, root_hash: str, checkpoint: Checkpoint | None,
                     seen: witness.WitnessRecord | None, public_key) -> None:
    if checkpoint is not None:
        if checkpoint.root_hash != root_hash:
            raise _Bad(f"checkpoint at tree size {size}: the first {size} entries do not hash to its root "
                       "(entries were rewritten)", checkpoint=size)
        problem = _signature_problem(public_key, witness.checkpoint_record(checkpoint))
        if problem:
            raise _Bad(f"checkpoint at tree size {size}: {problem}", checkpoint=size)
    if seen is None:
        return
    if checkpoint is None:
        raise _Bad(f"the witnessed checkpoint at tree size {size} is missing from the database: the database "
                   "was rewritten", checkpoint=size)
    if witness.checkpoint_record(checkpoint) != seen.fields():
        raise _Bad(f"checkpoint at tree size {size} differs from the witnessed one (witness line {seen.line}): "
                   "the database was rewritten", checkpoint=size)


def _check_extends_witness(size: int, seen: witness.WitnessRecord, leaves: list[bytes]) -> None:
    """What an outside auditor holding only the witnessed root does: ask for a consistency proof
    from it to today's tree and check it (RFC 9162 section 2.1.4.2)."""
    proof = merkle.consistency_proof(size, leaves)
    try:
        witnessed_root = bytes.fromhex(seen.root_hash)
    except ValueError:
        witnessed_root = b""
    if not merkle.verify_consistency(size, len(leaves), witnessed_root, merkle.root(leaves), proof):
        raise _Bad(f"the ledger does not extend the witnessed tree of size {size}: the database was rewritten",
                   checkpoint=size)
