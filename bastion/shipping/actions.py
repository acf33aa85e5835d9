"""Merchant shipping configuration: zones, methods, weight bands and tax rates.

Each change is one atomic transaction with a ledger entry (shipping prices and tax are money).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from bastion.accounts.actor import Actor
from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid
from bastion.core.roles import Perm
from bastion.merchants.models import Merchant
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate, WeightBand

PERM = Perm.MERCHANT_MANAGE_ORDERS
CENT = Decimal("0.01")


def _countries(countries: list[str]) -> list[str]:
    cleaned = sorted({c.strip().upper() for c in countries})
    if not cleaned or any(len(c) != 2 or not c.isalpha() or not c.isascii() for c in cleaned):
        raise Invalid(_("List the countries as two-letter codes, such as CN."), code="countries_invalid",
                      extra={"field": "countries"})
    return cleaned


@transaction.atomic
def create_zone(*, actor: Actor, merchant: Merchant, name: str, countries: list[str],
                regions: list[str] | None = None) -> ShippingZone:
    actor.require(PERM, merchant.pk)
    name = name.strip()
    if not name:
        raise Invalid(_("A shipping zone needs a name."), code="zone_invalid", extra={"field": "name"})
    countries = _countries(countries)
    regions = sorted({r.strip() for r in regions or [] if r.strip()})
    if ShippingZone.objects.filter(merchant=merchant, name=name).exists():
        raise Conflict(_("There is already a shipping zone called %(name)s.") % {"name": name},
                       code="zone_name_taken")
    zone = ShippingZone.objects.create(merchant=merchant, name=name, countries=countries, regions=regions,
                                       created_at=clock.now())
    append_entry(actor=actor.label, action="shipping.zone_created", subject=f"shipping_zone:{zone.pk}",
                 payload={"merchant": merchant.pk, "name": name, "countries": countries, "regions": regions})
    return zone


@transaction.atomic
def create_method(*, actor: Actor, zone: ShippingZone, name: str, carrier_code: str, days_min: int, days_max: int,
                  price: Decimal, free_above: Decimal | None = None) -> ShippingMethod:
    actor.require(PERM, zone.merchant_id)
    name, carrier_code = name.strip(), carrier_code.strip().upper()
    if not name or not carrier_code:
        raise Invalid(_("A shipping method needs a name and a carrier code."), code="method_invalid")
    if days_min < 0 or days_max < days_min:
        raise Invalid(_("The delivery days must run from the fewest to the most."), code="days_invalid",
                      extra={"field": "days_max"})
    if price < 0 or (free_above is not None and free_above < 0):
        raise Invalid(_("Prices cannot be negative."), code="price_invalid", extra={"field": "price"})
    price = price.quantize(CENT)
    free_above = free_above.quantize(CENT) if free_above is not None else None
    if ShippingMethod.objects.filter(zone=zone, name=name).exists():
        raise Conflict(_("This zone already has a method called %(name)s.") % {"name": name},
                       code="method_name_taken")
    method = ShippingMethod.objects.create(zone=zone, name=name, carrier_code=carrier_code, days_min=days_min,
                                           days_max=days_max, price=price, free_above=free_above)
    append_entry(actor=actor.label, action="shipping.method_created", subject=f"shipping_method:{method.pk}",
                 payload={"zone": zone.pk, "name": name, "carrier": carrier_code, "price": str(price),
                          "free_above": str(free_above) if free_above is not None else None})
    return method


@transaction.atomic
def add_weight_band(*, actor: Actor, method: ShippingMethod, max_grams: int, price: Decimal) -> WeightBand:
    actor.require(PERM, method.zone.merchant_id)
    if max_grams < 1 or price < 0:
        raise Invalid(_("A weight band needs a positive weight and a price that is not negative."),
                      code="band_invalid")
    price = price.quantize(CENT)
    if WeightBand.objects.filter(method=method, max_grams=max_grams).exists():
        raise Conflict(_("This method already has a band up to %(grams)d g.") % {"grams": max_grams},
                       code="band_taken")
    band = WeightBand.objects.create(method=method, max_grams=max_grams, price=price)
    append_entry(actor=actor.label, action="shipping.band_added", subject=f"shipping_method:{method.pk}",
                 payload={"max_grams": max_grams, "price": str(price)})
    return band


@transaction.atomic
def set_tax_rate(*, actor: Actor, merchant: Merchant, country: str, region: str = "", percent: Decimal,
                 name: str = "VAT") -> TaxRate:
    """Create or change the tax rate of a country (or one of its regions)."""
    actor.require(PERM, merchant.pk)
    country, region, name = _countries([country])[0], region.strip(), name.strip() or "VAT"
    if percent < 0 or percent > 100:
        raise Invalid(_("A tax rate is between 0 and 100 percent."), code="tax_percent_invalid",
                      extra={"field": "percent"})
    percent = percent.quantize(CENT)
    tax, created = TaxRate.objects.update_or_create(merchant=merchant, country=country, region=region,
                                                    defaults={"percent": percent, "name": name})
    append_entry(actor=actor.label, action="shipping.tax_rate_set", subject=f"tax_rate:{tax.pk}",
                 payload={"merchant": merchant.pk, "country": country, "region": region, "percent": str(percent),
                          "name": name, "created": created})
    return tax
