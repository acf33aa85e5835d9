"""Placing orders (called by checkout) and recording their payment (called by payments)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from bastion.accounts.models import User
from bastion.catalog.models import Variant
from bastion.core import clock
from bastion.core.errors import Invalid
from bastion.core.money import Money, allocate
from bastion.inventory.actions.reservations import convert_reservation
from bastion.inventory.models import Reservation
from bastion.merchants.models import Merchant
from bastion.orders import state
from bastion.orders.actions.transitions import lock_order, move, record
from bastion.orders.models import Order, OrderCounter, OrderLine

ADDRESS_FIELDS = ("recipient", "phone", "line1", "line2", "city", "region", "postal_code", "country")


@dataclass(frozen=True)
class AddressSnapshot:
    recipient: str
    phone: str
    line1: str
    city: str
    region: str
    postal_code: str
    country: str
    line2: str = ""

    @classmethod
    def of(cls, address) -> AddressSnapshot:
        """A copy of an address-book entry (accounts.Address) or anything with the same fields."""
        return cls(**{name: getattr(address, name) for name in ADDRESS_FIELDS})


@dataclass(frozen=True)
class LineIn:
    variant: Variant
    quantity: int
    unit_price: Money


@dataclass(frozen=True)
class MerchantPart:
    """What one merchant sells in this checkout: its lines, its shipping, its stock reservation."""

    merchant: Merchant
    lines: list[LineIn]
    shipping: Money
    reservation_reference: str = ""


def _next_number(year: int) -> str:
    counter, _created = OrderCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"BST-{year}-{counter.last:06d}"


def _check(parts: list[MerchantPart], currency: str) -> None:
    if not parts:
        raise Invalid(_("A checkout needs at least one line."), code="lines_required")
    if len({part.merchant.pk for part in parts}) != len(parts):
        raise Invalid(_("Each merchant appears once per checkout."), code="merchant_repeated")
    for part in parts:
        if not part.lines:
            raise Invalid(_("Each merchant's order needs at least one line."), code="lines_required")
        if part.shipping.currency != currency or part.shipping.amount < 0:
            raise Invalid(_("Shipping must be a non-negative amount in the checkout currency."),
                          code="amount_invalid")
        for line in part.lines:
            if line.quantity <= 0:
                raise Invalid(_("Every line needs a positive quantity."), code="quantity_invalid")
            if line.unit_price.currency != currency or line.unit_price.amount < 0:
                raise Invalid(_("Prices must be non-negative amounts in the checkout currency."),
                              code="amount_invalid")
            if line.variant.product.merchant_id != part.merchant.pk:
                raise Invalid(_("%(sku)s is not sold by this merchant.") % {"sku": line.variant.sku},
                              code="variant_not_of_merchant")


@transaction.atomic
def create_orders_for_checkout(*, shopper: User, checkout_reference: str, address: AddressSnapshot,
                               parts: list[MerchantPart], tax: Money, discount: Money) -> list[Order]:
    """One order per merchant; tax and discount are shared by subtotal, so the totals add up exactly.

    Repeating a checkout reference returns the orders it already created.
    """
    checkout_reference = checkout_reference.strip()
    if not checkout_reference or len(checkout_reference) > 120:
        raise Invalid(_("A checkout needs a reference of at most 120 characters."), code="reference_invalid")
    existing = list(Order.objects.filter(checkout_reference=checkout_reference).order_by("id"))
    if existing:
        return existing
    currency = tax.currency
    _check(parts, currency)
    subtotals = [sum((line.unit_price.times(line.quantity) for line in part.lines), Money.zero(currency))
                 for part in parts]
    gross = sum((s + p.shipping for s, p in zip(subtotals, parts, strict=True)), Money.zero(currency))
    if discount.currency != currency or not Money.zero(currency) <= discount <= gross or tax.amount < 0:
        raise Invalid(_("The discount cannot exceed what is bought, and tax cannot be negative."),
                      code="amount_invalid")
    weights = [s.minor for s in subtotals] if any(s.minor for s in subtotals) else [1] * len(parts)
    taxes, discounts = allocate(tax, weights), allocate(discount, weights)
    now, actor = clock.now(), f"user:{shopper.pk}"
    orders = []
    for part, subtotal, part_tax, part_discount in zip(parts, subtotals, taxes, discounts, strict=True):
        total = subtotal + part.shipping + part_tax - part_discount
        if total.amount < 0:
            raise Invalid(_("The discount cannot exceed what is bought."), code="amount_invalid")
        order = Order.objects.create(
            number=_next_number(now.year), merchant=part.merchant, shopper=shopper,
            checkout_reference=checkout_reference, reservation_reference=part.reservation_reference,
            currency=currency, subtotal=subtotal.amount, shipping=part.shipping.amount, tax=part_tax.amount,
            discount=part_discount.amount, total=total.amount, placed_at=now, updated_at=now,
            **{name: getattr(address, name).strip() for name in ADDRESS_FIELDS})
        OrderLine.objects.bulk_create([
            OrderLine(order=order, variant=line.variant, sku=line.variant.sku, title=line.variant.product.title,
                      options=line.variant.options, unit_price=line.unit_price.amount, quantity=line.quantity,
                      line_total=line.unit_price.times(line.quantity).amount)
            for line in part.lines])
        record(order, actor=actor, kind="place", from_status="", to_status=order.status, payload={
            "checkout": checkout_reference, "merchant": part.merchant.pk, "currency": currency,
            "subtotal": str(order.subtotal), "shipping": str(order.shipping), "tax": str(order.tax),
            "discount": str(order.discount), "total": str(order.total),
            "lines": [[line.variant.sku, line.quantity, str(line.unit_price.amount)] for line in part.lines]})
        orders.append(order)
    return orders


@transaction.atomic
def mark_paid(*, order: Order, payment_reference: str, actor: str = "system:payments") -> Order:
    """The payment was captured: the order's stock reservation becomes a sale."""
    order = lock_order(order)
    state.next_status(order.status, state.Event.PAY)  # refuse before touching stock
    if order.reservation_reference and Reservation.objects.filter(
            reference=order.reservation_reference, status=Reservation.Status.ACTIVE).exists():
        convert_reservation(reference=order.reservation_reference, actor=actor, order_reference=order.number)
    return move(order, event=state.Event.PAY, actor=actor, update={"payment_reference": payment_reference[:120]},
                payload={"payment": payment_reference[:120], "total": str(order.total)})
