"""Shipping API shapes. Money is a decimal string with its currency, never a JSON number."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from bastion.core.apitools import StrictIn

PRICE = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"


class BandOut(Schema):
    max_grams: int
    price: str


class MethodOut(Schema):
    id: int
    zone_id: int
    name: str
    carrier_code: str
    days_min: int
    days_max: int
    price: str
    currency: str
    free_above: str | None
    is_active: bool
    bands: list[BandOut]


class ZoneOut(Schema):
    id: int
    name: str
    countries: list[str]
    regions: list[str]
    methods: list[MethodOut]


class ZoneIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    countries: list[str] = Field(min_length=1, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=100)


class MethodIn(StrictIn):
    name: str = Field(min_length=1, max_length=60)
    carrier_code: str = Field(min_length=1, max_length=32)
    days_min: int = Field(ge=0, le=365)
    days_max: int = Field(ge=0, le=365)
    price: str = Field(pattern=PRICE)
    free_above: str | None = Field(None, pattern=PRICE)


class BandIn(StrictIn):
    max_grams: int = Field(ge=1, le=1_000_000)
    price: str = Field(pattern=PRICE)


class TaxRateIn(StrictIn):
    country: str = Field(min_length=2, max_length=2)
    region: str = Field("", max_length=100)
    name: str = Field("VAT", max_length=40)
    percent: str = Field(pattern=r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


class TaxRateOut(Schema):
    id: int
    country: str
    region: str
    name: str
    percent: str


def decimal_of(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None
