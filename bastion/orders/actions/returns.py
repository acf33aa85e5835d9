"""Returns (the shopper asks, the merchant decides) and refunds (partial or full, by line)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bastion.accounts.actor import Actor
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid
from bastion.core.money import Money
from bastion.inventory.actions.stock import return_to_stock
from bastion.inventory.models import Reservation, Warehouse
from bastion.orders import state
from bastion.orders.actions.fulfilment import require_merchant, require_shopper
from bastion.orders.actions.transitions import lock_order, move
from bastion.orders.models import Order, OrderLine, ReturnRequest


def _lines_of(order: Order, quantities: dict[int, int], *, room) -> dict[int, tuple[OrderLine, int]]:
    """The order's lines named in `quantities`, each checked against `room(line)` units still open."""
    if not quantities:
        raise Invalid(_("Name at least one line and a quantity."), code="lines_required")
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order)}
    chosen = {}
    for line_id, quantity in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise Invalid(_("Line %(line)s is not part of this order.") % {"line": line_id}, code="line_not_found")
        if quantity <= 0 or quantity > room(line):
            raise Invalid(_("%(sku)s: between 1 and %(max)d.") % {"sku": line.sku, "max": room(line)},
                          code="quantity_invalid", extra={"line": line.pk})
        chosen[line.pk] = (line, quantity)
    return chosen


def _reason(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 500:
        raise Invalid(_("Give a reason of at most 500 characters."), code="reason_invalid")
    return text


@transaction.atomic
def request_return(*, actor: Actor, order: Order, lines: dict[int, int], reason: str) -> ReturnRequest:
    """The shopper asks to send delivered goods back."""
    require_shopper(actor, order)
    reason = _reason(reason)
    order = lock_order(order)
    state.next_status(order.status, state.Event.REQUEST_RETURN)
    chosen = _lines_of(order, lines, room=lambda line: line.quantity - line.quantity_returned)
    wanted = {str(pk): quantity for pk, (_line, quantity) in sorted(chosen.items())}
    request = ReturnRequest.objects.create(order=order, reason=reason, lines=wanted, created_at=clock.now())
    move(order, event=state.Event.REQUEST_RETURN, actor=actor.label, note=reason,
         payload={"return": request.pk, "lines": wanted, "reason": reason})
    return request


def _open_request(order: Order, return_id: int) -> ReturnRequest:
    request = ReturnRequest.objects.select_for_update().filter(pk=return_id, order=order).first()
    if request is None:
        raise Invalid(_("No such return for this order."), code="return_not_found")
    if request.status != ReturnRequest.Status.REQUESTED:
        raise Conflict(_("This return was already decided."), code="return_decided")
    return request


@transaction.atomic
def approve_return(*, actor: Actor, order: Order, return_id: int, note: str = "") -> ReturnRequest:
    """The merchant takes the goods back; the returned units are then refunded with record_refund."""
    require_merchant(actor, order)
    order = lock_order(order)
    state.next_status(order.status, state.Event.APPROVE_RETURN)
    request = _open_request(order, return_id)
    _lines_of(order, {int(k): v for k, v in request.lines.items()},
              room=lambda line: line.quantity - line.quantity_returned)
    for line_id, quantity in request.lines.items():
        OrderLine.objects.filter(pk=int(line_id)).update(quantity_returned=F("quantity_returned") + quantity)
    request.status, request.decided_at, request.decided_by = ReturnRequest.Status.APPROVED, clock.now(), actor.label
    request.decision_note = note.strip()[:500]
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    move(order, event=state.Event.APPROVE_RETURN, actor=actor.label, note=request.decision_note,
         payload={"return": request.pk, "lines": request.lines})
    return request


@transaction.atomic
def reject_return(*, actor: Actor, order: Order, return_id: int, note: str) -> ReturnRequest:
    require_merchant(actor, order)
    note = _reason(note)
    order = lock_order(order)
    state.next_status(order.status, state.Event.REJECT_RETURN)
    request = _open_request(order, return_id)
    request.status, request.decided_at, request.decided_by = ReturnRequest.Status.REJECTED, clock.now(), actor.label
    request.decision_note = note
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    move(order, event=state.Event.REJECT_RETURN, actor=actor.label, note=note,
         payload={"return": request.pk, "reason": note})
    return request


@transaction.atomic
def record_refund(*, actor: Actor, order: Order, amount: Money, lines: dict[int, int] | None = None,
                  note: str = "") -> Order:
    """Money goes back to the shopper, for some lines or none (shipping, goodwill).

    Refunded units that had come back (an approved return) go back on the shelf through
    inventory's return_to_stock, into the warehouse they were sold from. The whole order
    refunded is "refunded" (terminal); less is a partial refund.
    """
    require_merchant(actor, order)
    order = lock_order(order)
    if amount.currency != order.currency or amount.amount <= 0:
        raise Invalid(_("A refund is a positive amount in the order's currency."), code="amount_invalid")
    left = order.money("total") - order.money("refunded_total")
    if amount > left:
        raise Invalid(_("At most %(left)s can still be refunded.") % {"left": left}, code="refund_too_large",
                      extra={"refundable": str(left.amount)})
    full = amount == left
    event = state.Event.REFUND_FULL if full else state.Event.REFUND_PARTIAL
    state.next_status(order.status, event)
    chosen = _lines_of(order, lines, room=lambda line: line.quantity - line.quantity_refunded) if lines else {}
    restocked = []
    for line, quantity in chosen.values():
        back = min(quantity, line.quantity_returned - line.quantity_restocked)
        if back > 0 and (warehouse := _warehouse_for(order, line)) is not None:
            return_to_stock(actor=actor.label, warehouse=warehouse, variant=line.variant, quantity=back,
                            reference=f"order:{order.number}:refund")
            restocked.append([line.sku, back])
        else:
            back = 0
        OrderLine.objects.filter(pk=line.pk).update(quantity_refunded=F("quantity_refunded") + quantity,
                                                    quantity_restocked=F("quantity_restocked") + back)
    refunded = order.money("refunded_total") + amount
    return move(order, event=event, actor=actor.label, note=note.strip()[:500],
                update={"refunded_total": refunded.amount},
                payload={"amount": str(amount.amount), "refunded_total": str(refunded.amount),
                         "lines": {str(pk): q for pk, (_line, q) in sorted(chosen.items())}, "restocked": restocked})


def _warehouse_for(order: Order, line: OrderLine) -> Warehouse | None:
    """Where the unit was sold from (its reservation), else the merchant's first open warehouse."""
    if order.reservation_reference:
        row = (Reservation.objects.filter(reference=order.reservation_reference, variant_id=line.variant_id)
               .select_related("warehouse").order_by("position").first())
        if row is not None:
            return row.warehouse
    return Warehouse.objects.filter(merchant_id=order.merchant_id, is_active=True).order_by("id").first()


