"""Stock of a merchant: warehouses, levels, receipts, adjustments and the movement journal."""

from __future__ import annotations

from ninja import Header, Query, Router, Status

from bastion.accounts import access as account_access
from bastion.accounts.api_auth import AUTH
from bastion.core.apitools import responses
from bastion.core.roles import Perm
from bastion.inventory import access, idempotency, queries
from bastion.inventory.actions import stock
from bastion.inventory.models import StockLevel, StockMovement
from bastion.inventory.schemas import (
    AdjustmentIn,
    MovementOut,
    ReceiptIn,
    StockLevelOut,
    WarehouseIn,
    WarehouseOut,
)

router = Router(tags=["stock"], auth=AUTH)

_PAGE = 200
_KEY_HELP = ("Optional. A retry with the same key answers the first result without changing stock again; "
             "the same key with a different body is refused (422).")


def _idempotency_key():
    return Header(None, alias="Idempotency-Key", pattern=idempotency.KEY_PATTERN, description=_KEY_HELP)


def _level_out(level: StockLevel) -> dict:
    return {"id": level.pk, "warehouse_id": level.warehouse_id, "warehouse_code": level.warehouse.code,
            "variant_id": level.variant_id, "sku": level.variant.sku, "on_hand": level.on_hand,
            "reserved": level.reserved, "available": level.available}


def _movement_out(movement: StockMovement) -> dict:
    return {"id": movement.pk, "warehouse_id": movement.warehouse_id, "variant_id": movement.variant_id,
            "sku": movement.variant.sku, "delta_on_hand": movement.delta_on_hand,
            "delta_reserved": movement.delta_reserved, "reason": movement.reason, "actor": movement.actor,
            "reference": movement.reference, "note": movement.note, "created_at": movement.created_at}


@router.get("/merchants/{merchant_id}/warehouses", response=responses(list[WarehouseOut], 401, 403, 404, 429))
def list_warehouses(request, merchant_id: int):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    return list(queries.warehouses_of(merchant.pk))


@router.post("/merchants/{merchant_id}/warehouses",
             response=responses({201: WarehouseOut}, 401, 403, 404, 409, 413, 422, 429))
def create_warehouse(request, merchant_id: int, payload: WarehouseIn):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STOCK)
    warehouse = stock.create_warehouse(actor=request.auth, merchant=merchant, name=payload.name, code=payload.code,
                                       region=payload.region)
    return Status(201, warehouse)


@router.get("/merchants/{merchant_id}/stock", response=responses(list[StockLevelOut], 401, 403, 404, 422, 429))
def list_stock(request, merchant_id: int, warehouse_id: int | None = Query(None, ge=1, le=2**53)):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    return [_level_out(level) for level in queries.stock_levels_of(merchant.pk, warehouse_id=warehouse_id)]


@router.post("/merchants/{merchant_id}/stock/receipts",
             response=responses({201: MovementOut}, 401, 403, 404, 409, 413, 422, 429))
def receive_stock(request, merchant_id: int, payload: ReceiptIn, idempotency_key: str | None = _idempotency_key()):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STOCK)

    def run():
        warehouse = access.get_warehouse_of(merchant, payload.warehouse_id)
        variant = access.get_variant_of(merchant, variant_id=payload.variant_id)
        movement = stock.receive_stock(actor=request.auth, warehouse=warehouse, variant=variant,
                                       quantity=payload.quantity, note=payload.note)
        return 201, _movement_out(movement)

    return Status(*idempotency.run_once(merchant=merchant, operation="stock.receipt", key=idempotency_key,
                                        body=payload.model_dump(), run=run))


@router.post("/merchants/{merchant_id}/stock/adjustments",
             response=responses({201: MovementOut}, 401, 403, 404, 409, 413, 422, 429))
def adjust_stock(request, merchant_id: int, payload: AdjustmentIn, idempotency_key: str | None = _idempotency_key()):
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STOCK)

    def run():
        warehouse = access.get_warehouse_of(merchant, payload.warehouse_id)
        variant = access.get_variant_of(merchant, variant_id=payload.variant_id)
        movement = stock.adjust_stock(actor=request.auth, warehouse=warehouse, variant=variant,
                                      delta=payload.delta, note=payload.note, reason=payload.reason)
        return 201, _movement_out(movement)

    return Status(*idempotency.run_once(merchant=merchant, operation="stock.adjustment", key=idempotency_key,
                                        body=payload.model_dump(), run=run))


@router.get("/merchants/{merchant_id}/stock/movements",
            response=responses(list[MovementOut], 401, 403, 404, 422, 429))
def list_movements(request, merchant_id: int, warehouse_id: int | None = Query(None, ge=1, le=2**53),
                   variant_id: int | None = Query(None, ge=1, le=2**53)):
    """The newest 200 movements, optionally of one warehouse or one variant."""
    merchant = account_access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_VIEW)
    movements = queries.movements_of(merchant.pk, warehouse_id=warehouse_id, variant_id=variant_id)[:_PAGE]
    return [_movement_out(m) for m in movements]
