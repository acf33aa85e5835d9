"""Small builders for the audit tests: entries appended the normal way."""

from __future__ import annotations

from django.db import transaction

from bastion.audit.actions import append_entry
from bastion.audit.models import LedgerEntry


def append_entries(n: int, *, start: int = 0) -> list[LedgerEntry]:
    with transaction.atomic():
        return [append_entry(actor=f"user:{i}", action="thing.done", subject=f"thing:{i}",
                             payload={"n": i, "note": "Tèa ☕"}) for i in range(start, start + n)]
