"""Authorization matrix of the stock API (see bastion/testing/authz.py).

Merchant staff hold the stock permission, so "staff without permission" is an operator: global
staff who do not work for the merchant and so do not find it.
"""

from __future__ import annotations

import itertools

from bastion.inventory.models import StockLevel, StockMovement, Warehouse
from bastion.inventory.tests.factories import variant_of, warehouse_of
from bastion.testing.authz import Call, Case, expect

_n = itertools.count()
OUTSIDER = {"without": "operator"}


def _merchant_a(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk})


def _new_warehouse(world, user) -> Call:
    return Call({"merchant_id": world.merchant_a.pk}, {"name": "Depot", "code": f"D{next(_n)}", "region": "East"})


def _receipt(world, user) -> Call:
    warehouse, variant = warehouse_of(world.merchant_a), variant_of(world.merchant_a)
    return Call({"merchant_id": world.merchant_a.pk},
                {"warehouse_id": warehouse.pk, "variant_id": variant.pk, "quantity": 5, "note": "first delivery"})


def _adjustment(world, user) -> Call:
    call = _receipt(world, user)
    StockLevel.objects.create(variant_id=call.json["variant_id"], warehouse_id=call.json["warehouse_id"], on_hand=10)
    return Call(call.path_params, {"warehouse_id": call.json["warehouse_id"], "variant_id": call.json["variant_id"],
                                   "delta": -2, "note": "broken in the shelf"})


def _stock(world):
    return (sorted(StockLevel.objects.values_list("id", "on_hand", "reserved")), StockMovement.objects.count(),
            Warehouse.objects.count())


CASES = [
    Case("GET", "/seller/merchants/{merchant_id}/warehouses", expect(401, 404, 404, 404, 200), prepare=_merchant_a,
         **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/warehouses", expect(401, 404, 404, 404, 201),
         prepare=_new_warehouse, snapshot=_stock, **OUTSIDER),
    Case("GET", "/seller/merchants/{merchant_id}/stock", expect(401, 404, 404, 404, 200), prepare=_merchant_a,
         **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/stock/receipts", expect(401, 404, 404, 404, 201),
         prepare=_receipt, snapshot=_stock, **OUTSIDER),
    Case("POST", "/seller/merchants/{merchant_id}/stock/adjustments", expect(401, 404, 404, 404, 201),
         prepare=_adjustment, snapshot=_stock, **OUTSIDER),
    Case("GET", "/seller/merchants/{merchant_id}/stock/movements", expect(401, 404, 404, 404, 200),
         prepare=_merchant_a, **OUTSIDER),
]
