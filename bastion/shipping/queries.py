"""Read-only shipping data, and its conversion to the plain values the pure rates functions take."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from bastion.core.money import Money
from bastion.shipping import rates
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate, WeightBand


def zones_of(merchant_id: int) -> QuerySet[ShippingZone]:
    methods = ShippingMethod.objects.prefetch_related(
        Prefetch("bands", queryset=WeightBand.objects.order_by("max_grams"))).order_by("price", "id")
    return ShippingZone.objects.filter(merchant_id=merchant_id).prefetch_related(
        Prefetch("methods", queryset=methods)).order_by("name", "id")


def tax_rates_of(merchant_id: int) -> QuerySet[TaxRate]:
    return TaxRate.objects.filter(merchant_id=merchant_id).order_by("country", "region")


def rules_of(merchant_ids: list[int]) -> dict[int, tuple[list[rates.Zone], list[rates.Method], list[rates.Tax]]]:
    """For each merchant: its zones, active methods and tax rates as pure values (three queries in all)."""
    result: dict[int, tuple[list, list, list]] = {m: ([], [], []) for m in merchant_ids}
    for zone in ShippingZone.objects.filter(merchant_id__in=merchant_ids):
        result[zone.merchant_id][0].append(rates.Zone(id=zone.pk, name=zone.name, countries=tuple(zone.countries),
                                                      regions=tuple(zone.regions)))
    methods = (ShippingMethod.objects.filter(zone__merchant_id__in=merchant_ids, is_active=True)
               .select_related("zone").prefetch_related("bands"))
    for method in methods:
        currency = method.currency
        result[method.zone.merchant_id][1].append(rates.Method(
            id=method.pk, zone_id=method.zone_id, name=method.name, carrier_code=method.carrier_code,
            days_min=method.days_min, days_max=method.days_max, price=Money(method.price, currency),
            free_above=Money(method.free_above, currency) if method.free_above is not None else None,
            bands=tuple((band.max_grams, Money(band.price, currency)) for band in method.bands.all())))
    for tax in TaxRate.objects.filter(merchant_id__in=merchant_ids):
        result[tax.merchant_id][2].append(rates.Tax(country=tax.country, region=tax.region, percent=tax.percent,
                                                    name=tax.name))
    return result
