from __future__ import annotations

from django.db.models import QuerySet

from bastion.merchants.models import Merchant


def merchants_by_ids(ids: set[int]) -> QuerySet[Merchant]:
    return Merchant.objects.filter(id__in=ids).order_by("name")
