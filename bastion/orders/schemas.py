"""Order API shapes. Amounts are decimal strings in the order's currency."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from bastion.core.apitools import StrictIn

PRICE = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
_ID = {"ge": 1, "le": 2**53}


class LineOut(Schema):
    id: int
    variant_id: int
    sku: str
    title: str
    options: dict[str, Any]
    unit_price: str
    quantity: int
    line_total: str
    quantity_returned: int
    quantity_refunded: int


class EventOut(Schema):
    at: datetime
    actor: str
    kind: str
    from_status: str
    to_status: str
    note: str


class ReturnOut(Schema):
    id: int
    status: str
    reason: str
    lines: dict[str, int]
    created_at: datetime
    decided_at: datetime | None
    decision_note: str


class AddressOut(Schema):
    recipient: str
    phone: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str


class OrderSummaryOut(Schema):
    number: str
    merchant_id: int
    merchant_name: str
    status: str
    currency: str
    total: str
    line_count: int
    placed_at: datetime


class OrderOut(Schema):
    number: str
    merchant_id: int
    merchant_name: str
    checkout_reference: str
    status: str
    currency: str
    subtotal: str
    shipping: str
    tax: str
    discount: str
    total: str
    refunded_total: str
    shipping_address: AddressOut
    tracking_number: str
    carrier: str
    placed_at: datetime
    next_events: list[str]
    lines: list[LineOut]
    returns: list[ReturnOut]
    timeline: list[EventOut]


class ReasonIn(StrictIn):
    reason: str = Field(min_length=1, max_length=500, examples=["Ordered the wrong size"])


class NoteIn(StrictIn):
    note: str = Field("", max_length=500)


class RejectIn(StrictIn):
    note: str = Field(min_length=1, max_length=500, examples=["The seal is broken; not returnable"])


class LineQuantityIn(StrictIn):
    line_id: int = Field(**_ID)
    quantity: int = Field(ge=1, le=1_000_000)


class ReturnIn(StrictIn):
    lines: list[LineQuantityIn] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500, examples=["Arrived damaged"])


class ShipIn(StrictIn):
    tracking_number: str = Field(min_length=1, max_length=64, examples=["SF1234567890"])
    carrier: str = Field(min_length=1, max_length=64, examples=["SF Express"])


class RefundIn(StrictIn):
    amount: str = Field(pattern=PRICE, examples=["25.00"])
    lines: list[LineQuantityIn] = Field(default_factory=list, max_length=200,
                                        description="Lines refunded, if any; returned units go back to stock.")
    note: str = Field("", max_length=500)
