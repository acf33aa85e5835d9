"""The seller shipping API: configure zones, methods, bands and tax; refusals change nothing."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _url(world, tail: str, merchant=None) -> str:
    return f"/api/v1/seller/merchants/{(merchant or world.merchant_a).pk}/shipping/{tail}"


def _state():
    return (list(ShippingZone.objects.values_list("id", "name")), ShippingMethod.objects.count(),
            list(TaxRate.objects.values_list("country", "percent")), LedgerEntry.objects.count())


def test_configure_a_zone_with_methods_bands_and_tax(world):
    client = client_for(world.staff_a)
    zone = client.post(_url(world, "zones"), {"name": "East", "countries": ["cn"], "regions": ["Zhejiang"]},
                       content_type="application/json").json()
    assert (zone["countries"], zone["regions"], zone["methods"]) == (["CN"], ["Zhejiang"], [])
    method = client.post(_url(world, f"zones/{zone['id']}/methods"),
                         {"name": "Standard", "carrier_code": "yto", "days_min": 2, "days_max": 4, "price": "9"},
                         content_type="application/json").json()
    assert (method["carrier_code"], method["price"], method["free_above"]) == ("YTO", "9.00", None)
    banded = client.post(_url(world, f"methods/{method['id']}/bands"), {"max_grams": 2000, "price": "11.50"},
                         content_type="application/json").json()
    assert banded["bands"] == [{"max_grams": 2000, "price": "11.50"}]
    for percent in ("13", "9"):
        tax = client.put(_url(world, "tax-rates"), {"country": "CN", "percent": percent},
                         content_type="application/json").json()
    assert (tax["country"], tax["percent"]) == ("CN", "9.00")
    assert client.get(_url(world, "tax-rates")).json() == [tax]
    listed = client.get(_url(world, "zones")).json()
    assert [m["bands"] for z in listed for m in z["methods"]] == [[{"max_grams": 2000, "price": "11.50"}]]
    assert list(LedgerEntry.objects.filter(action__startswith="shipping.").values_list("action", flat=True)
                .order_by("id")) == ["shipping.zone_created", "shipping.method_created", "shipping.band_added",
                                     "shipping.tax_rate_set", "shipping.tax_rate_set"]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"name": "Dup", "countries": ["CN"]}, 409, "zone_name_taken"),
    ({"name": "Bad", "countries": ["CHN"]}, 422, "countries_invalid"),
    ({"name": "Bad", "countries": ["C1"]}, 422, "countries_invalid"),
])
def test_refused_zones_change_nothing(world, body, status, code):
    client = client_for(world.owner_a)
    client.post(_url(world, "zones"), {"name": "Dup", "countries": ["CN"]}, content_type="application/json")
    before = _state()
    response = client.post(_url(world, "zones"), body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert _state() == before


def test_another_merchants_zone_is_not_found_and_bad_days_are_refused(world):
    theirs = client_for(world.owner_b).post(_url(world, "zones", world.merchant_b), {"name": "B", "countries": ["CN"]},
                                            content_type="application/json").json()
    client = client_for(world.owner_a)
    before = _state()
    method = {"name": "Standard", "carrier_code": "SF", "days_min": 1, "days_max": 2, "price": "9.00"}
    response = client.post(_url(world, f"zones/{theirs['id']}/methods"), method, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (404, "zone_not_found")
    mine = client.post(_url(world, "zones"), {"name": "A", "countries": ["CN"]}, content_type="application/json").json()
    before = _state()
    response = client.post(_url(world, f"zones/{mine['id']}/methods"), {**method, "days_min": 3},
                           content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "days_invalid")
    assert _state() == before
