"""The only way interfaces fetch a merchant's warehouses and variants for stock work.

What belongs to another merchant is "not found", so ids cannot be probed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bastion.catalog.models import Variant
from bastion.core.errors import NotFound
from bastion.inventory.models import Warehouse
from bastion.merchants.models import Merchant


def get_warehouse_of(merchant: Merchant, warehouse_id: int) -> Warehouse:
    """A warehouse of a merchant the caller was already admitted to (accounts.access.get_merchant_for)."""
    warehouse = Warehouse.objects.filter(pk=warehouse_id, merchant=merchant).first()
    if warehouse is None:
        raise NotFound(_("No such warehouse."), code="warehouse_not_found")
    return warehouse


def get_variant_of(merchant: Merchant, *, variant_id: int | None = None, sku: str | None = None) -> Variant:
    variants = Variant.objects.select_related("product").filter(product__merchant=merchant)
    variant = (variants.filter(pk=variant_id) if variant_id is not None else variants.filter(sku=sku)).first()
    if variant is None:
        raise NotFound(_("No such variant."), code="variant_not_found")
    return variant
