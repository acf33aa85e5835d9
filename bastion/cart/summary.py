"""What a cart page and the cart API show: lines grouped per merchant, review issues, quotes and tax.

Read-only: built from queries and the pure functions of cart.rules and shipping.rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.cart import queries, rules
from bastion.cart.models import Cart, CartLine
from bastion.core.errors import Problem
from bastion.core.money import DEFAULT_CURRENCY, Money
from bastion.shipping import queries as shipping_queries
from bastion.shipping import rates


@dataclass
class Group:
    merchant_id: int
    merchant_name: str
    lines: list[CartLine] = field(default_factory=list)
    subtotal: Money = field(default_factory=Money.zero)
    weight_grams: int = 0
    options: list[rates.Option] = field(default_factory=list)
    shipping: rates.Option | None = None
    problem: str | None = None  # e.g. "region_unsupported"
    problem_detail: str = ""
    tax_percent: str = "0"
    tax: Money | None = None
    total: Money | None = None


@dataclass
class Summary:
    cart_id: int | None
    groups: list[Group]
    issues: list[rules.Issue]
    subtotal: Money
    total: Money | None = None  # with shipping, when a destination was quoted and every group ships there
    tax: Money | None = None

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]


def summarize(cart: Cart | None) -> Summary:
    """Lines grouped per merchant (goods valued at today's prices) with the review of every line."""
    lines = queries.lines_of(cart)
    variant_ids = [line.variant_id for line in lines]
    prices = queries.current_prices(variant_ids)
    available = queries.available_of(variant_ids)
    states = [rules.LineState(line.pk, line.variant_id, line.quantity, Money(line.unit_price, line.currency))
              for line in lines]
    groups: dict[int, Group] = {}
    currency = lines[0].currency if lines else DEFAULT_CURRENCY
    for line in lines:
        merchant = line.variant.product.merchant
        group = groups.setdefault(merchant.pk, Group(merchant.pk, merchant.name, subtotal=Money.zero(currency)))
        line.current_price = prices.get(line.variant_id)
        line.available = max(available.get(line.variant_id, 0), 0)
        group.lines.append(line)
        if line.current_price is not None:
            group.subtotal = group.subtotal + line.current_price.times(line.quantity)
            group.weight_grams += line.variant.weight_grams * line.quantity
    subtotal = Money.zero(currency)
    for group in groups.values():
        subtotal = subtotal + group.subtotal
    return Summary(cart_id=cart.pk if cart else None, groups=list(groups.values()),
                   issues=rules.review_cart(states, prices, available), subtotal=subtotal)


def quote(summary: Summary, *, country: str, region: str, method_ids: set[int] | None = None) -> Summary:
    """Shipping options and tax per merchant for a destination; the chosen (else cheapest) option counts."""
    shipping_rules = shipping_queries.rules_of([group.merchant_id for group in summary.groups])
    total, tax, complete = Money.zero(summary.subtotal.currency), Money.zero(summary.subtotal.currency), True
    for group in summary.groups:
        zones, methods, taxes = shipping_rules[group.merchant_id]
        try:
            group.options = rates.quote(zones=zones, methods=methods, weight_grams=group.weight_grams,
                                        value=group.subtotal, country=country, region=region)
        except Problem as problem:
            group.problem, group.problem_detail, complete = problem.code, problem.detail, False
            continue
        chosen = [o for o in group.options if method_ids and o.method_id in method_ids]
        group.shipping = (chosen or group.options)[0]
        percent = rates.tax_percent(taxes, country=country, region=region)
        group.total = group.subtotal + group.shipping.price
        group.tax_percent = str(percent)
        group.tax = rates.included_tax(group.total, percent)
        total, tax = total + group.total, tax + group.tax
    if complete and summary.groups:
        summary.total, summary.tax = total, tax
    return summary
