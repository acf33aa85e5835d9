"""The stock API: what it answers, and that a refused request moves nothing."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.inventory.actions.reservations import reserve
from bastion.inventory.models import StockLevel, StockMovement
from bastion.inventory.tests.factories import stocked, variant_of, warehouse_of
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _state():
    return (sorted(StockLevel.objects.values_list("id", "on_hand", "reserved")), StockMovement.objects.count(),
            LedgerEntry.objects.count())


def _url(world, tail: str) -> str:
    return f"/api/v1/seller/merchants/{world.merchant_a.pk}/{tail}"


def test_receipt_then_levels_and_movements(world):
    variant, warehouse = variant_of(world.merchant_a, sku="TEA-OOLONG"), warehouse_of(world.merchant_a, code="SH1")
    client = client_for(world.staff_a)
    response = client.post(_url(world, "stock/receipts"), {"warehouse_id": warehouse.pk, "variant_id": variant.pk,
                                                          "quantity": 8, "note": "PO-17"},
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("sku", "delta_on_hand", "delta_reserved", "reason", "note", "actor")} == {
        "sku": "TEA-OOLONG", "delta_on_hand": 8, "delta_reserved": 0, "reason": "receipt", "note": "PO-17",
        "actor": f"user:{world.staff_a.pk}"}
    reserve(lines=[(variant.pk, 3)], reference="cart-1", actor="system:test")
    levels = client.get(_url(world, "stock")).json()
    level = StockLevel.objects.get(variant=variant)
    assert levels == [{"id": level.pk, "warehouse_id": warehouse.pk, "warehouse_code": "SH1",
                       "variant_id": variant.pk, "sku": "TEA-OOLONG", "on_hand": 8, "reserved": 3, "available": 5}]
    movements = client.get(_url(world, f"stock/movements?variant_id={variant.pk}")).json()
    assert [(m["reason"], m["delta_on_hand"], m["delta_reserved"]) for m in movements] == [
        ("reservation", 0, 3), ("receipt", 8, 0)]


def test_adjustment_below_reserved_is_409_and_moves_nothing(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=5)
    reserve(lines=[(variant.pk, 4)], reference="cart-1", actor="system:test")
    before = _state()
    response = client_for(world.owner_a).post(
        _url(world, "stock/adjustments"),
        {"warehouse_id": warehouse.pk, "variant_id": variant.pk, "delta": -2, "note": "broken"},
        content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "stock_below_reserved"
    assert _state() == before


def test_a_warehouse_or_variant_of_another_merchant_is_not_found(world):
    variant_b, warehouse_b = stocked(world.merchant_b, world.owner_b, quantity=5)
    variant_a, warehouse_a = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    client = client_for(world.owner_a)
    before = _state()
    for warehouse, variant, code in ((warehouse_b, variant_a, "warehouse_not_found"),
                                     (warehouse_a, variant_b, "variant_not_found")):
        response = client.post(_url(world, "stock/receipts"), {"warehouse_id": warehouse.pk,
                                                              "variant_id": variant.pk, "quantity": 1},
                               content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (404, code)
    assert _state() == before


def test_a_duplicate_warehouse_code_is_409(world):
    warehouse_of(world.merchant_a, code="SH1")
    response = client_for(world.owner_a).post(_url(world, "warehouses"), {"name": "Again", "code": "sh1"},
                                              content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (409, "warehouse_code_taken")


def _receipt_body(variant, warehouse, quantity: int = 4) -> dict:
    return {"warehouse_id": warehouse.pk, "variant_id": variant.pk, "quantity": quantity, "note": "PO-9"}


def test_a_retried_receipt_with_the_same_key_receives_once_and_answers_the_same(world):
    variant, warehouse = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    client = client_for(world.owner_a)
    send = lambda body, key: client.post(_url(world, "stock/receipts"), body,  # noqa: E731
                                         content_type="application/json", headers={"Idempotency-Key": key})
    first = send(_receipt_body(variant, warehouse), "delivery-9")
    ledger = LedgerEntry.objects.count()
    again = send(_receipt_body(variant, warehouse), "delivery-9")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert StockLevel.objects.get(variant=variant).on_hand == 4
    assert (StockMovement.objects.count(), LedgerEntry.objects.count()) == (1, ledger)

    before = _state()
    reused = send(_receipt_body(variant, warehouse, quantity=5), "delivery-9")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert _state() == before
    assert send(_receipt_body(variant, warehouse), "delivery-10").status_code == 201
    assert StockLevel.objects.get(variant=variant).on_hand == 8


def test_a_refused_adjustment_is_not_remembered_under_its_key(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=2)
    client = client_for(world.owner_a)
    send = lambda delta: client.post(_url(world, "stock/adjustments"),  # noqa: E731
                                     {"warehouse_id": warehouse.pk, "variant_id": variant.pk, "delta": delta,
                                      "note": "recount"},
                                     content_type="application/json", headers={"Idempotency-Key": "count-1"})
    assert send(-3).status_code == 409
    assert send(-1).status_code == 201
    assert send(-1).json()["delta_on_hand"] == -1
    assert StockLevel.objects.get(variant=variant).on_hand == 1


def test_keys_belong_to_one_merchant(world):
    variant_a, warehouse_a = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    variant_b, warehouse_b = variant_of(world.merchant_b), warehouse_of(world.merchant_b)
    for owner, merchant, variant, warehouse in ((world.owner_a, world.merchant_a, variant_a, warehouse_a),
                                                (world.owner_b, world.merchant_b, variant_b, warehouse_b)):
        response = client_for(owner).post(f"/api/v1/seller/merchants/{merchant.pk}/stock/receipts",
                                          _receipt_body(variant, warehouse), content_type="application/json",
                                          headers={"Idempotency-Key": "same-key"})
        assert response.status_code == 201
    assert sorted(StockLevel.objects.values_list("variant_id", "on_hand")) == [(variant_a.pk, 4), (variant_b.pk, 4)]
