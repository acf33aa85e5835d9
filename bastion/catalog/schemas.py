"""Catalog API shapes. Money is a string with its currency ("12.50", "CNY"), never a JSON number."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from bastion.core.apitools import StrictIn

PRICE = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
CURRENCY = r"^[A-Z]{3}$"
_PAIRS = {"maxProperties": 30}


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None
    position: int


class MerchantRef(Schema):
    id: int
    name: str


class VariantOut(Schema):
    id: int
    sku: str
    options: dict[str, str]
    price: str = Field(examples=["12.50"])
    currency: str = Field(examples=["CNY"])
    weight_grams: int
    barcode: str
    is_active: bool


class ProductSummaryOut(Schema):
    id: int
    title: str
    slug: str
    category_id: int
    merchant: MerchantRef
    price_from: str | None = Field(examples=["12.50"])
    currency: str | None
    created_at: datetime


class ProductOut(ProductSummaryOut):
    description: str
    attributes: dict[str, str]
    variants: list[VariantOut]


class SellerProductOut(ProductOut):
    status: str
    updated_at: datetime


class FacetOut(Schema):
    id: int
    name: str
    count: int


class PriceBandOut(Schema):
    min_price: str | None
    max_price: str | None
    count: int


class FacetsOut(Schema):
    categories: list[FacetOut]
    merchants: list[FacetOut]
    price_bands: list[PriceBandOut]


class ProductPageOut(Schema):
    items: list[ProductSummaryOut]
    total: int
    page: int
    pages: int
    page_size: int
    facets: FacetsOut


class SellerProductPageOut(Schema):
    items: list[SellerProductOut]
    total: int
    page: int
    pages: int


class SearchParams(Schema):
    q: str = Field("", max_length=200)
    category: int | None = Field(None, ge=1, le=2**62)
    merchant: int | None = Field(None, ge=1, le=2**62)
    min_price: str | None = Field(None, pattern=PRICE)
    max_price: str | None = Field(None, pattern=PRICE)
    sort: Literal["relevance", "price_asc", "price_desc", "newest"] = "relevance"
    page: int = Field(1, ge=1, le=400)


class SellerListParams(Schema):
    status: Literal["draft", "published"] | None = None
    page: int = Field(1, ge=1, le=10_000)


class ProductIn(StrictIn):
    category_id: int = Field(ge=1, le=2**62)
    title: str = Field(min_length=1, max_length=200, examples=["Longjing green tea, 250 g"])
    description: str = Field("", max_length=20_000)
    attributes: dict[str, str] = Field(default_factory=dict, json_schema_extra=_PAIRS,
                                       examples=[{"origin": "Hangzhou"}])


class ProductPatchIn(StrictIn):
    category_id: int | None = Field(None, ge=1, le=2**62)
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    attributes: dict[str, str] | None = Field(None, json_schema_extra=_PAIRS)


class VariantIn(StrictIn):
    sku: str = Field(min_length=1, max_length=64, examples=["JR-LJ-250"])
    price: str = Field(pattern=PRICE, examples=["128.00"])
    currency: str = Field("CNY", pattern=CURRENCY, examples=["CNY"])
    options: dict[str, str] = Field(default_factory=dict, json_schema_extra=_PAIRS, examples=[{"size": "250 g"}])
    weight_grams: int = Field(0, ge=0, le=1_000_000)
    barcode: str = Field("", max_length=32)


class VariantPatchIn(StrictIn):
    sku: str | None = Field(None, min_length=1, max_length=64)
    price: str | None = Field(None, pattern=PRICE, examples=["118.00"])
    currency: str | None = Field(None, pattern=CURRENCY)
    options: dict[str, str] | None = Field(None, json_schema_extra=_PAIRS)
    weight_grams: int | None = Field(None, ge=0, le=1_000_000)
    barcode: str | None = Field(None, max_length=32)
    is_active: bool | None = None
