"""The catalog's input rules as pure functions (no database): titles, attributes, options, prices."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from bastion.core.errors import Invalid
from bastion.core.money import MINOR_UNITS

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_PAIRS = 30
MAX_KEY = 40
MAX_VALUE = 200
MAX_PRICE = Decimal("9999999999.99")
MAX_SKU = 64
MAX_BARCODE = 32
MAX_WEIGHT_GRAMS = 1_000_000


def _invalid(field: str, message: str, code: str) -> Invalid:
    return Invalid(message, code=code, extra={"field": field})


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title or len(title) > MAX_TITLE:
        raise _invalid("title", f"Give the product a title of 1 to {MAX_TITLE} characters.", "title_invalid")
    return title


def clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise _invalid("description", f"The description is longer than {MAX_DESCRIPTION} characters.",
                       "description_too_long")
    return description


def clean_pairs(pairs: dict | None, field: str) -> dict[str, str]:
    """Attributes of a product or options of a variant: a few short text keys and text values."""
    pairs = pairs or {}
    if not isinstance(pairs, dict) or len(pairs) > MAX_PAIRS:
        raise _invalid(field, f"Give at most {MAX_PAIRS} name/value pairs.", f"{field}_invalid")
    cleaned: dict[str, str] = {}
    for key, value in pairs.items():
        key = " ".join(str(key).split())
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise _invalid(field, f"The value of {key!r} must be text or a number.", f"{field}_invalid")
        value = " ".join(str(value).split())
        if not key or len(key) > MAX_KEY or not value or len(value) > MAX_VALUE:
            raise _invalid(field, f"Names are 1 to {MAX_KEY} characters and values 1 to {MAX_VALUE}.",
                           f"{field}_invalid")
        cleaned[key] = value
    return cleaned


def slug_for(title: str) -> str:
    return slugify(title)[:200].strip("-") or "product"


def clean_currency(currency: str) -> str:
    currency = (currency or "").strip().upper()
    if currency not in MINOR_UNITS:
        raise _invalid("currency", f"Choose one of: {', '.join(sorted(MINOR_UNITS))}.", "currency_unsupported")
    return currency


def clean_price(price: Decimal | str | int, currency: str) -> Decimal:
    """A price in the currency's minor-unit precision: more decimals are refused, not rounded."""
    if isinstance(price, float):
        raise TypeError("prices are never floats")
    try:
        amount = Decimal(str(price).strip())
    except InvalidOperation as exc:
        raise _invalid("price", "Enter the price as a number such as 12.50.", "price_invalid") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        raise _invalid("price", f"The price must be between 0 and {MAX_PRICE}.", "price_invalid")
    places = MINOR_UNITS[currency]
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise _invalid("price", f"{currency} prices have at most {places} decimal places.", "price_invalid")
    return amount.quantize(Decimal("0.01"))


def clean_sku(sku: str) -> str:
    sku = (sku or "").strip()
    if not sku or len(sku) > MAX_SKU or any(ch.isspace() for ch in sku):
        raise _invalid("sku", f"A SKU is 1 to {MAX_SKU} characters without spaces.", "sku_invalid")
    return sku


def clean_barcode(barcode: str) -> str:
    barcode = (barcode or "").strip()
    if len(barcode) > MAX_BARCODE or (barcode and not barcode.isalnum()):
        raise _invalid("barcode", f"A barcode is up to {MAX_BARCODE} letters and digits.", "barcode_invalid")
    return barcode


def clean_weight(weight_grams: int) -> int:
    if isinstance(weight_grams, bool) or not isinstance(weight_grams, int) or not 0 <= weight_grams <= MAX_WEIGHT_GRAMS:
        raise _invalid("weight_grams", f"The weight is a whole number of grams up to {MAX_WEIGHT_GRAMS}.",
                       "weight_invalid")
    return weight_grams
