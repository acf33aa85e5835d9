"""What an attacker with write access to the database (and the signing key) can do to the ledger.

Every function runs inside ledger_unlocked(): the attacker drops the append-only triggers, as
the table owner can. Used by the tamper property test; the verifier must catch all of it.
"""

from __future__ import annotations

import secrets

from bastion.audit import merkle, signing
from bastion.audit.chain import GENESIS_HASH, canonical_json, entry_hash, entry_leaf_hash
from bastion.audit.models import Checkpoint, LedgerEntry, LedgerHead
from bastion.testing.ledger import ledger_unlocked


def _hash_of(entry: LedgerEntry) -> str:
    return entry_hash(seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor, action=entry.action,
                      subject=entry.subject, payload=entry.payload, prev_hash=entry.prev_hash)


def _prev_of(seq: int) -> str:
    previous = LedgerEntry.objects.filter(seq=seq - 1).first()
    return previous.entry_hash if previous is not None else GENESIS_HASH


def _rechain(from_seq: int) -> None:
    """Recompute every hash from `from_seq` on and point the head at the new end."""
    prev = _prev_of(from_seq)
    for entry in LedgerEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.prev_hash = prev
        entry.entry_hash = prev = _hash_of(entry)
        entry.save(update_fields=["prev_hash", "entry_hash"])
    _point_head_at_end()


def _point_head_at_end() -> None:
    last = LedgerEntry.objects.order_by("-seq").first()
    LedgerHead.objects.update_or_create(id=1, defaults={"seq": last.seq if last else 0,
                                                        "entry_hash": last.entry_hash if last else GENESIS_HASH})


def _resign(from_size: int) -> None:
    """Re-sign every checkpoint from `from_size` on over the rewritten entries."""
    key = signing.load_signing_key()
    leaves = [entry_leaf_hash(h) for h in LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True)]
    for checkpoint in Checkpoint.objects.filter(tree_size__gte=from_size):
        checkpoint.root_hash = merkle.root(leaves[:checkpoint.tree_size]).hex()
        checkpoint.signature = signing.sign_checkpoint(key, tree_size=checkpoint.tree_size,
                                                       root_hash=checkpoint.root_hash,
                                                       signed_at=signing.format_signed_at(checkpoint.signed_at))
        checkpoint.save(update_fields=["root_hash", "signature"])


def _cover(from_seq: int, depth: str) -> None:
    if depth in ("rehash", "resign"):
        _rechain(from_seq)
    if depth == "resign":
        _resign(from_seq)


def wipe() -> None:
    with ledger_unlocked():
        LedgerEntry.objects.all().delete()
        Checkpoint.objects.all().delete()
        LedgerHead.objects.all().delete()


def edit(seq: int, field: str, depth: str) -> None:
    with ledger_unlocked():
        entry = LedgerEntry.objects.get(seq=seq)
        value = canonical_json({"forged": True}) if field == "payload" else f"forged:{getattr(entry, field)}"
        LedgerEntry.objects.filter(seq=seq).update(**{field: value})
        _cover(seq, depth)


def delete(seq: int) -> None:
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=seq).delete()


def insert(seq: int, depth: str) -> None:
    """A forged entry at position `seq`, later entries moved up one. Its hash is made up
    ("naive"), computed ("hashed"), or computed with the chain re-linked after it."""
    with ledger_unlocked():
        for entry in LedgerEntry.objects.filter(seq__gte=seq).order_by("-seq"):
            LedgerEntry.objects.filter(pk=entry.pk).update(seq=entry.seq + 1)
        template = LedgerEntry.objects.order_by("seq").first()
        forged = LedgerEntry(seq=seq, recorded_at=template.recorded_at, actor="user:mallory", action="role.granted",
                             subject="user:mallory", payload=canonical_json({"role": "administrator"}),
                             prev_hash=_prev_of(seq))
        forged.entry_hash = secrets.token_hex(32) if depth == "naive" else _hash_of(forged)
        forged.save()
        if depth in ("rehash", "resign"):
            _rechain(seq + 1)
        if depth == "resign":
            _resign(seq)


def swap(first: int, second: int, depth: str) -> None:
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=first).update(seq=-1)
        LedgerEntry.objects.filter(seq=second).update(seq=first)
        LedgerEntry.objects.filter(seq=-1).update(seq=second)
        _cover(first, depth)


def truncate(keep: int, *, fix_head: bool, drop_checkpoints: bool) -> None:
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq__gt=keep).delete()
        if drop_checkpoints:
            Checkpoint.objects.filter(tree_size__gt=keep).delete()
        if fix_head:
            _point_head_at_end()


def snapshot() -> dict[str, list[dict]]:
    return {"entries": list(LedgerEntry.objects.values()), "head": list(LedgerHead.objects.values()),
            "checkpoints": list(Checkpoint.objects.values())}


def restore(copy: dict[str, list[dict]]) -> None:
    """Put back an older copy of every ledger row (an old backup restored over the live database)."""
    wipe()
    with ledger_unlocked():
        LedgerEntry.objects.bulk_create(LedgerEntry(**row) for row in copy["entries"])
        LedgerHead.objects.bulk_create(LedgerHead(**row) for row in copy["head"])
        Checkpoint.objects.bulk_create(Checkpoint(**row) for row in copy["checkpoints"])
