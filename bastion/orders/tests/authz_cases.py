"""Authorization matrix of the order API (see bastion/testing/authz.py).

Shopper routes: the order belongs to the shopper, so "staff with permission" is the shopper
themself and everyone else finds nothing. Merchant routes: merchant staff hold the order
permission, so "staff without permission" is an operator, who does not work for the merchant.
Each call gets a fresh order in the status the route needs.
"""

from __future__ import annotations

from bastion.inventory.models import StockLevel, StockMovement
from bastion.orders.models import Order, OrderEvent, OrderLine, ReturnRequest
from bastion.orders.state import Status
from bastion.orders.tests.factories import order_in
from bastion.testing.authz import Call, Case, expect

SHOPPER = {"with_": "shopper", "without": "staff_a"}
OUTSIDER = {"without": "operator"}


def _orders(world):
    return (sorted(Order.objects.values_list("pk", "status", "refunded_total", "tracking_number")),
            OrderEvent.objects.count(), ReturnRequest.objects.count(), StockMovement.objects.count(),
            sorted(StockLevel.objects.values_list("pk", "on_hand", "reserved")),
            sorted(OrderLine.objects.values_list("pk", "quantity_returned", "quantity_refunded")))


def _mine(status: str, body=None):
    def prepare(world, user) -> Call:
        order = order_in(status, world=world)
        json = body(order) if callable(body) else body
        return Call({"number": order.number}, json)
    return prepare


def _merchant(status: str, body=None, *, with_return: bool = False):
    def prepare(world, user) -> Call:
        order = order_in(status, world=world, reserve_stock=True)
        params = {"merchant_id": world.merchant_a.pk, "number": order.number}
        if with_return:
            params["return_id"] = order.returns.get().pk
        json = body(order) if callable(body) else body
        return Call(params, json)
    return prepare


def _return_body(order):
    return {"lines": [{"line_id": order.lines.get().pk, "quantity": 1}], "reason": "too small"}


def _refund_body(order):
    return {"amount": "3.00", "lines": [{"line_id": order.lines.get().pk, "quantity": 1}], "note": "one returned"}


def _queue(world, user) -> Call:
    order_in(Status.PAID, world=world)
    return Call({"merchant_id": world.merchant_a.pk})


_SELLER = "/seller/merchants/{merchant_id}/orders"

CASES = [
    Case("GET", "/orders", expect(401, 200, 200, 200, 200), prepare=_mine(Status.PAID), **SHOPPER),
    Case("GET", "/orders/{number}", expect(401, 200, 404, 404, 200), prepare=_mine(Status.PAID), **SHOPPER),
    Case("POST", "/orders/{number}/cancel", expect(401, 200, 404, 404, 200),
         prepare=_mine(Status.PAID, {"reason": "changed my mind"}), snapshot=_orders, **SHOPPER),
    Case("POST", "/orders/{number}/returns", expect(401, 201, 404, 404, 201),
         prepare=_mine(Status.DELIVERED, _return_body), snapshot=_orders, **SHOPPER),
    Case("GET", _SELLER, expect(401, 404, 404, 404, 200), prepare=_queue, **OUTSIDER),
    Case("GET", _SELLER + "/{number}", expect(401, 404, 404, 404, 200), prepare=_merchant(Status.PAID), **OUTSIDER),
    Case("POST", _SELLER + "/{number}/accept", expect(401, 404, 404, 404, 200), prepare=_merchant(Status.PAID),
         snapshot=_orders, **OUTSIDER),
    Case("POST", _SELLER + "/{number}/ship", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.PROCESSING, {"tracking_number": "SF1", "carrier": "SF Express"}),
         snapshot=_orders, **OUTSIDER),
    Case("POST", _SELLER + "/{number}/deliver", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.SHIPPED, {"note": "handed over at the door"}), snapshot=_orders, **OUTSIDER),
    Case("POST", _SELLER + "/{number}/cancel", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.PROCESSING, {"reason": "cannot source it"}), snapshot=_orders, **OUTSIDER),
    Case("POST", _SELLER + "/{number}/returns/{return_id}/approve", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.RETURN_REQUESTED, {"note": ""}, with_return=True), snapshot=_orders, **OUTSIDER),
    Case("POST", _SELLER + "/{number}/returns/{return_id}/reject", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.RETURN_REQUESTED, {"note": "worn"}, with_return=True), snapshot=_orders,
         **OUTSIDER),
    Case("POST", _SELLER + "/{number}/refunds", expect(401, 404, 404, 404, 200),
         prepare=_merchant(Status.RETURN_APPROVED, _refund_body), snapshot=_orders, **OUTSIDER),
]
