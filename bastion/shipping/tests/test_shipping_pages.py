"""The seller shipping page: staff see and manage; others are refused and change nothing."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.shipping.models import ShippingMethod, ShippingZone, TaxRate, WeightBand
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _url(world, tail: str = "") -> str:
    return f"/seller/{world.merchant_a.pk}/shipping/{tail}"


def test_staff_build_a_zone_with_method_band_and_tax(world):
    client = client_for(world.staff_a)
    page = client.post(_url(world, "zones/"), {"name": "East", "countries": "cn, hk", "regions": "Zhejiang\uff0cJiangsu"},
                       follow=True)
    assert "Shipping zone created." in page.text
    zone = ShippingZone.objects.get()
    assert (zone.countries, zone.regions) == (["CN", "HK"], ["Jiangsu", "Zhejiang"])
    client.post(_url(world, f"zones/{zone.pk}/methods/"), {"name": "Express", "carrier_code": "sf", "days_min": 1,
                                                           "days_max": 2, "price": "18", "free_above": ""})
    method = ShippingMethod.objects.get()
    client.post(_url(world, f"methods/{method.pk}/bands/"), {"max_grams": 1000, "price": "15"})
    client.post(_url(world, "tax-rates/"), {"country": "CN", "region": "", "name": "VAT", "percent": "13"})
    page = client.get(_url(world))
    assert "up to 1000 g: 15.00" in page.text and "SF" in page.text
    assert list(TaxRate.objects.values_list("country", "percent")) == [("CN", 13)]
    assert WeightBand.objects.count() == 1


def test_refused_changes_show_a_message_and_change_nothing(world):
    client = client_for(world.owner_a)
    client.post(_url(world, "zones/"), {"name": "East", "countries": "CN"})
    before = (ShippingZone.objects.count(), LedgerEntry.objects.count())
    page = client.post(_url(world, "zones/"), {"name": "East", "countries": "CN"}, follow=True)
    assert "There is already a shipping zone called East." in page.text
    page = client.post(_url(world, "zones/"), {"name": "West", "countries": "China"}, follow=True)
    assert "two-letter codes" in page.text
    assert (ShippingZone.objects.count(), LedgerEntry.objects.count()) == before


def test_other_merchants_and_shoppers_cannot_reach_the_page(world):
    for person, status in (("owner_b", 404), ("shopper", 403), ("operator", 404)):
        client = client_for(world.person(person))
        assert client.get(_url(world)).status_code == status
        assert client.post(_url(world, "zones/"), {"name": "X", "countries": "CN"}).status_code == status
    assert not ShippingZone.objects.exists()
    assert client_for(None).get(_url(world)).status_code == 302
