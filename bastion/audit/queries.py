from __future__ import annotations

from django.db.models import QuerySet

from bastion.audit.models import LedgerEntry


def recent_entries(*, action_prefix: str = "", limit: int = 50) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.order_by("-seq")
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    return entries[:limit]
