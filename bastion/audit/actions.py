"""Appending to the ledger. Called by other apps' actions inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bastion.audit.chain import canonical_json, entry_hash
from bastion.audit.models import LedgerEntry, LedgerHead
from bastion.core import clock


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
