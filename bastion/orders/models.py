"""Orders: one per merchant per checkout, their lines, their timeline and their returns.

The shipping address is copied onto the order, so history survives address edits and erasure.
The status machine lives in bastion.orders.state as data.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from bastion.core.money import DEFAULT_CURRENCY, Money
from bastion.orders.state import Status as OrderStatus

_MONEY = {"max_digits": 12, "decimal_places": 2}
_SUM = F("subtotal") + F("shipping") + F("tax") - F("discount")
_HALF_CENT = Value(Decimal("0.005"))


class OrderCounter(models.Model):
    """The last order number handed out in a year (locked while taking the next one)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# What shoppers and merchants read for each status (translated; the values stay in the data).
STATUS_LABELS = {
    OrderStatus.PENDING_PAYMENT: _("Pending payment"), OrderStatus.PAID: _("Paid"),
    OrderStatus.PROCESSING: _("Processing"), OrderStatus.SHIPPED: _("Shipped"),
    OrderStatus.DELIVERED: _("Delivered"), OrderStatus.COMPLETED: _("Completed"),
    OrderStatus.CANCELLED: _("Cancelled"), OrderStatus.RETURN_REQUESTED: _("Return requested"),
    OrderStatus.RETURN_APPROVED: _("Return approved"), OrderStatus.PARTIALLY_REFUNDED: _("Partially refunded"),
    OrderStatus.REFUNDED: _("Refunded"),
}


class Order(models.Model):
    Status = models.TextChoices("Status", [(s.name, (s.value, STATUS_LABELS[s])) for s in OrderStatus])

    number = models.CharField(max_length=32, unique=True)
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="orders")
    shopper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="orders")
    checkout_reference = models.CharField(max_length=120, db_index=True)
    reservation_reference = models.CharField(max_length=120, blank=True)
    payment_reference = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    subtotal = models.DecimalField(**_MONEY)
    shipping = models.DecimalField(**_MONEY, default=0)
    tax = models.DecimalField(**_MONEY, default=0)
    discount = models.DecimalField(**_MONEY, default=0)
    total = models.DecimalField(**_MONEY)
    refunded_total = models.DecimalField(**_MONEY, default=0)
    recipient = models.CharField(max_length=100)
    phone = models.CharField(max_length=32)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=16)
    country = models.CharField(max_length=2)
    tracking_number = models.CharField(max_length=64, blank=True)
    carrier = models.CharField(max_length=64, blank=True)
    placed_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["merchant", "status", "-placed_at"]),
                   models.Index(fields=["shopper", "-placed_at"])]
        constraints = [
            # Exact to the cent; the half-cent band is for SQLite, which adds decimals as floats.
            models.CheckConstraint(condition=Q(total__gt=_SUM - _HALF_CENT, total__lt=_SUM + _HALF_CENT),
                                   name="order_total_adds_up"),
            models.CheckConstraint(condition=Q(subtotal__gte=0, shipping__gte=0, tax__gte=0, discount__gte=0,
                                               total__gte=0), name="order_amounts_not_negative"),
            models.CheckConstraint(condition=Q(refunded_total__gte=0, refunded_total__lte=F("total")),
                                   name="order_refund_within_total"),
        ]

    def __str__(self) -> str:
        return self.number

    def money(self, field: str) -> Money:
        return Money(getattr(self, field), self.currency)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="order_lines")
    sku = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    options = models.JSONField(default=dict, blank=True)
    unit_price = models.DecimalField(**_MONEY)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(**_MONEY)
    quantity_returned = models.PositiveIntegerField(default=0)
    quantity_refunded = models.PositiveIntegerField(default=0)
    quantity_restocked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(quantity_returned__lte=F("quantity"),
                                               quantity_refunded__lte=F("quantity"),
                                               quantity_restocked__lte=F("quantity_returned")),
                                   name="order_line_quantities_within"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(models.Model):
    """One line of an order's timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.CharField(max_length=120)
    kind = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind}"


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=500)
    # {"<order line id>": quantity}
    lines = models.JSONField()
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=120, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"return {self.pk} of {self.order_id}"
