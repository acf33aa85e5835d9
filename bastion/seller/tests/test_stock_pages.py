"""Seller portal stock pages: warehouses, stock per warehouse, receipts and adjustments."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.inventory.models import StockLevel, StockMovement, Warehouse
from bastion.inventory.tests.factories import stocked, variant_of, warehouse_of
from bastion.storefront.tests.pages import post_forms, text_of_id
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _state():
    return (sorted(StockLevel.objects.values_list("id", "on_hand", "reserved")), StockMovement.objects.count(),
            Warehouse.objects.count(), LedgerEntry.objects.count())


def test_the_merchant_page_links_to_stock(world):
    response = client_for(world.staff_a).get(f"/seller/{world.merchant_a.pk}/")
    assert f'href="/seller/{world.merchant_a.pk}/stock/"'.encode() in response.content


def test_stock_page_shows_each_warehouse_with_its_levels(world):
    stocked(world.merchant_a, world.owner_a, quantity=12,
            warehouse=warehouse_of(world.merchant_a, code="SH1"), variant=variant_of(world.merchant_a, sku="TEA-GREEN"))
    stocked(world.merchant_b, world.owner_b, quantity=3, variant=variant_of(world.merchant_b, sku="BIKE-1"))
    response = client_for(world.staff_a).get(f"/seller/{world.merchant_a.pk}/stock/")
    assert response.status_code == 200
    section = text_of_id(response.content, "warehouse-SH1")
    assert "TEA-GREEN" in section and "12" in section
    assert b"BIKE-1" not in response.content
    assert f"/seller/{world.merchant_a.pk}/stock/warehouses/" in {f.action for f in post_forms(response.content)}


def test_staff_create_a_warehouse_receive_and_adjust_through_the_forms(world):
    variant = variant_of(world.merchant_a, sku="TEA-BLACK")
    client = client_for(world.staff_a)
    base = f"/seller/{world.merchant_a.pk}/stock"
    response = client.post(f"{base}/warehouses/", {"name": "Hangzhou", "code": "hz1", "region": "Zhejiang"},
                           follow=True)
    warehouse = Warehouse.objects.get(merchant=world.merchant_a, code="HZ1")
    assert response.redirect_chain == [(f"{base}/{warehouse.pk}/", 302)]
    assert b"Warehouse HZ1 created." in response.content
    client.post(f"{base}/{warehouse.pk}/receive/", {"sku": "TEA-BLACK", "quantity": "20", "note": "spring harvest"})
    response = client.post(f"{base}/{warehouse.pk}/adjust/",
                           {"sku": "TEA-BLACK", "delta": "-3", "reason": "adjustment", "note": "water damage"},
                           follow=True)
    assert b"Adjusted TEA-BLACK by -3." in response.content
    assert StockLevel.objects.get(variant=variant, warehouse=warehouse).on_hand == 17
    history = text_of_id(response.content, "stock-movements")
    assert "water damage" in history and "spring harvest" in history and "-3" in history
    assert list(LedgerEntry.objects.order_by("-seq").values_list("action", flat=True)[:3]) == [
        "stock.adjusted", "stock.received", "warehouse.created"]


def test_a_refused_adjustment_shows_why_and_changes_nothing(world):
    _, warehouse = stocked(world.merchant_a, world.owner_a, quantity=2,
                           variant=variant_of(world.merchant_a, sku="TEA-WHITE"))
    client = client_for(world.owner_a)
    before = _state()
    response = client.post(f"/seller/{world.merchant_a.pk}/stock/{warehouse.pk}/adjust/",
                           {"sku": "TEA-WHITE", "delta": "-5", "reason": "adjustment", "note": "recount"}, follow=True)
    assert b"TEA-WHITE: on hand 2 with 0 reserved cannot change by -5." in response.content
    response = client.post(f"/seller/{world.merchant_a.pk}/stock/{warehouse.pk}/receive/",
                           {"sku": "NO-SUCH", "quantity": "1"}, follow=True)
    assert b"No such variant." in response.content
    assert _state() == before


def test_another_merchant_cannot_see_or_change_the_stock(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=5)
    client = client_for(world.owner_b)
    before = _state()
    base = f"/seller/{world.merchant_a.pk}/stock"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/{warehouse.pk}/").status_code == 404
    assert client.post(f"{base}/{warehouse.pk}/receive/", {"sku": variant.sku, "quantity": "5"}).status_code == 404
    # Nor through its own merchant's URL with A's warehouse.
    own = f"/seller/{world.merchant_b.pk}/stock/{warehouse.pk}/receive/"
    assert client.post(own, {"sku": variant.sku, "quantity": "5"}).status_code == 404
    assert client_for(world.shopper).get(f"{base}/").status_code == 403
    assert _state() == before
