"""Orders: the shopper's own orders, and a merchant's order queue with fulfilment, returns and refunds.

Delivery is normally reported by the carrier; POST .../deliver is for merchants who deliver
themselves (their own van, pick-up at the shop).
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Header, Path, Query, Router, Status

from bastion.accounts import access as account_access
from bastion.accounts.api_auth import AUTH
from bastion.core.apitools import responses
from bastion.core.money import Money
from bastion.core.roles import Perm
from bastion.inventory import idempotency
from bastion.orders import access, queries, state
from bastion.orders.actions import fulfilment, returns
from bastion.orders.models import Order
from bastion.orders.schemas import (
    NoteIn,
    OrderOut,
    OrderSummaryOut,
    ReasonIn,
    RefundIn,
    RejectIn,
    ReturnIn,
    ReturnOut,
    ShipIn,
)

shopper_router = Router(tags=["orders"], auth=AUTH)
seller_router = Router(tags=["seller orders"], auth=AUTH)

_PAGE = 200
_NUMBER = r"^[A-Z0-9-]{1,32}$"
_STATUS = "^(" + "|".join(state.Status) + ")$"
_STATUSES = "One of: " + ", ".join(state.Status) + "."
_MANAGE = Perm.MERCHANT_MANAGE_ORDERS
_KEY_HELP = ("Optional. A retry with the same key answers the first result without refunding again; "
             "the same key with a different body is refused (422).")


def order_out(order: Order) -> dict:
    return {
        "number": order.number, "merchant_id": order.merchant_id, "merchant_name": order.merchant.name,
        "checkout_reference": order.checkout_reference, "status": order.status, "currency": order.currency,
        **{name: str(getattr(order, name)) for name in ("subtotal", "shipping", "tax", "discount", "total",
                                                          "refunded_total")},
        "shipping_address": {name: getattr(order, name) for name in ("recipient", "phone", "line1", "line2", "city",
                                                                     "region", "postal_code", "country")},
        "tracking_number": order.tracking_number, "carrier": order.carrier, "placed_at": order.placed_at,
        "next_events": [str(e) for e in state.events_from(order.status)],
        "lines": [{"id": line.pk, "variant_id": line.variant_id, "sku": line.sku, "title": line.title,
                   "options": line.options, "unit_price": str(line.unit_price), "quantity": line.quantity,
                   "line_total": str(line.line_total), "quantity_returned": line.quantity_returned,
                   "quantity_refunded": line.quantity_refunded} for line in order.lines.all()],
        "returns": [return_out(r) for r in order.returns.all()],
        "timeline": [{"at": e.at, "actor": e.actor, "kind": e.kind, "from_status": e.from_status,
                      "to_status": e.to_status, "note": e.note} for e in order.events.all()],
    }


def return_out(request) -> dict:
    return {"id": request.pk, "status": request.status, "reason": request.reason, "lines": request.lines,
            "created_at": request.created_at, "decided_at": request.decided_at,
            "decision_note": request.decision_note}


def summary_out(order: Order) -> dict:
    return {"number": order.number, "merchant_id": order.merchant_id, "merchant_name": order.merchant.name,
            "status": order.status, "currency": order.currency, "total": str(order.total),
            "line_count": order.line_count, "placed_at": order.placed_at}


def _fresh(order: Order) -> dict:
    return order_out(queries.with_details(Order.objects.filter(pk=order.pk)).get())


# -- the shopper ---------------------------------------------------------------------------------

@shopper_router.get("", response=responses(list[OrderSummaryOut], 401, 429))
def my_orders(request):
    """Your newest 200 orders."""
    request.auth.require_user()
    return [summary_out(o) for o in queries.orders_of_shopper(request.auth.user_id).select_related("merchant")[:_PAGE]]


@shopper_router.get("/{number}", response=responses(OrderOut, 401, 404, 422, 429))
def my_order(request, number: str):
    return order_out(access.get_order_for_shopper(request.auth, number))


@shopper_router.post("/{number}/cancel", response=responses(OrderOut, 401, 404, 409, 422, 429))
def cancel_my_order(request, number: str, payload: ReasonIn):
    """Cancel before the parcel leaves; held stock is given back."""
    order = access.get_order_for_shopper(request.auth, number)
    return _fresh(fulfilment.cancel(actor=request.auth, order=order, reason=payload.reason))


@shopper_router.post("/{number}/returns", response=responses({201: ReturnOut}, 401, 404, 409, 422, 429))
def request_return(request, number: str, payload: ReturnIn):
    """Ask to send delivered goods back; the merchant approves or rejects."""
    order = access.get_order_for_shopper(request.auth, number)
    made = returns.request_return(actor=request.auth, order=order, reason=payload.reason,
                                  lines=_quantities(payload.lines))
    return Status(201, return_out(made))


def _quantities(lines) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for line in lines:
        quantities[line.line_id] = quantities.get(line.line_id, 0) + line.quantity
    return quantities


# -- the merchant --------------------------------------------------------------------------------

@seller_router.get("/merchants/{merchant_id}/orders", response=responses(list[OrderSummaryOut], 401, 403, 404, 422,
                                                                          429))
def order_queue(request, merchant_id: int, status: str | None = Query(None, pattern=_STATUS, description=_STATUSES)):
    """The newest 200 orders, or with `status` the oldest 200 in that status (the work queue)."""
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    orders = queries.order_queue(merchant.pk, status=status)[:_PAGE]
    for order in orders:
        order.merchant = merchant
    return [summary_out(o) for o in orders]


@seller_router.get("/merchants/{merchant_id}/orders/{number}", response=responses(OrderOut, 401, 403, 404, 422, 429))
def merchant_order(request, merchant_id: int, number: str):
    return order_out(access.get_order_for_merchant(request.auth, merchant_id, number))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/accept",
                    response=responses(OrderOut, 401, 403, 404, 409, 422, 429))
def accept_order(request, merchant_id: int, number: str):
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return _fresh(fulfilment.start_processing(actor=request.auth, order=order))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/ship",
                    response=responses(OrderOut, 401, 403, 404, 409, 422, 429))
def ship_order(request, merchant_id: int, number: str, payload: ShipIn):
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return _fresh(fulfilment.mark_shipped(actor=request.auth, order=order, tracking_number=payload.tracking_number,
                                          carrier=payload.carrier))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/deliver",
                    response=responses(OrderOut, 401, 403, 404, 409, 422, 429))
def deliver_order(request, merchant_id: int, number: str, payload: NoteIn):
    """For merchants who deliver themselves; parcels sent with a carrier are marked by the carrier's report."""
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return _fresh(fulfilment.mark_delivered(actor=request.auth, order=order, note=payload.note))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/cancel",
                    response=responses(OrderOut, 401, 403, 404, 409, 422, 429))
def merchant_cancel(request, merchant_id: int, number: str, payload: ReasonIn):
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return _fresh(fulfilment.cancel(actor=request.auth, order=order, reason=payload.reason))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/returns/{return_id}/approve",
                    response=responses(ReturnOut, 401, 403, 404, 409, 422, 429))
def approve_return(request, merchant_id: int, number: str, payload: NoteIn,
                   return_id: int = Path(..., ge=1, le=2**53)):
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return return_out(returns.approve_return(actor=request.auth, order=order, return_id=return_id, note=payload.note))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/returns/{return_id}/reject",
                    response=responses(ReturnOut, 401, 403, 404, 409, 422, 429))
def reject_return(request, merchant_id: int, number: str, payload: RejectIn,
                  return_id: int = Path(..., ge=1, le=2**53)):
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)
    return return_out(returns.reject_return(actor=request.auth, order=order, return_id=return_id, note=payload.note))


@seller_router.post("/merchants/{merchant_id}/orders/{number}/refunds",
                    response=responses(OrderOut, 401, 403, 404, 409, 422, 429))
def refund_order(request, merchant_id: int, number: str, payload: RefundIn,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key",
                                                      pattern=idempotency.KEY_PATTERN, description=_KEY_HELP)):
    """Refund part or all of an order, by line or by amount alone; returned units go back to stock."""
    order = access.get_order_for_merchant(request.auth, merchant_id, number, _MANAGE)

    def run():
        refunded = returns.record_refund(actor=request.auth, order=order,
                                         amount=Money(Decimal(payload.amount), order.currency),
                                         lines=_quantities(payload.lines), note=payload.note)
        return 200, _fresh(refunded)

    return Status(*idempotency.run_once(merchant=order.merchant, operation=f"order.refund:{order.number}",
                                        key=idempotency_key, body=payload.model_dump(), run=run))
