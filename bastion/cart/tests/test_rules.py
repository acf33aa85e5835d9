"""The cart review and merge rules, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bastion.cart.models import MAX_LINE_QUANTITY
from bastion.cart.rules import Issue, LineState, merged_quantity, review_cart
from bastion.core.money import Money

TEN = Money("10.00")


def test_a_line_that_still_sells_at_its_price_with_stock_has_no_issue():
    assert review_cart([LineState(1, 7, 2, TEN)], {7: TEN}, {7: 2}) == []


def test_every_kind_of_issue():
    lines = [LineState(1, 7, 2, TEN), LineState(2, 8, 5, TEN), LineState(3, 9, 1, TEN), LineState(4, 6, 1, TEN)]
    issues = review_cart(lines, {7: Money("12.50"), 8: TEN, 9: Money("9.00")}, {7: 5, 8: 3, 9: 0})
    assert issues == [Issue(1, "price_changed", "10.00", "12.50"), Issue(2, "quantity_reduced", "5", "3"),
                      Issue(3, "out_of_stock"), Issue(3, "price_changed", "10.00", "9.00"), Issue(4, "unavailable")]


@given(kept=st.integers(0, MAX_LINE_QUANTITY), incoming=st.integers(1, MAX_LINE_QUANTITY),
       available=st.integers(-5, 500))
def test_merged_quantity_adds_within_the_limits(kept, incoming, available):
    merged = merged_quantity(kept, incoming, available)
    assert 0 <= merged <= MAX_LINE_QUANTITY
    assert merged <= kept + incoming
    assert merged >= min(kept, MAX_LINE_QUANTITY)  # merging never takes away what the shopper had
    assert merged <= max(available, kept)
    if kept + incoming <= min(available, MAX_LINE_QUANTITY):
        assert merged == kept + incoming
