"""Builders for cart tests: published variants with stock, and shipping set up for a merchant."""

from __future__ import annotations

from decimal import Decimal

from bastion.catalog.models import Product, Variant
from bastion.core import clock
from bastion.inventory.tests.factories import stocked, variant_of
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate


def for_sale(merchant, owner, *, quantity: int = 10, price: str = "10.00", weight_grams: int = 500) -> Variant:
    """A variant of a published product, with `quantity` units received into a warehouse."""
    variant = variant_of(merchant)
    Product.objects.filter(pk=variant.product_id).update(status=Product.Status.PUBLISHED)
    Variant.objects.filter(pk=variant.pk).update(price=Decimal(price), weight_grams=weight_grams)
    if quantity:
        stocked(merchant, owner, quantity=quantity, variant=variant)
    variant.refresh_from_db()
    return variant


def ships_to_china(merchant, *, price: str = "12.00", free_above: str | None = None, vat: str = "13") -> ShippingMethod:
    zone = ShippingZone.objects.create(merchant=merchant, name="Mainland China", countries=["CN"],
                                       created_at=clock.now())
    TaxRate.objects.create(merchant=merchant, country="CN", percent=Decimal(vat))
    return ShippingMethod.objects.create(zone=zone, name="Standard", carrier_code="SF", days_min=2, days_max=4,
                                         price=Decimal(price),
                                         free_above=Decimal(free_above) if free_above else None)
