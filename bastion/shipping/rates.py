"""Shipping quotes and tax, as pure functions over plain data (no database).

Prices are tax-inclusive: the tax of an order is the share of its gross total that is tax,
computed once per order and rounded half-up to the currency's minor unit (docs/pricing.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from bastion.core.errors import Problem
from bastion.core.money import Money, quantum


@dataclass(frozen=True)
class Zone:
    id: int
    name: str
    countries: tuple[str, ...]
    regions: tuple[str, ...] = ()

    def covers(self, country: str, region: str) -> bool:
        if country.upper() not in {c.upper() for c in self.countries}:
            return False
        return not self.regions or _norm(region) in {_norm(r) for r in self.regions}


@dataclass(frozen=True)
class Method:
    id: int
    zone_id: int
    name: str
    carrier_code: str
    days_min: int
    days_max: int
    price: Money
    free_above: Money | None = None
    bands: tuple[tuple[int, Money], ...] = field(default=())  # (max_grams, price), any order


@dataclass(frozen=True)
class Option:
    method_id: int
    name: str
    carrier_code: str
    days_min: int
    days_max: int
    price: Money
    free: bool


@dataclass(frozen=True)
class Tax:
    country: str
    region: str
    percent: Decimal
    name: str = "VAT"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def method_price(method: Method, *, weight_grams: int, value: Money) -> Money | None:
    """What `method` costs for goods of this weight and value; None when they are too heavy for it."""
    if method.free_above is not None and value.amount >= method.free_above.amount:
        return Money.zero(method.price.currency)
    if not method.bands:
        return method.price
    for max_grams, price in sorted(method.bands, key=lambda band: band[0]):
        if weight_grams <= max_grams:
            return price
    return None


def quote(*, zones: list[Zone], methods: list[Method], weight_grams: int, value: Money, country: str,
          region: str = "") -> list[Option]:
    """The methods a merchant offers for this destination, cheapest first.

    Zones naming the region win over zones that cover the whole country. Raises the problem
    "region_unsupported" when no zone covers the destination or no method takes the parcel.
    """
    covering = [zone for zone in zones if zone.covers(country, region)]
    specific = [zone for zone in covering if zone.regions]
    chosen = {zone.id for zone in (specific or covering)}
    options = []
    for method in methods:
        if method.zone_id not in chosen:
            continue
        price = method_price(method, weight_grams=weight_grams, value=value)
        if price is not None:
            options.append(Option(method_id=method.id, name=method.name, carrier_code=method.carrier_code,
                                  days_min=method.days_min, days_max=method.days_max, price=price,
                                  free=price.amount == 0))
    if not options:
        raise Problem(_("This merchant does not ship to %(place)s.") % {"place": _place(country, region)},
                      code="region_unsupported", status=422, title="Destination not supported",
                      extra={"country": country, "region": region})
    return sorted(options, key=lambda o: (o.price.amount, o.days_max, o.method_id))


def _place(country: str, region: str) -> str:
    return f"{region}, {country}" if region else country


def tax_percent(taxes: list[Tax], *, country: str, region: str = "") -> Decimal:
    """The rate for a region if one is set, else the country's rate, else zero."""
    in_country = [t for t in taxes if t.country.upper() == country.upper()]
    for tax in in_country:
        if tax.region and _norm(tax.region) == _norm(region):
            return tax.percent
    for tax in in_country:
        if not tax.region:
            return tax.percent
    return Decimal(0)


def included_tax(gross: Money, percent: Decimal) -> Money:
    """The tax inside a tax-inclusive gross amount: gross * p / (100 + p), half-up to the minor unit."""
    if percent < 0 or percent > 100:
        raise ValueError("tax percent must be between 0 and 100")
    exact = gross.amount * percent / (Decimal(100) + percent)
    return Money(exact.quantize(quantum(gross.currency), rounding=ROUND_HALF_UP), gross.currency)
