"""Authorization matrix of the seller shipping API (see bastion/testing/authz.py).

Merchant staff hold the orders permission that shipping needs, so "staff without permission" is an
operator: global staff who do not work for the merchant and so do not find it.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from bastion.core import clock
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate, WeightBand
from bastion.testing.authz import Call, Case, expect

_n = itertools.count()
OUTSIDER = {"without": "operator"}


def _merchant_a(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk})


def _zone(world) -> ShippingZone:
    return ShippingZone.objects.create(merchant=world.merchant_a, name=f"Zone {next(_n)}", countries=["CN"],
                                       created_at=clock.now())


def _new_zone(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk}, {"name": f"East {next(_n)}", "countries": ["CN"],
                                                       "regions": ["Zhejiang", "Jiangsu"]})


def _new_method(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk, "zone_id": _zone(world).pk},
                {"name": "Express", "carrier_code": "SF", "days_min": 1, "days_max": 2, "price": "18.00",
                 "free_above": "199.00"})


def _new_band(world, user) -> Call:
    method = ShippingMethod.objects.create(zone=_zone(world), name="Standard", carrier_code="YTO", days_min=2,
                                           days_max=5, price=Decimal("8.00"))
    return Call({"merchant_id": world.merchant_a.pk, "method_id": method.pk}, {"max_grams": 1000, "price": "8.00"})


def _tax(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk}, {"country": "CN", "percent": "13"})


def _shipping(world):
    return (ShippingZone.objects.count(), ShippingMethod.objects.count(), WeightBand.objects.count(),
            sorted(TaxRate.objects.values_list("id", "country", "region", "percent")))


CASES = [
    Case("GET", "/seller/merchants/{merchant_id}/shipping/zones", expect(401, 404, 404, 404, 200),
         prepare=_merchant_a, **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/shipping/zones", expect(401, 404, 404, 404, 201),
         prepare=_new_zone, snapshot=_shipping, **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/shipping/zones/{zone_id}/methods",
         expect(401, 404, 404, 404, 201), prepare=_new_method, snapshot=_shipping, **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/shipping/methods/{method_id}/bands",
         expect(401, 404, 404, 404, 201), prepare=_new_band, snapshot=_shipping, **OUTSIDER),
    Case("GET", "/seller/merchants/{merchant_id}/shipping/tax-rates", expect(401, 404, 404, 404, 200),
         prepare=_merchant_a, **OUTSIDER),
    Case("PUT", "/seller/merchants/{merchant_id}/shipping/tax-rates", expect(401, 404, 404, 404, 200),
         prepare=_tax, snapshot=_shipping, **OUTSIDER),
]
