"""Order actions against the database: timeline, ledger, stock and money, exactly."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.audit.models import LedgerEntry
from bastion.core.errors import Forbidden, Invalid, NotAuthenticated
from bastion.core.money import Money
from bastion.inventory.models import Reservation, StockLevel, StockMovement
from bastion.inventory.tests.factories import variant_of
from bastion.orders.actions import fulfilment, placing, returns
from bastion.orders.models import Order, OrderEvent, OrderLine, ReturnRequest
from bastion.orders.state import Status, TransitionNotAllowed
from bastion.orders.tests.factories import ADDRESS, actor, order_in, place

pytestmark = pytest.mark.django_db


def _snapshot():
    return (sorted(Order.objects.values_list("pk", "status", "refunded_total", "tracking_number")),
            OrderEvent.objects.count(), LedgerEntry.objects.count(), ReturnRequest.objects.count(),
            StockMovement.objects.count(), sorted(StockLevel.objects.values_list("pk", "on_hand", "reserved")),
            sorted(OrderLine.objects.values_list("pk", "quantity_returned", "quantity_refunded")))


def _last_entry():
    entry = LedgerEntry.objects.order_by("-seq").first()
    return entry.action, entry.subject, json.loads(entry.payload)


def test_placing_writes_lines_timeline_and_ledger(world):
    order = place(shopper=world.shopper, merchant=world.merchant_a, price="12.50", quantity=3, shipping="6.00")
    assert order.number.startswith("BST-") and len(order.number) == len("BST-2026-000001")
    assert (order.subtotal, order.shipping, order.total) == (Decimal("37.50"), Decimal("6.00"), Decimal("43.50"))
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.line_total) == (3, Decimal("12.50"), Decimal("37.50"))
    assert (order.recipient, order.city, order.status) == ("Li Wei", "Shanghai", "pending_payment")
    assert list(order.events.values_list("kind", "from_status", "to_status")) == [("place", "", "pending_payment")]
    action, subject, payload = _last_entry()
    assert (action, subject) == ("order.place", f"order:{order.number}")
    assert payload["total"] == "43.50" and payload["lines"] == [[line.sku, 3, "12.50"]]


def test_order_numbers_follow_each_other(world):
    first = place(shopper=world.shopper, merchant=world.merchant_a)
    second = place(shopper=world.shopper, merchant=world.merchant_a)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_one_checkout_one_order_per_merchant_totals_add_up(world):
    a, b = variant_of(world.merchant_a), variant_of(world.merchant_b)
    parts = [placing.MerchantPart(merchant=world.merchant_a, shipping=Money("5.00"),
                                  lines=[placing.LineIn(variant=a, quantity=1, unit_price=Money("10.00"))]),
             placing.MerchantPart(merchant=world.merchant_b, shipping=Money("0.00"),
                                  lines=[placing.LineIn(variant=b, quantity=2, unit_price=Money("10.00"))])]
    orders = placing.create_orders_for_checkout(shopper=world.shopper, checkout_reference="co-1", address=ADDRESS,
                                                parts=parts, tax=Money("1.00"), discount=Money("1.00"))
    assert [o.merchant_id for o in orders] == [world.merchant_a.pk, world.merchant_b.pk]
    assert [(o.tax, o.discount) for o in orders] == [(Decimal("0.33"), Decimal("0.33")),
                                                      (Decimal("0.67"), Decimal("0.67"))]
    assert sum(o.total for o in orders) == Decimal("35.00")
    again = placing.create_orders_for_checkout(shopper=world.shopper, checkout_reference="co-1", address=ADDRESS,
                                               parts=parts, tax=Money("1.00"), discount=Money("1.00"))
    assert [o.pk for o in again] == [o.pk for o in orders]


@settings(max_examples=15, deadline=None)
@given(prices=st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=4),
       tax=st.integers(min_value=0, max_value=10_000), discount_share=st.integers(min_value=0, max_value=100))
def test_split_totals_add_up_exactly(django_db_blocker, prices, tax, discount_share):
    from bastion.testing.world import build_world
    with django_db_blocker.unblock():
        from django.db import transaction
        with transaction.atomic():
            world = build_world()
            merchants = [world.merchant_a, world.merchant_b] + [
                type(world.merchant_a).objects.create(name=f"M{i}-{id(prices)}", slug=f"m{i}-{id(prices)}",
                                                      created_at=world.merchant_a.created_at) for i in range(2)]
            parts = [placing.MerchantPart(merchant=merchants[i], shipping=Money("3.00"), lines=[placing.LineIn(
                variant=variant_of(merchants[i]), quantity=1, unit_price=Money.from_minor(p))])
                for i, p in enumerate(prices)]
            subtotal = sum(prices)
            discount = Money.from_minor(subtotal * discount_share // 100)
            orders = placing.create_orders_for_checkout(
                shopper=world.shopper, checkout_reference=f"prop-{id(parts)}", address=ADDRESS, parts=parts,
                tax=Money.from_minor(tax), discount=discount)
            assert sum(o.tax for o in orders) == Money.from_minor(tax).amount
            assert sum(o.discount for o in orders) == discount.amount
            assert sum(o.total for o in orders) == (Money.from_minor(subtotal + tax + 300 * len(prices))
                                                    - discount).amount
            transaction.set_rollback(True)


def test_the_full_life_of_an_order(world):
    order = order_in(Status.COMPLETED, world=world)
    assert list(order.events.values_list("kind", flat=True)) == [
        "place", "pay", "accept", "ship", "deliver", "complete"]
    assert (order.tracking_number, order.carrier) == ("SF100", "SF Express")
    assert list(LedgerEntry.objects.filter(subject=f"order:{order.number}").values_list("action", flat=True)
                .order_by("seq")) == ["order.place", "order.pay", "order.accept", "order.ship", "order.deliver",
                                      "order.complete"]


def test_paying_converts_the_reservation_and_cancelling_gives_the_stock_back(world):
    order = order_in(Status.PAID, world=world, reserve_stock=True, quantity=2)
    level = StockLevel.objects.get(variant=order.lines.get().variant)
    assert (level.on_hand, level.reserved) == (3, 0)
    assert set(Reservation.objects.filter(reference=order.reservation_reference).values_list("status", flat=True)) \
        == {"converted"}
    fulfilment.cancel(actor=actor(world.owner_a), order=order, reason="out of packaging")
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (5, 0)
    _action, _subject, payload = _last_entry()
    assert payload == {"from": "paid", "to": "cancelled", "reason": "out of packaging",
                       "reservation": order.reservation_reference}


def test_cancelling_before_payment_releases_the_reservation(world):
    order = order_in(Status.PENDING_PAYMENT, world=world, reserve_stock=True, quantity=2)
    level = StockLevel.objects.get(variant=order.lines.get().variant)
    assert (level.on_hand, level.reserved) == (5, 2)
    fulfilment.cancel(actor=actor(world.shopper), order=order, reason="changed my mind")
    level.refresh_from_db()
    assert (level.on_hand, level.reserved) == (5, 0)
    assert Order.objects.get(pk=order.pk).status == "cancelled"


@pytest.mark.parametrize("status", [Status.SHIPPED, Status.DELIVERED, Status.COMPLETED, Status.CANCELLED])
def test_cancel_after_shipping_is_refused_and_changes_nothing(world, status):
    order = order_in(status, world=world, reserve_stock=True)
    before = _snapshot()
    with pytest.raises(TransitionNotAllowed) as caught:
        fulfilment.cancel(actor=actor(world.shopper), order=order, reason="too late")
    assert caught.value.extra["from_status"] == status
    assert _snapshot() == before


def test_refused_transitions_change_nothing(world):
    order = order_in(Status.PENDING_PAYMENT, world=world)
    before = _snapshot()
    for attempt in (lambda: fulfilment.start_processing(actor=actor(world.owner_a), order=order),
                    lambda: fulfilment.mark_shipped(actor=actor(world.owner_a), order=order, tracking_number="X",
                                                    carrier="Y"),
                    lambda: fulfilment.mark_delivered(actor=actor(world.owner_a), order=order),
                    lambda: fulfilment.complete(actor=actor(world.owner_a), order=order),
                    lambda: returns.request_return(actor=actor(world.shopper), order=order,
                                                   lines={order.lines.get().pk: 1}, reason="x")):
        with pytest.raises(TransitionNotAllowed):
            attempt()
    assert _snapshot() == before


def test_permissions(world):
    order = order_in(Status.PAID, world=world)
    before = _snapshot()
    with pytest.raises(Forbidden):
        fulfilment.start_processing(actor=actor(world.owner_b), order=order)
    with pytest.raises(Forbidden):
        fulfilment.start_processing(actor=actor(world.shopper), order=order)
    with pytest.raises(Forbidden):
        fulfilment.cancel(actor=actor(world.staff_b), order=order, reason="not mine")
    with pytest.raises(NotAuthenticated):
        fulfilment.cancel(actor=actor(world.shopper).__class__(user=None), order=order, reason="x")
    delivered = order_in(Status.DELIVERED, world=world)
    before = _snapshot()
    with pytest.raises(Forbidden):
        returns.request_return(actor=actor(world.owner_a), order=delivered, lines={delivered.lines.get().pk: 1},
                               reason="merchants cannot")
    assert _snapshot() == before


def test_return_approved_then_refunded_puts_units_back_on_the_shelf(world):
    order = order_in(Status.DELIVERED, world=world, reserve_stock=True, quantity=2, price="10.00", shipping="5.00")
    line = order.lines.get()
    level = StockLevel.objects.get(variant=line.variant)
    assert level.on_hand == 3
    request = returns.request_return(actor=actor(world.shopper), order=order, lines={line.pk: 2}, reason="wrong size")
    assert request.lines == {str(line.pk): 2}
    returns.approve_return(actor=actor(world.owner_a), order=order, return_id=request.pk)
    line.refresh_from_db()
    assert line.quantity_returned == 2
    returns.record_refund(actor=actor(world.owner_a), order=order, amount=Money("10.00"), lines={line.pk: 1})
    order.refresh_from_db()
    line.refresh_from_db()
    level.refresh_from_db()
    assert (order.status, order.refunded_total) == ("partially_refunded", Decimal("10.00"))
    assert (line.quantity_refunded, line.quantity_restocked, level.on_hand) == (1, 1, 4)
    _action, _subject, payload = _last_entry()
    assert payload == {"from": "return_approved", "to": "partially_refunded", "amount": "10.00",
                       "refunded_total": "10.00", "lines": {str(line.pk): 1}, "restocked": [[line.sku, 1]]}
    returns.record_refund(actor=actor(world.owner_a), order=order, amount=Money("15.00"), lines={line.pk: 1})
    order.refresh_from_db()
    level.refresh_from_db()
    assert (order.status, order.refunded_total, level.on_hand) == ("refunded", Decimal("25.00"), 5)


def test_a_refund_over_what_is_left_changes_nothing(world):
    order = order_in(Status.PAID, world=world, price="10.00", quantity=1, shipping="0.00")
    before = _snapshot()
    with pytest.raises(Invalid) as caught:
        returns.record_refund(actor=actor(world.owner_a), order=order, amount=Money("10.01"))
    assert caught.value.code == "refund_too_large"
    with pytest.raises(Invalid):
        returns.record_refund(actor=actor(world.owner_a), order=order, amount=Money("1.00"), lines={order.lines.get().pk: 2})
    assert _snapshot() == before


def test_a_partial_refund_before_shipping_keeps_the_order_shippable(world):
    order = order_in(Status.PROCESSING, world=world, price="10.00", quantity=1, shipping="0.00")
    returns.record_refund(actor=actor(world.owner_a), order=order, amount=Money("2.00"))
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("processing", Decimal("2.00"))
    fulfilment.mark_shipped(actor=actor(world.owner_a), order=order, tracking_number="T1", carrier="EMS")
    assert Order.objects.get(pk=order.pk).status == "shipped"


def test_a_rejected_return_goes_back_to_delivered_and_cannot_be_decided_twice(world):
    order = order_in(Status.RETURN_REQUESTED, world=world)
    request = order.returns.get()
    returns.reject_return(actor=actor(world.owner_a), order=order, return_id=request.pk, note="worn")
    assert Order.objects.get(pk=order.pk).status == "delivered"
    before = _snapshot()
    with pytest.raises(TransitionNotAllowed):
        returns.approve_return(actor=actor(world.owner_a), order=order, return_id=request.pk)
    assert _snapshot() == before
