"""Money: a Decimal amount with a currency, never a float. Pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_CURRENCY = "CNY"
# Minor-unit exponents (ISO 4217) of the currencies we accept.
MINOR_UNITS = {"CNY": 2, "HKD": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "KRW": 0, "SGD": 2}


class CurrencyMismatch(ValueError):
    pass


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"unsupported currency {self.currency!r}")
        if not isinstance(self.amount, Decimal):
            if isinstance(self.amount, float):
                raise TypeError("Money never takes a float; pass a Decimal or a string")
            object.__setattr__(self, "amount", Decimal(self.amount))
        object.__setattr__(self, "amount", self.amount.quantize(quantum(self.currency), rounding=ROUND_HALF_UP))

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    @property
    def minor(self) -> int:
        """The amount in minor units (fen for CNY)."""
        return int(self.amount.scaleb(MINOR_UNITS[self.currency]))

    @classmethod
    def from_minor(cls, minor: int, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(minor).scaleb(-MINOR_UNITS[currency]), currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def allocate(total: Money, weights: list[int | Decimal]) -> list[Money]:
    """Split `total` in proportion to `weights` so that the parts add up exactly (largest remainder).

    Used to share a discount or fee between the orders of one checkout. Ties go to the earlier part.
    """
    if not weights or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative and not empty")
    weight_sum = sum(Decimal(w) for w in weights)
    if weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    minor_total = total.minor
    exact = [Decimal(minor_total) * Decimal(w) / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding="ROUND_FLOOR")) for e in exact]
    remainder = minor_total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return [Money.from_minor(part, total.currency) for part in floors]
