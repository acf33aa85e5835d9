"""The shopper's cart page: lines per merchant, review messages, quantity changes (HTMX) and a quote."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bastion.accounts import access as account_access
from bastion.accounts.actor import actor_for_request
from bastion.accounts.models import Address
from bastion.cart import actions
from bastion.cart.summary import quote, summarize
from bastion.core.errors import Problem

ISSUE_TEXT = {
    "price_changed": gettext_lazy("The price changed from %(old)s to %(new)s since you added it."),
    "quantity_reduced": gettext_lazy("Only %(new)s left: the quantity will be lowered from %(old)s."),
    "out_of_stock": gettext_lazy("Out of stock at the moment."),
    "unavailable": gettext_lazy("No longer for sale; remove it to continue."),
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _cart(request, *, create: bool):
    return actions.open_cart(actor=actor_for_request(request), session=request.session, create=create)


def _context(request, cart) -> dict:
    summary = summarize(cart)
    destination = {"country": (request.GET.get("country") or "").strip().upper()[:2],
                   "region": (request.GET.get("region") or "").strip()[:100]}
    addresses = []
    if request.user.is_authenticated:
        addresses = list(Address.objects.filter(user=request.user).order_by("-is_default", "id"))
        address_id = _int(request.GET.get("address"))
        if address_id:
            try:
                address = account_access.get_address_for(actor_for_request(request), address_id)
            except Problem as problem:
                messages.error(request, problem.detail)
            else:
                destination = {"country": address.country, "region": address.region}
    quoted = bool(destination["country"]) and bool(summary.groups)
    if quoted:
        summary = quote(summary, country=destination["country"], region=destination["region"])
    notes: dict[int, list[str]] = {}
    for issue in summary.issues:
        notes.setdefault(issue.line_id, []).append(ISSUE_TEXT[issue.code] % {"old": issue.old, "new": issue.new})
    for line in summary.lines:
        line.notes = notes.get(line.pk, [])
    return {"summary": summary, "destination": destination, "addresses": addresses, "quoted": quoted}


@require_GET
def cart_page(request):
    return render(request, "storefront/cart.html", _context(request, _cart(request, create=False)))


@require_POST
def add_to_cart(request):
    variant_id, quantity = _int(request.POST.get("variant_id")), _int(request.POST.get("quantity")) or 1
    if variant_id is None:
        messages.error(request, _("Choose what to add."))
        return redirect("storefront:cart")
    try:
        actions.add_line(cart=_cart(request, create=True), variant_id=variant_id, quantity=quantity)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Added to your cart."))
    return redirect("storefront:cart")


def _after_change(request):
    if request.htmx:
        return render(request, "storefront/_cart.html", _context(request, _cart(request, create=False)))
    return redirect("storefront:cart")


@require_POST
def change_line(request, line_id: int):
    try:
        line = actions.get_line_of(_cart(request, create=False), line_id)
        if request.POST.get("remove"):
            actions.remove_line(line=line)
        else:
            actions.update_quantity(line=line, quantity=_int(request.POST.get("quantity")) or 0)
    except Problem as problem:
        messages.error(request, problem.detail)
    return _after_change(request)
