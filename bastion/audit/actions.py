"""Changing the ledger: appending entries (in the caller's transaction) and signing checkpoints."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from bastion.audit import merkle, queries, signing, witness
from bastion.audit.chain import GENESIS_HASH, canonical_json, entry_hash, entry_leaf_hash
from bastion.audit.models import Checkpoint, LedgerEntry, LedgerHead
from bastion.audit.verify import entry_problem
from bastion.core import clock


class LedgerDamaged(Exception):
    """The stored ledger does not hold together, so no checkpoint is signed over it."""


def append_entry(*, actor: str, action: str, subject: str, payload: dict[str, Any] | None = None) -> LedgerEntry:
    """Append one entry in the caller's transaction: it commits or rolls back with the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_entry must run inside the transaction of the change it records")
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
    seq = head.seq + 1
    recorded_at = clock.now()
    body = canonical_json(payload or {})
    digest = entry_hash(seq=seq, recorded_at=recorded_at, actor=actor, action=action, subject=subject,
                        payload=body, prev_hash=head.entry_hash)
    entry = LedgerEntry.objects.create(seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                                       subject=subject, payload=body, prev_hash=head.entry_hash,
                                       entry_hash=digest)
    head.seq, head.entry_hash = seq, digest
    head.save(update_fields=["seq", "entry_hash"])
    return entry


def write_checkpoint() -> tuple[Checkpoint | None, bool]:
    """Sign the Merkle root of the whole ledger now and append it to the witness file.

    Returns (checkpoint, created). Idempotent: when the ledger has not grown since the latest
    checkpoint, nothing new is signed (None for an empty ledger). The witness line is written
    after the database commit: a crash in between leaves a checkpoint that is not yet witnessed
    (harmless, and witnessed by the next call), never a witnessed one the database lacks, which
    `verify` would rightly call a rewritten database.
    """
    key = signing.load_signing_key()
    with witness.exclusive():
        try:
            checkpoint, created = _sign_current_tree(key)
        except IntegrityError:  # another node signed this tree size first
            checkpoint, created = queries.latest_checkpoint(), False
        if checkpoint is not None and witness.last_tree_size() < checkpoint.tree_size:
            witness.append(witness.checkpoint_record(checkpoint))
    return checkpoint, created


def _sign_current_tree(key) -> tuple[Checkpoint | None, bool]:
    """Refuses to sign a tree that does not extend the latest checkpoint or whose new entries do
    not chain: a checkpoint must never bless a ledger that was changed under it."""
    with transaction.atomic(durable=True):
        size, latest = queries.ledger_size(), queries.latest_checkpoint()
        if size == 0 or (latest is not None and latest.tree_size >= size):
            return latest, False
        tree = merkle.CompactTree()
        for digest in queries.entry_hashes(upto=size):
            tree.append(entry_leaf_hash(digest))
            if latest is not None and tree.size == latest.tree_size and tree.root().hex() != latest.root_hash:
                raise LedgerDamaged(f"refusing to sign: the first {latest.tree_size} entries no longer match "
                                    f"their checkpoint; run `bastion audit verify`")
        if tree.size != size:
            raise LedgerDamaged(f"refusing to sign: the head says {size} entries but {tree.size} are stored; "
                                "run `bastion audit verify`")
        _check_links(after=latest.tree_size if latest else 0, upto=size)
        root_hash, signed_at = tree.root().hex(), clock.now()
        text = signing.format_signed_at(signed_at)
        checkpoint = Checkpoint.objects.create(
            tree_size=size, root_hash=root_hash, signed_at=signed_at, key_id=signing.key_id(key.public_key()),
            signature=signing.sign_checkpoint(key, tree_size=size, root_hash=root_hash, signed_at=text))
    return checkpoint, True


def _check_links(*, after: int, upto: int) -> None:
    previous = queries.entry_at(after) if after else None
    expected_prev = previous.entry_hash if previous is not None else GENESIS_HASH
    for seq, entry in enumerate(LedgerEntry.objects.filter(seq__gt=after, seq__lte=upto).order_by("seq"),
                                start=after + 1):
        problem = entry_problem(entry, seq=seq, prev_hash=expected_prev)
        if problem:
            raise LedgerDamaged(f"refusing to sign: entry #{seq}: {problem}; run `bastion audit verify`")
        expected_prev = entry.entry_hash


def checkpoint_due(*, ledger_size: int, checkpointed_size: int, last_signed_at: datetime | None,
                   now: datetime, every_entries: int, every_minutes: int) -> bool:
    """A new checkpoint is due when the ledger grew and either enough entries or enough time passed."""
    if ledger_size <= checkpointed_size:
        return False
    if last_signed_at is None or ledger_size - checkpointed_size >= every_entries:
        return True
    return now - last_signed_at >= timedelta(minutes=every_minutes)


def write_checkpoint_if_due() -> Checkpoint | None:
    """What the periodic job runs: a new checkpoint when due, else nothing."""
    latest = queries.latest_checkpoint()
    if not checkpoint_due(ledger_size=queries.ledger_size(),
                          checkpointed_size=latest.tree_size if latest else 0,
                          last_signed_at=latest.signed_at if latest else None, now=clock.now(),
                          every_entries=settings.AUDIT_CHECKPOINT_EVERY_ENTRIES,
                          every_minutes=settings.AUDIT_CHECKPOINT_EVERY_MINUTES):
        return None
    checkpoint, created = write_checkpoint()
    return checkpoint if created else None
