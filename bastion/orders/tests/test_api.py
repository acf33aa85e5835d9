"""The order API: shapes, refusals that change nothing, idempotent refunds, N+1-safe lists."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.orders.models import Order, OrderEvent
from bastion.orders.state import Status
from bastion.orders.tests.factories import order_in
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def test_detail_has_lines_address_and_timeline(world):
    order = order_in(Status.SHIPPED, world=world, price="10.00", quantity=2, shipping="5.00")
    body = client_for(world.shopper).get(f"/api/v1/orders/{order.number}").json()
    assert (body["status"], body["total"], body["subtotal"], body["shipping"]) == ("shipped", "25.00", "20.00", "5.00")
    assert body["shipping_address"]["city"] == "Shanghai"
    assert (body["tracking_number"], body["carrier"]) == ("SF100", "SF Express")
    assert [e["kind"] for e in body["timeline"]] == ["place", "pay", "accept", "ship"]
    assert body["next_events"] == ["deliver"]
    assert body["lines"][0]["quantity"] == 2 and body["lines"][0]["line_total"] == "20.00"


def test_cancel_after_shipping_is_a_409_that_changes_nothing(world):
    order = order_in(Status.SHIPPED, world=world)
    before = (OrderEvent.objects.count(), LedgerEntry.objects.count())
    response = client_for(world.shopper).post(f"/api/v1/orders/{order.number}/cancel", {"reason": "late"},
                                              content_type="application/json")
    assert response.status_code == 409
    problem = response.json()
    assert (problem["code"], problem["from_status"], problem["to_status"]) == ("transition_not_allowed", "shipped",
                                                                               "?")
    assert problem["event"] == "cancel"
    assert Order.objects.get(pk=order.pk).status == "shipped"
    assert (OrderEvent.objects.count(), LedgerEntry.objects.count()) == before


def test_the_merchant_queue_filters_by_status_without_n_plus_one(world, django_assert_max_num_queries):
    paid = [order_in(Status.PAID, world=world) for _ in range(3)]
    order_in(Status.PROCESSING, world=world)
    client = client_for(world.owner_a)
    url = f"/api/v1/seller/merchants/{world.merchant_a.pk}/orders"
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        body = client.get(url, {"status": "paid"}).json()
    assert [o["number"] for o in body] == [o.number for o in paid]
    assert all(o["line_count"] == 1 for o in body)
    assert client.get(url, {"status": "nonsense"}).status_code == 422
    shopper = client_for(world.shopper)
    shopper.get("/api/v1/orders")
    with django_assert_max_num_queries(12):
        mine = shopper.get("/api/v1/orders").json()
    assert len(mine) == 4


def test_a_refund_retried_with_the_same_key_refunds_once(world):
    order = order_in(Status.DELIVERED, world=world, price="10.00", quantity=1, shipping="0.00")
    client = client_for(world.owner_a)
    url = f"/api/v1/seller/merchants/{world.merchant_a.pk}/orders/{order.number}/refunds"
    first = client.post(url, {"amount": "4.00"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(url, {"amount": "4.00"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    order.refresh_from_db()
    assert (order.status, str(order.refunded_total)) == ("partially_refunded", "4.00")
    other = client.post(url, {"amount": "5.00"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_ship_needs_the_manage_permission_and_tracking(world):
    order = order_in(Status.PROCESSING, world=world)
    url = f"/api/v1/seller/merchants/{world.merchant_a.pk}/orders/{order.number}/ship"
    response = client_for(world.staff_a).post(url, {"tracking_number": " ", "carrier": "EMS"},
                                              content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "tracking_invalid"
    assert Order.objects.get(pk=order.pk).status == "processing"
    staff_without_mfa = client_for(world.staff_a, mfa=False).post(
        url, {"tracking_number": "EMS1", "carrier": "EMS"}, content_type="application/json")
    assert staff_without_mfa.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "processing"
