"""The merchant's side of an order: accept, ship, deliver; and cancelling, by either side."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bastion.accounts.actor import Actor
from bastion.core.errors import Forbidden, Invalid
from bastion.core.roles import Perm
from bastion.inventory.actions.reservations import release_reservation
from bastion.inventory.actions.stock import return_to_stock
from bastion.inventory.models import Reservation
from bastion.orders import state
from bastion.orders.actions.transitions import lock_order, move
from bastion.orders.models import Order


def require_merchant(actor: Actor, order: Order) -> None:
    actor.require(Perm.MERCHANT_MANAGE_ORDERS, order.merchant_id)


def require_shopper(actor: Actor, order: Order) -> None:
    actor.require_user()
    if order.shopper_id is None or order.shopper_id != actor.user_id:
        raise Forbidden(code="not_your_order")


@transaction.atomic
def start_processing(*, actor: Actor, order: Order) -> Order:
    """The merchant accepts a paid order and starts preparing it."""
    require_merchant(actor, order)
    return move(lock_order(order), event=state.Event.ACCEPT, actor=actor.label)


@transaction.atomic
def mark_shipped(*, actor: Actor, order: Order, tracking_number: str, carrier: str) -> Order:
    require_merchant(actor, order)
    tracking_number, carrier = tracking_number.strip(), carrier.strip()
    if not tracking_number or not carrier or len(tracking_number) > 64 or len(carrier) > 64:
        raise Invalid(_("Shipping needs a carrier and a tracking number (at most 64 characters each)."),
                      code="tracking_invalid")
    return move(lock_order(order), event=state.Event.SHIP, actor=actor.label,
                update={"tracking_number": tracking_number, "carrier": carrier},
                payload={"tracking_number": tracking_number, "carrier": carrier})


@transaction.atomic
def mark_delivered(*, actor: Actor, order: Order, note: str = "") -> Order:
    """The parcel arrived. Normally the carrier reports it; a merchant delivering itself says so here."""
    require_merchant(actor, order)
    return move(lock_order(order), event=state.Event.DELIVER, actor=actor.label, note=note.strip())


@transaction.atomic
def complete(*, actor: Actor, order: Order) -> Order:
    """Delivered and settled: the merchant (or the shopper, confirming receipt) closes the order."""
    if actor.user_id is not None and actor.user_id == order.shopper_id:
        require_shopper(actor, order)
    else:
        require_merchant(actor, order)
    return move(lock_order(order), event=state.Event.COMPLETE, actor=actor.label)


@transaction.atomic
def cancel(*, actor: Actor, order: Order, reason: str) -> Order:
    """Cancel before shipping: by the shopper on their own order, or by the merchant.

    Stock held for the order comes back: an active reservation is released; one already sold
    (the order was paid) is returned to the warehouses it was taken from.
    """
    if actor.user_id is not None and actor.user_id == order.shopper_id:
        require_shopper(actor, order)
    else:
        require_merchant(actor, order)
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Invalid(_("Say why the order is cancelled (at most 500 characters)."), code="reason_invalid")
    order = lock_order(order)
    state.next_status(order.status, state.Event.CANCEL)  # refuse before touching stock
    _give_back_stock(order, actor=actor.label)
    return move(order, event=state.Event.CANCEL, actor=actor.label, note=reason,
                payload={"reason": reason, "reservation": order.reservation_reference})


def _give_back_stock(order: Order, *, actor: str) -> None:
    if not order.reservation_reference:
        return
    rows = list(Reservation.objects.filter(reference=order.reservation_reference).select_related("warehouse",
                                                                                                  "variant"))
    if any(row.status == Reservation.Status.ACTIVE for row in rows):
        release_reservation(reference=order.reservation_reference, actor=actor)
        return
    for row in rows:
        if row.status == Reservation.Status.CONVERTED:
            return_to_stock(actor=actor, warehouse=row.warehouse, variant=row.variant, quantity=row.quantity,
                            reference=f"order:{order.number}:cancel")
