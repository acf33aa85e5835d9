"""Maintenance mode: shoppers see a friendly page, staff keep working, the ledger records it.

The switch lives in the database so every server process and node sees it; each process keeps
it for a few seconds so a request does not pay a query for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction

from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.ops.models import MaintenanceMode

CACHE_SECONDS = 5.0
_cached: tuple[float, MaintenanceMode | None] = (0.0, None)


@dataclass(frozen=True)
class State:
    enabled: bool
    message: str


def current(*, fresh: bool = False) -> State:
    global _cached
    loaded_at, row = _cached
    if fresh or row is None or time.monotonic() - loaded_at > CACHE_SECONDS:
        row = MaintenanceMode.objects.filter(id=1).first() or MaintenanceMode(id=1)
        _cached = (time.monotonic(), row)
    return State(enabled=row.enabled, message=row.message)


@transaction.atomic
def switch(*, enabled: bool, actor: str, message: str = "") -> State:
    row, _ = MaintenanceMode.objects.select_for_update().get_or_create(id=1)
    row.enabled, row.message = enabled, message.strip()[:300] if enabled else ""
    row.changed_at, row.changed_by = clock.now(), actor
    row.save()
    append_entry(actor=actor, action="maintenance.enabled" if enabled else "maintenance.disabled",
                 subject="maintenance:shop", payload={"message": row.message})
    transaction.on_commit(lambda: current(fresh=True))
    return State(enabled=row.enabled, message=row.message)
