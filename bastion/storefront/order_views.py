"""A shopper's own orders: the list, one order with its timeline, cancelling and asking for a return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.accounts.actor import actor_for_request
from bastion.core.errors import Problem
from bastion.orders import access, queries, state
from bastion.orders.actions import fulfilment, returns

ORDERS_SHOWN = 100
RETURNABLE = {state.Status.DELIVERED, state.Status.PARTIALLY_REFUNDED}


def _problem_page(request, problem: Problem):
    return render(request, "problem.html", {"problem": problem}, status=problem.status)


@login_required
def orders(request):
    actor = actor_for_request(request)
    return render(request, "storefront/orders/list.html",
                  {"orders": queries.orders_of_shopper(actor.user_id)[:ORDERS_SHOWN]})


@login_required
def order_detail(request, number: str):
    actor = actor_for_request(request)
    try:
        order = access.get_order_for_shopper(actor, number)
    except Problem as problem:
        return _problem_page(request, problem)
    lines = list(order.lines.all())
    for line in lines:
        line.returnable = line.quantity - line.quantity_returned
    return render(request, "storefront/orders/detail.html", {
        "order": order, "lines": lines, "events": list(order.events.all()), "returns": list(order.returns.all()),
        "can_cancel": order.status in state.CANCELLABLE, "can_return": order.status in RETURNABLE})


@login_required
@require_POST
def cancel_order(request, number: str):
    actor = actor_for_request(request)
    try:
        order = access.get_order_for_shopper(actor, number)
        fulfilment.cancel(actor=actor, order=order, reason=request.POST.get("reason", ""))
    except Problem as problem:
        if problem.status == 404:
            return _problem_page(request, problem)
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Order %(number)s is cancelled.") % {"number": number})
    return redirect("storefront:order", number=number)


@login_required
@require_POST
def request_return(request, number: str):
    actor = actor_for_request(request)
    try:
        order = access.get_order_for_shopper(actor, number)
        wanted = {}
        for line in order.lines.all():
            raw = request.POST.get(f"quantity_{line.pk}", "").strip() or "0"
            if not raw.isdigit():
                raise Problem(_("Quantities are whole numbers."), status=422, code="quantity_invalid")
            if int(raw) > 0:
                wanted[line.pk] = int(raw)
        returns.request_return(actor=actor, order=order, lines=wanted, reason=request.POST.get("reason", ""))
    except Problem as problem:
        if problem.status == 404:
            return _problem_page(request, problem)
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Your return request is with the seller."))
    return redirect("storefront:order", number=number)
