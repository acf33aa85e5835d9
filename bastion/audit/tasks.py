"""Background jobs of the ledger. Idempotent: a retried or overlapping run signs nothing twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bastion.audit.actions import write_checkpoint_if_due


@db_periodic_task(crontab(minute="*"))
def checkpoint_ledger() -> int | None:
    """Every minute, sign a checkpoint if AUDIT_CHECKPOINT_EVERY_ENTRIES entries or
    AUDIT_CHECKPOINT_EVERY_MINUTES minutes have passed since the last one; the tree size it
    signed, or None."""
    checkpoint = write_checkpoint_if_due()
    return checkpoint.tree_size if checkpoint else None
