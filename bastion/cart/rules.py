"""The cart's hard rules as pure functions: what changed since a line was added, and how carts merge."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.cart.models import MAX_LINE_QUANTITY
from bastion.core.money import Money


@dataclass(frozen=True)
class LineState:
    line_id: int
    variant_id: int
    quantity: int
    unit_price: Money  # the price the shopper saw when adding


@dataclass(frozen=True)
class Issue:
    line_id: int
    code: str  # "unavailable" | "out_of_stock" | "quantity_reduced" | "price_changed"
    old: str | None = None
    new: str | None = None


def review_cart(lines: list[LineState], prices: dict[int, Money], available: dict[int, int]) -> list[Issue]:
    """What the shopper must know before paying, one issue per line at most for stock plus a price change.

    `prices` holds the current price of every variant still for sale (missing: no longer sold);
    `available` the units free to sell (missing: none).
    """
    issues: list[Issue] = []
    for line in lines:
        price = prices.get(line.variant_id)
        if price is None:
            issues.append(Issue(line.line_id, "unavailable"))
            continue
        free = max(available.get(line.variant_id, 0), 0)
        if free == 0:
            issues.append(Issue(line.line_id, "out_of_stock"))
        elif free < line.quantity:
            issues.append(Issue(line.line_id, "quantity_reduced", old=str(line.quantity), new=str(free)))
        if price != line.unit_price:
            issues.append(Issue(line.line_id, "price_changed", old=str(line.unit_price.amount),
                                new=str(price.amount)))
    return issues


def merged_quantity(kept: int, incoming: int, available: int) -> int:
    """Quantities add when carts merge, capped by the line limit and the stock free to sell (0: drop the line)."""
    return max(0, min(kept + incoming, MAX_LINE_QUANTITY, max(available, kept)))
