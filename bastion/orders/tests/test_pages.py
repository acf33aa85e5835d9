"""Shopper and seller order pages, end to end through the HTML forms."""

from __future__ import annotations

import pytest

from bastion.orders.models import Order, OrderEvent
from bastion.orders.state import Status
from bastion.orders.tests.factories import order_in
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def test_the_shopper_sees_their_orders_and_cancels_one(world):
    order = order_in(Status.PAID, world=world)
    client = client_for(world.shopper)
    listing = client.get("/account/orders/")
    assert listing.status_code == 200 and order.number in listing.text
    assert 'href="/account/orders/"' in client.get("/account/").text
    page = client.get(f"/account/orders/{order.number}/")
    assert page.status_code == 200 and 'id="cancel-order"' in page.text and "order-timeline" in page.text
    done = client.post(f"/account/orders/{order.number}/cancel/", {"reason": "changed my mind"}, follow=True)
    assert "is cancelled" in done.text
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_a_shopper_asks_for_a_return(world):
    order = order_in(Status.DELIVERED, world=world, quantity=2)
    line = order.lines.get()
    client = client_for(world.shopper)
    assert 'id="request-return"' in client.get(f"/account/orders/{order.number}/").text
    page = client.post(f"/account/orders/{order.number}/returns/", {f"quantity_{line.pk}": "1", "reason": "too big"},
                       follow=True)
    assert "Your return request is with the seller." in page.text
    assert order.returns.get().lines == {str(line.pk): 1}


def test_someone_elses_order_is_not_found_and_not_cancelled(world):
    order = order_in(Status.PAID, world=world)
    client = client_for(world.owner_b)
    assert client.get(f"/account/orders/{order.number}/").status_code == 404
    events = OrderEvent.objects.count()
    assert client.post(f"/account/orders/{order.number}/cancel/", {"reason": "x"}).status_code == 404
    assert (Order.objects.get(pk=order.pk).status, OrderEvent.objects.count()) == ("paid", events)


def test_the_merchant_works_the_queue(world):
    order = order_in(Status.PAID, world=world)
    client = client_for(world.staff_a)
    base = f"/seller/{world.merchant_a.pk}/orders/"
    assert f'href="{base}"' in client.get(f"/seller/{world.merchant_a.pk}/").text
    queue = client.get(base, {"status": "paid"})
    assert queue.status_code == 200 and order.number in queue.text
    assert 'id="accept-order"' in client.get(f"{base}{order.number}/").text
    client.post(f"{base}{order.number}/accept/")
    page = client.post(f"{base}{order.number}/ship/", {"carrier": "SF Express", "tracking_number": "SF9"}, follow=True)
    assert "Order shipped." in page.text
    client.post(f"{base}{order.number}/deliver/", {"note": "by our van"})
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("delivered", "SF9")
    page = client.post(f"{base}{order.number}/refunds/", {"amount": "1.00"}, follow=True)
    assert "Refund recorded." in page.text
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"
    bad = client.post(f"{base}{order.number}/refunds/", {"amount": "lots"}, follow=True)
    assert "Enter the amount to refund" in bad.text


def test_the_merchant_approves_and_rejects_returns(world):
    first, second = (order_in(Status.RETURN_REQUESTED, world=world) for _ in range(2))
    client = client_for(world.owner_a)
    base = f"/seller/{world.merchant_a.pk}/orders/"
    assert "Approve return" in client.get(f"{base}{first.number}/").text
    client.post(f"{base}{first.number}/returns/{first.returns.get().pk}/approve/")
    client.post(f"{base}{second.number}/returns/{second.returns.get().pk}/reject/", {"note": "used"})
    assert Order.objects.get(pk=first.pk).status == "return_approved"
    assert Order.objects.get(pk=second.pk).status == "delivered"


def test_other_merchants_and_shoppers_cannot_reach_the_queue(world):
    order = order_in(Status.PAID, world=world)
    base = f"/seller/{world.merchant_a.pk}/orders/"
    assert client_for(world.owner_b).get(base).status_code == 404
    assert client_for(world.owner_b).post(f"{base}{order.number}/accept/").status_code == 404
    assert client_for(world.shopper).get(base).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "paid"
