"""The cart API: anonymous visitors (by their session) and signed-in shoppers alike.

Authentication: an API key (Bearer) acts for its owner; otherwise the browser session, signed in
or not. Any request that carries a session cookie is held to CSRF, as in accounts.api_auth.
"""

from __future__ import annotations

from ninja import Router, Status

from bastion.accounts import access as account_access
from bastion.accounts.actor import ANONYMOUS
from bastion.accounts.api_auth import ApiKeyAuth, SessionAuth
from bastion.cart import actions
from bastion.cart.schemas import CartOut, LineIn, QuantityIn, QuoteIn
from bastion.cart.summary import Summary, quote, summarize
from bastion.core.apitools import responses


class VisitorSessionAuth(SessionAuth):
    """The session of a signed-in shopper or of an anonymous visitor (then the actor is anonymous)."""

    openapi_name = "visitorSession"

    def authenticate(self, request, key):
        if request.headers.get("Authorization"):
            return None  # a bad API key is refused (401), not treated as a visitor
        return super().authenticate(request, key) or ANONYMOUS


router = Router(tags=["cart"], auth=[ApiKeyAuth(), VisitorSessionAuth()])


def _money(value) -> str | None:
    return str(value.amount) if value is not None else None


def cart_out(summary: Summary) -> dict:
    return {
        "id": summary.cart_id, "currency": summary.subtotal.currency, "subtotal": _money(summary.subtotal),
        "tax": _money(summary.tax), "total": _money(summary.total),
        "lines": [{"id": line.pk, "variant_id": line.variant_id, "sku": line.variant.sku,
                   "title": line.variant.product.title, "merchant_id": line.variant.product.merchant_id,
                   "quantity": line.quantity, "unit_price": str(line.unit_price),
                   "current_price": _money(line.current_price), "currency": line.currency,
                   "available": line.available} for line in summary.lines],
        "groups": [{"merchant_id": g.merchant_id, "merchant_name": g.merchant_name,
                    "line_ids": [line.pk for line in g.lines], "subtotal": _money(g.subtotal),
                    "weight_grams": g.weight_grams,
                    "options": [{"method_id": o.method_id, "name": o.name, "carrier_code": o.carrier_code,
                                 "days_min": o.days_min, "days_max": o.days_max, "price": _money(o.price),
                                 "free": o.free} for o in g.options],
                    "shipping_method_id": g.shipping.method_id if g.shipping else None,
                    "shipping": _money(g.shipping.price) if g.shipping else None, "problem": g.problem,
                    "tax_percent": g.tax_percent, "tax": _money(g.tax), "total": _money(g.total)}
                   for g in summary.groups],
        "issues": [{"line_id": i.line_id, "code": i.code, "old": i.old, "new": i.new} for i in summary.issues],
    }


def _cart(request, *, create: bool):
    return actions.open_cart(actor=request.auth, session=request.session, create=create)


@router.get("", response=responses(CartOut, 401, 403, 429))
def get_cart(request):
    return cart_out(summarize(_cart(request, create=False)))


@router.delete("", response=responses(CartOut, 401, 403, 429))
def clear_cart(request):
    cart = _cart(request, create=False)
    if cart is not None:
        actions.clear(cart=cart)
    return cart_out(summarize(cart))


@router.post("/lines", response=responses({201: CartOut}, 401, 403, 404, 409, 422, 429))
def add_line(request, payload: LineIn):
    cart = _cart(request, create=True)
    actions.add_line(cart=cart, variant_id=payload.variant_id, quantity=payload.quantity)
    return Status(201, cart_out(summarize(cart)))


@router.patch("/lines/{line_id}", response=responses(CartOut, 401, 403, 404, 409, 422, 429))
def update_line(request, line_id: int, payload: QuantityIn):
    line = actions.get_line_of(_cart(request, create=False), line_id)
    actions.update_quantity(line=line, quantity=payload.quantity)
    return cart_out(summarize(line.cart))


@router.delete("/lines/{line_id}", response=responses(CartOut, 401, 403, 404, 429))
def remove_line(request, line_id: int):
    line = actions.get_line_of(_cart(request, create=False), line_id)
    cart = line.cart
    actions.remove_line(line=line)
    return cart_out(summarize(cart))


@router.post("/quote", response=responses(CartOut, 401, 403, 404, 422, 429))
def quote_cart(request, payload: QuoteIn):
    """Shipping options, tax and totals per merchant for a destination (prices include tax)."""
    if payload.address_id is not None:
        address = account_access.get_address_for(request.auth, payload.address_id)
        country, region = address.country, address.region
    else:
        country, region = payload.country.upper(), payload.region
    summary = summarize(_cart(request, create=False))
    return cart_out(quote(summary, country=country, region=region, method_ids=set(payload.method_ids)))
