"""Cart API shapes. Money is a decimal string with its currency, never a JSON number."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import model_validator

from bastion.cart.models import MAX_LINE_QUANTITY
from bastion.core.apitools import StrictIn


class LineOut(Schema):
    id: int
    variant_id: int
    sku: str
    title: str
    merchant_id: int
    quantity: int
    unit_price: str
    current_price: str | None
    currency: str
    available: int


class IssueOut(Schema):
    line_id: int
    code: str
    old: str | None
    new: str | None


class OptionOut(Schema):
    method_id: int
    name: str
    carrier_code: str
    days_min: int
    days_max: int
    price: str
    free: bool


class GroupOut(Schema):
    merchant_id: int
    merchant_name: str
    line_ids: list[int]
    subtotal: str
    weight_grams: int
    options: list[OptionOut]
    shipping_method_id: int | None
    shipping: str | None
    problem: str | None
    tax_percent: str
    tax: str | None
    total: str | None


class CartOut(Schema):
    id: int | None
    currency: str
    lines: list[LineOut]
    groups: list[GroupOut]
    issues: list[IssueOut]
    subtotal: str
    tax: str | None
    total: str | None


class LineIn(StrictIn):
    variant_id: int = Field(ge=1, le=2**53)
    quantity: int = Field(1, ge=1, le=MAX_LINE_QUANTITY)


class QuantityIn(StrictIn):
    quantity: int = Field(ge=1, le=MAX_LINE_QUANTITY)


class QuoteIn(StrictIn):
    """A destination: an address of the signed-in shopper, or a country with an optional region."""

    address_id: int | None = Field(None, ge=1, le=2**53)
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    region: str = Field("", max_length=100)
    method_ids: list[int] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _one_destination(self):
        if (self.address_id is None) == (self.country is None):
            raise ValueError("give either address_id or country")
        return self
