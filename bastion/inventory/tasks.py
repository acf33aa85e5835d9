"""Background jobs of inventory. Idempotent: an overlapping or repeated run releases nothing twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bastion.inventory.actions.reservations import expire_reservations


@db_periodic_task(crontab(minute="*"))
def expire_stale_reservations() -> int:
    """Every minute, give the stock of reservations past their expiry back; how many expired."""
    return expire_reservations()
