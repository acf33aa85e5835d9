"""Background jobs of payments. Read-only and so safe to overlap or repeat."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bastion.payments.reconcile import reconcile

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
def reconcile_payments() -> int:
    """Every 15 minutes, compare open payments with the gateway and log each difference; how many."""
    findings = reconcile()
    for finding in findings:
        logger.warning("payment reconciliation: payment %s (%s) %s differs: bastion=%s gateway=%s",
                       finding.payment_id, finding.provider_id, finding.field, finding.bastion, finding.gateway)
    return len(findings)
