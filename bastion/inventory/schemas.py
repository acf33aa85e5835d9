from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from bastion.core.apitools import StrictIn
from bastion.inventory.actions.stock import MAX_QUANTITY


class WarehouseIn(StrictIn):
    name: str = Field(min_length=1, max_length=100, examples=["Shanghai main"])
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$", examples=["SH1"])
    region: str = Field("", max_length=100, examples=["Shanghai"])


class WarehouseOut(Schema):
    id: int
    name: str
    code: str
    region: str
    is_active: bool


class StockLevelOut(Schema):
    id: int
    warehouse_id: int
    warehouse_code: str
    variant_id: int
    sku: str
    on_hand: int
    reserved: int
    available: int


class ReceiptIn(StrictIn):
    warehouse_id: int = Field(ge=1, le=2**53)
    variant_id: int = Field(ge=1, le=2**53)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    note: str = Field("", max_length=200)


class AdjustmentIn(StrictIn):
    warehouse_id: int = Field(ge=1, le=2**53)
    variant_id: int = Field(ge=1, le=2**53)
    delta: int = Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY, description="Not zero; negative writes stock off.")
    reason: Literal["adjustment", "correction"] = "adjustment"
    note: str = Field(min_length=1, max_length=200, examples=["3 damaged in transit"])


class MovementOut(Schema):
    id: int
    warehouse_id: int
    variant_id: int
    sku: str
    delta_on_hand: int
    delta_reserved: int
    reason: str
    actor: str
    reference: str
    note: str
    created_at: datetime
