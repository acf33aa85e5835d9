"""Demo shipping: zones for mainland China and a few countries, standard and express, tax rates. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from bastion.core import clock
from bastion.merchants.models import Merchant
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate, WeightBand

REMOTE = ["Xinjiang", "Tibet", "Qinghai", "Inner Mongolia", "Gansu", "Ningxia"]

# zone name, countries, regions, [(method, carrier, days, price, free above, [(max grams, price)])]
ZONES = [
    ("Mainland China", ["CN"], [], [
        ("Standard", "YTO", (2, 4), "8.00", "99.00", [(1000, "8.00"), (5000, "12.00"), (20000, "25.00")]),
        ("Express", "SF", (1, 2), "18.00", "299.00", [(1000, "18.00"), (5000, "28.00"), (20000, "55.00")]),
    ]),
    ("Remote provinces", ["CN"], REMOTE, [
        ("Standard", "EMS", (5, 9), "20.00", None, [(1000, "20.00"), (5000, "35.00"), (20000, "70.00")]),
    ]),
    ("Hong Kong & Macau", ["HK", "MO"], [], [
        ("Standard", "SF", (3, 5), "35.00", "499.00", []),
        ("Express", "SF", (1, 3), "60.00", None, []),
    ]),
    ("Asia-Pacific", ["SG", "JP", "KR"], [], [
        ("Standard", "EMS", (6, 12), "90.00", None, [(2000, "90.00"), (10000, "180.00")]),
    ]),
]

TAXES = [("CN", "", "VAT", "13"), ("HK", "", "VAT", "0"), ("MO", "", "VAT", "0"), ("SG", "", "GST", "9"),
         ("JP", "", "Consumption tax", "10"), ("KR", "", "VAT", "10")]


def seed_demo_shipping() -> int:
    """Zones, methods and tax rates for every merchant that has no zone yet; returns how many merchants got them."""
    seeded = 0
    for merchant in Merchant.objects.order_by("id"):
        if ShippingZone.objects.filter(merchant=merchant).exists():
            continue
        for zone_name, countries, regions, methods in ZONES:
            zone = ShippingZone.objects.create(merchant=merchant, name=zone_name, countries=countries,
                                               regions=regions, created_at=clock.now())
            for name, carrier, (days_min, days_max), price, free_above, bands in methods:
                method = ShippingMethod.objects.create(
                    zone=zone, name=name, carrier_code=carrier, days_min=days_min, days_max=days_max,
                    price=Decimal(price), free_above=Decimal(free_above) if free_above else None)
                WeightBand.objects.bulk_create([WeightBand(method=method, max_grams=grams, price=Decimal(band))
                                                for grams, band in bands])
        for country, region, name, percent in TAXES:
            TaxRate.objects.get_or_create(merchant=merchant, country=country, region=region,
                                          defaults={"name": name, "percent": Decimal(percent)})
        seeded += 1
    return seeded
