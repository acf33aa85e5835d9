"""The hard rules of stock, as pure functions (no database): allocation and conservation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Available:
    """What one warehouse can give of one variant right now."""

    level_id: int
    warehouse_id: int
    quantity: int


@dataclass(frozen=True)
class Allocation:
    variant_id: int
    level_id: int
    warehouse_id: int
    quantity: int


@dataclass(frozen=True)
class Shortage:
    variant_id: int
    requested: int
    available: int


def merge_lines(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Lines naming one variant twice become one line; the order of first mention is kept."""
    merged: dict[int, int] = {}
    for variant_id, quantity in lines:
        if quantity <= 0:
            raise ValueError(f"a reservation line needs a positive quantity, not {quantity}")
        merged[variant_id] = merged.get(variant_id, 0) + quantity
    return merged


def allocate(lines: dict[int, int], stock: dict[int, Sequence[Available]]) -> list[Allocation] | Shortage:
    """Allocate every line or nothing: the first line that cannot be met is the Shortage.

    Each line takes from the warehouse with the most available first (fewest parcels), ties by
    warehouse id, and splits over further warehouses only when it must.
    """
    allocations: list[Allocation] = []
    for variant_id, wanted in lines.items():
        sources = sorted((s for s in stock.get(variant_id, ()) if s.quantity > 0),
                         key=lambda s: (-s.quantity, s.warehouse_id))
        total = sum(s.quantity for s in sources)
        if total < wanted:
            return Shortage(variant_id=variant_id, requested=wanted, available=total)
        remaining = wanted
        for source in sources:
            take = min(remaining, source.quantity)
            allocations.append(Allocation(variant_id, source.level_id, source.warehouse_id, take))
            remaining -= take
            if remaining == 0:
                break
    return allocations


@dataclass(frozen=True)
class VariantTotals:
    """One variant's stock and the sums of its journal, by reason."""

    variant_id: int
    sku: str
    received: int = 0
    adjusted: int = 0  # adjustments and corrections, net
    sold: int = 0
    returned: int = 0
    on_hand: int = 0
    reserved: int = 0
    journal_reserved: int = 0  # the sum of delta_reserved over the journal
    active_reservations: int = 0  # the sum of active reservations' quantities


def conservation_problems(totals: VariantTotals) -> list[str]:
    """Every unit is accounted for: received + adjusted = on hand + sold - returned, the
    reserved count matches the journal and the active reservations, and never exceeds on hand."""
    t = totals
    problems = []
    if t.received + t.adjusted != t.on_hand + t.sold - t.returned:
        problems.append(f"{t.sku}: received {t.received} + adjusted {t.adjusted} != on hand {t.on_hand} "
                        f"+ sold {t.sold} - returned {t.returned}")
    if t.reserved != t.journal_reserved:
        problems.append(f"{t.sku}: reserved {t.reserved} but the journal says {t.journal_reserved}")
    if t.reserved != t.active_reservations:
        problems.append(f"{t.sku}: reserved {t.reserved} but active reservations hold {t.active_reservations}")
    if not 0 <= t.reserved <= t.on_hand:
        problems.append(f"{t.sku}: reserved {t.reserved} is outside 0..on hand {t.on_hand}")
    return problems
