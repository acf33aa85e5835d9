"""Seller portal order pages: the queue by status, one order, and its fulfilment, returns and refunds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.accounts import access as account_access
from bastion.accounts.actor import Actor
from bastion.console.guards import staff_page
from bastion.core.errors import Invalid, Problem
from bastion.core.money import Money
from bastion.core.roles import Perm
from bastion.orders import access, queries, state
from bastion.orders.actions import fulfilment, returns
from bastion.orders.models import STATUS_LABELS

ORDERS_SHOWN = 100


@staff_page
def order_queue(request, actor: Actor, merchant_id: int):
    merchant = account_access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_VIEW)
    status = request.GET.get("status") or ""
    if status not in {s.value for s in state.Status}:
        status = ""
    counts = queries.status_counts(merchant.pk)
    return render(request, "seller/orders/queue.html", {
        "merchant": merchant, "status": status, "orders": queries.order_queue(merchant.pk, status=status)[:ORDERS_SHOWN],
        "tabs": [(s.value, STATUS_LABELS[s], counts.get(s.value, 0)) for s in state.Status]})


@staff_page
def order_detail(request, actor: Actor, merchant_id: int, number: str):
    order = access.get_order_for_merchant(actor, merchant_id, number)
    nexts = set(state.events_from(order.status))
    return render(request, "seller/orders/detail.html", {
        "merchant": order.merchant, "order": order, "lines": list(order.lines.all()), "events": list(order.events.all()),
        "returns": list(order.returns.all()), "can_manage": actor.can(Perm.MERCHANT_MANAGE_ORDERS, order.merchant_id),
        "can": {event.value: event in nexts for event in state.Event},
        "refundable": order.money("total") - order.money("refunded_total")})


def _act(request, actor: Actor, merchant_id: int, number: str, run, done: str):
    order = access.get_order_for_merchant(actor, merchant_id, number, Perm.MERCHANT_MANAGE_ORDERS)
    try:
        run(order)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, done)
    return redirect("seller:order", merchant_id=merchant_id, number=number)


@staff_page
@require_POST
def accept(request, actor: Actor, merchant_id: int, number: str):
    return _act(request, actor, merchant_id, number, lambda o: fulfilment.start_processing(actor=actor, order=o),
                _("Order accepted."))


@staff_page
@require_POST
def ship(request, actor: Actor, merchant_id: int, number: str):
    return _act(request, actor, merchant_id, number, lambda o: fulfilment.mark_shipped(
        actor=actor, order=o, tracking_number=request.POST.get("tracking_number", ""),
        carrier=request.POST.get("carrier", "")), _("Order shipped."))


@staff_page
@require_POST
def deliver(request, actor: Actor, merchant_id: int, number: str):
    return _act(request, actor, merchant_id, number, lambda o: fulfilment.mark_delivered(
        actor=actor, order=o, note=request.POST.get("note", "")[:500]), _("Order marked as delivered."))


@staff_page
@require_POST
def cancel(request, actor: Actor, merchant_id: int, number: str):
    return _act(request, actor, merchant_id, number, lambda o: fulfilment.cancel(
        actor=actor, order=o, reason=request.POST.get("reason", "")), _("Order cancelled."))


@staff_page
@require_POST
def approve_return(request, actor: Actor, merchant_id: int, number: str, return_id: int):
    return _act(request, actor, merchant_id, number, lambda o: returns.approve_return(
        actor=actor, order=o, return_id=return_id, note=request.POST.get("note", "")), _("Return approved."))


@staff_page
@require_POST
def reject_return(request, actor: Actor, merchant_id: int, number: str, return_id: int):
    return _act(request, actor, merchant_id, number, lambda o: returns.reject_return(
        actor=actor, order=o, return_id=return_id, note=request.POST.get("note", "")), _("Return rejected."))


def _refund(request, actor: Actor, order) -> None:
    try:
        amount = Money(Decimal(request.POST.get("amount", "").strip()), order.currency)
    except (InvalidOperation, ValueError):
        raise Invalid(_("Enter the amount to refund, e.g. 12.50."), code="amount_invalid") from None
    lines = {}
    for line in order.lines.all():
        raw = request.POST.get(f"quantity_{line.pk}", "").strip() or "0"
        if not raw.isdigit():
            raise Invalid(_("Quantities are whole numbers."), code="quantity_invalid")
        if int(raw) > 0:
            lines[line.pk] = int(raw)
    returns.record_refund(actor=actor, order=order, amount=amount, lines=lines, note=request.POST.get("note", ""))


@staff_page
@require_POST
def refund(request, actor: Actor, merchant_id: int, number: str):
    return _act(request, actor, merchant_id, number, lambda o: _refund(request, actor, o), _("Refund recorded."))
