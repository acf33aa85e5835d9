"""Walk the chain and name the first entry whose hash or link does not hold."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.audit.chain import GENESIS_HASH, entry_hash
from bastion.audit.models import LedgerEntry, LedgerHead


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(count, False, expected_seq, f"entry #{expected_seq} is missing (found #{entry.seq})")
        if entry.prev_hash != expected_prev:
            return ChainReport(count, False, entry.seq, "its link to the previous entry is broken")
        digest = entry_hash(seq=entry.seq, recorded_at=entry.recorded_at, actor=entry.actor,
                            action=entry.action, subject=entry.subject, payload=entry.payload,
                            prev_hash=entry.prev_hash)
        if digest != entry.entry_hash:
            return ChainReport(count, False, entry.seq, "its content does not match its hash")
        expected_prev, expected_seq, count = digest, expected_seq + 1, count + 1
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.entry_hash != expected_prev):
        return ChainReport(count, False, count + 1, f"the head says #{head.seq} but the chain ends at #{count}")
    return ChainReport(count, True)
