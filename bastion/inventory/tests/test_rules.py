"""Properties of the pure stock rules, without a database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.inventory.rules import (
    Allocation,
    Available,
    Shortage,
    VariantTotals,
    allocate,
    conservation_problems,
    merge_lines,
)

stock_of_one_variant = st.lists(st.integers(0, 20), min_size=0, max_size=4)


@given(stock_of_one_variant, st.integers(1, 60))
def test_allocation_takes_exactly_what_was_asked_or_reports_the_shortage(quantities, wanted):
    sources = [Available(level_id=100 + i, warehouse_id=i + 1, quantity=q) for i, q in enumerate(quantities)]
    result = allocate({7: wanted}, {7: sources})
    if sum(quantities) < wanted:
        assert result == Shortage(variant_id=7, requested=wanted, available=sum(quantities))
        return
    assert sum(a.quantity for a in result) == wanted
    by_level = {s.level_id: s.quantity for s in sources}
    assert all(0 < a.quantity <= by_level[a.level_id] for a in result)
    assert len({a.level_id for a in result}) == len(result)


def test_allocation_prefers_the_fullest_warehouse_then_the_lowest_id():
    sources = [Available(1, 1, 3), Available(2, 2, 5), Available(3, 3, 5)]
    assert allocate({9: 7}, {9: sources}) == [Allocation(9, 2, 2, 5), Allocation(9, 3, 3, 2)]


def test_allocation_is_all_or_nothing_across_lines():
    stock = {1: [Available(1, 1, 5)], 2: [Available(2, 1, 1)]}
    assert allocate({1: 5, 2: 2}, stock) == Shortage(variant_id=2, requested=2, available=1)


def test_lines_of_one_variant_are_merged():
    assert merge_lines([(1, 2), (2, 1), (1, 3)]) == {1: 5, 2: 1}


class Shelf:
    """A tiny in-memory warehouse network driven by the pure rules, tallying like the journal does."""

    def __init__(self, warehouses: int) -> None:
        self.on_hand = [0] * warehouses
        self.reserved = [0] * warehouses
        self.held: dict[int, list[tuple[int, int]]] = {}
        self.tally = {"received": 0, "adjusted": 0, "sold": 0, "returned": 0, "journal_reserved": 0}

    def totals(self) -> VariantTotals:
        active = sum(q for lines in self.held.values() for _, q in lines)
        return VariantTotals(variant_id=1, sku="S", on_hand=sum(self.on_hand), reserved=sum(self.reserved),
                             active_reservations=active, **self.tally)

    def apply(self, op: tuple) -> None:
        kind, where, quantity, key = op
        where %= len(self.on_hand)
        if kind in ("receive", "return"):
            self.on_hand[where] += quantity
            self.tally["received" if kind == "receive" else "returned"] += quantity
        elif kind == "writeoff" and self.on_hand[where] - quantity >= self.reserved[where]:
            self.on_hand[where] -= quantity
            self.tally["adjusted"] -= quantity
        elif kind == "reserve" and key not in self.held:
            sources = [Available(i, i, self.on_hand[i] - self.reserved[i]) for i in range(len(self.on_hand))]
            result = allocate({1: quantity}, {1: sources})
            if isinstance(result, Shortage):
                assert result.available < quantity
                return
            self.held[key] = [(a.warehouse_id, a.quantity) for a in result]
            for a in result:
                self.reserved[a.warehouse_id] += a.quantity
                self.tally["journal_reserved"] += a.quantity
        elif kind in ("convert", "release") and key in self.held:
            for warehouse, q in self.held.pop(key):
                self.reserved[warehouse] -= q
                self.tally["journal_reserved"] -= q
                if kind == "convert":
                    self.on_hand[warehouse] -= q
                    self.tally["sold"] += q


operations = st.lists(st.tuples(st.sampled_from(["receive", "return", "writeoff", "reserve", "convert", "release"]),
                                st.integers(0, 3), st.integers(1, 15), st.integers(0, 5)), max_size=60)


@settings(max_examples=300)
@given(st.integers(1, 3), operations)
def test_any_sequence_of_operations_conserves_stock(warehouses, ops):
    shelf = Shelf(warehouses)
    for op in ops:
        shelf.apply(op)
        assert all(0 <= r <= h for r, h in zip(shelf.reserved, shelf.on_hand, strict=True))
        assert conservation_problems(shelf.totals()) == []


def test_conservation_names_each_broken_rule():
    totals = VariantTotals(variant_id=1, sku="X", received=5, on_hand=4, reserved=6, journal_reserved=6,
                           active_reservations=5)
    assert conservation_problems(totals) == [
        "X: received 5 + adjusted 0 != on hand 4 + sold 0 - returned 0",
        "X: reserved 6 but active reservations hold 5",
        "X: reserved 6 is outside 0..on hand 4",
    ]
