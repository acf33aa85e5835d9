"""Money and allocation: exact, never float, parts add up to the whole."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.core.money import CurrencyMismatch, Money, allocate


def test_amounts_are_quantised_to_minor_units():
    assert Money(Decimal("12.345")).amount == Decimal("12.35")
    assert Money(Decimal("100.4"), "JPY").amount == Decimal("100")
    assert Money("0.1") + Money("0.2") == Money("0.3")


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(TypeError):
        Money(0.1)
    with pytest.raises(ValueError, match="unsupported currency"):
        Money(Decimal(1), "XXX")


def test_currencies_do_not_mix():
    with pytest.raises(CurrencyMismatch):
        Money("1.00", "CNY") + Money("1.00", "USD")


def test_minor_units_round_trip():
    assert Money("12.34").minor == 1234
    assert Money.from_minor(1234) == Money("12.34")
    assert Money.from_minor(500, "JPY") == Money("500", "JPY")


def test_allocation_of_a_discount_by_largest_remainder():
    # 10.00 over three equal orders: 3.34 + 3.33 + 3.33, the extra fen to the first.
    assert allocate(Money("10.00"), [1, 1, 1]) == [Money("3.34"), Money("3.33"), Money("3.33")]
    assert allocate(Money("0.05"), [100, 0, 300]) == [Money("0.01"), Money("0.00"), Money("0.04")]


def test_allocation_refuses_meaningless_weights():
    for weights in ([], [0, 0], [1, -1]):
        with pytest.raises(ValueError):
            allocate(Money("1.00"), weights)


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any),
)
def test_allocated_parts_add_up_exactly_and_stay_within_one_fen_of_proportional(total, weights):
    parts = allocate(Money.from_minor(total), weights)
    assert sum(p.minor for p in parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / weight_sum
        assert abs(Decimal(part.minor) - exact) < 1
        assert part.minor >= 0
