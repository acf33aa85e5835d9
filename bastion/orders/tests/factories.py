"""Orders for tests, placed through the real actions and moved to any status along the table."""

from __future__ import annotations

import itertools

from bastion.accounts.actor import Actor, actor_for_user
from bastion.core.money import Money
from bastion.inventory.actions.reservations import reserve
from bastion.inventory.tests.factories import stocked, variant_of
from bastion.orders.actions import fulfilment, placing, returns
from bastion.orders.models import Order
from bastion.orders.state import Status

_n = itertools.count()

ADDRESS = placing.AddressSnapshot(recipient="Li Wei", phone="+8613800000000", line1="1 Nanjing Road", city="Shanghai",
                                  region="Shanghai", postal_code="200001", country="CN")

# The way to each status from pending_payment, as (action name) steps.
PATHS: dict[str, list[str]] = {
    Status.PENDING_PAYMENT: [],
    Status.PAID: ["pay"],
    Status.PROCESSING: ["pay", "accept"],
    Status.SHIPPED: ["pay", "accept", "ship"],
    Status.DELIVERED: ["pay", "accept", "ship", "deliver"],
    Status.COMPLETED: ["pay", "accept", "ship", "deliver", "complete"],
    Status.CANCELLED: ["cancel"],
    Status.RETURN_REQUESTED: ["pay", "accept", "ship", "deliver", "request_return"],
    Status.RETURN_APPROVED: ["pay", "accept", "ship", "deliver", "request_return", "approve_return"],
    Status.PARTIALLY_REFUNDED: ["pay", "accept", "ship", "deliver", "refund_partial"],
    Status.REFUNDED: ["pay", "refund_full"],
}


def actor(user) -> Actor:
    return actor_for_user(user, mfa_verified=True)


def place(*, shopper, merchant, owner=None, price: str = "10.00", quantity: int = 2, shipping: str = "5.00",
          tax: str = "0.00", discount: str = "0.00", reserve_stock: bool = False) -> Order:
    """One order of `quantity` units of a new variant; with `reserve_stock`, stock held for it."""
    n = next(_n)
    reference = ""
    if reserve_stock:
        variant, _warehouse = stocked(merchant, owner, quantity=quantity + 3)
        reference = f"test-reservation-{n}"
        reserve(lines=[(variant.pk, quantity)], reference=reference, actor="test")
    else:
        variant = variant_of(merchant)
    part = placing.MerchantPart(merchant=merchant, shipping=Money(shipping), reservation_reference=reference,
                                lines=[placing.LineIn(variant=variant, quantity=quantity, unit_price=Money(price))])
    (order,) = placing.create_orders_for_checkout(shopper=shopper, checkout_reference=f"test-checkout-{n}",
                                                  address=ADDRESS, parts=[part], tax=Money(tax),
                                                  discount=Money(discount))
    return order


def advance(order: Order, *, to: str, owner, shopper) -> Order:
    """Move `order` (just placed) to status `to` through the real actions."""
    merchant_actor, shopper_actor = actor(owner), actor(shopper)
    for step in PATHS[to]:
        order = Order.objects.get(pk=order.pk)
        if step == "pay":
            placing.mark_paid(order=order, payment_reference=f"pay-{order.number}")
        elif step == "accept":
            fulfilment.start_processing(actor=merchant_actor, order=order)
        elif step == "ship":
            fulfilment.mark_shipped(actor=merchant_actor, order=order, tracking_number="SF100", carrier="SF Express")
        elif step == "deliver":
            fulfilment.mark_delivered(actor=merchant_actor, order=order)
        elif step == "complete":
            fulfilment.complete(actor=merchant_actor, order=order)
        elif step == "cancel":
            fulfilment.cancel(actor=shopper_actor, order=order, reason="changed my mind")
        elif step == "request_return":
            line = order.lines.first()
            returns.request_return(actor=shopper_actor, order=order, lines={line.pk: 1}, reason="too small")
        elif step == "approve_return":
            returns.approve_return(actor=merchant_actor, order=order, return_id=order.returns.get().pk)
        elif step == "refund_partial":
            returns.record_refund(actor=merchant_actor, order=order, amount=Money("1.00"))
        elif step == "refund_full":
            returns.record_refund(actor=merchant_actor, order=order, amount=Money(order.total))
    return Order.objects.get(pk=order.pk)


def order_in(status: str, *, world, reserve_stock: bool = False, **kwargs) -> Order:
    order = place(shopper=world.shopper, merchant=world.merchant_a, owner=world.owner_a, reserve_stock=reserve_stock,
                  **kwargs)
    return advance(order, to=status, owner=world.owner_a, shopper=world.shopper)


