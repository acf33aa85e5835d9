"""Warehouses, stock per variant and warehouse, the movement journal and reservations.

The database refuses impossible stock (negative on hand or reserved, more reserved than on hand),
so a bug elsewhere fails loudly instead of overselling. Every change of a StockLevel writes one
StockMovement with its reason, actor and reference: the journal explains every unit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="warehouses")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=32)
    region = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "code"]
        constraints = [models.UniqueConstraint(fields=["merchant", "code"], name="uniq_warehouse_code_per_merchant")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StockLevel(models.Model):
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "warehouse"], name="uniq_stock_level_per_warehouse"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"),
        ]

    def __str__(self) -> str:
        return f"variant {self.variant_id} at warehouse {self.warehouse_id}: {self.on_hand} on hand, {self.reserved} reserved"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    class Reason(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        ADJUSTMENT = "adjustment", _("Adjustment")
        RESERVATION = "reservation", _("Reservation")
        RELEASE = "release", _("Release")
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")
        CORRECTION = "correction", _("Correction")

    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="stock_movements")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_movements")
    delta_on_hand = models.IntegerField(default=0)
    delta_reserved = models.IntegerField(default=0)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    actor = models.CharField(max_length=120)
    reference = models.CharField(max_length=160, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["warehouse", "variant"]), models.Index(fields=["reference"])]
        constraints = [models.CheckConstraint(condition=~Q(actor=""), name="stock_movement_has_actor")]

    def __str__(self) -> str:
        return f"{self.reason} {self.delta_on_hand:+d}/{self.delta_reserved:+d} of variant {self.variant_id}"


class Reservation(models.Model):
    """One allocation of a reservation: `reference` groups the lines of one request (a checkout)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CONVERTED = "converted", _("Converted")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")

    reference = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="reservations")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        # Two concurrent requests with one reference both write position 0: the second fails and
        # returns the first one's reservation, so a retried checkout never reserves twice.
        constraints = [
            models.UniqueConstraint(fields=["reference", "position"], name="uniq_reservation_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_positive"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.reference}#{self.position}: {self.quantity} of variant {self.variant_id} ({self.status})"


class IdempotentRequest(models.Model):
    """The first answer to a stock request sent with an Idempotency-Key, replayed to its retries.

    Written in the same transaction as the change it answers: the change and its record commit
    together, and a concurrent duplicate fails on the unique key, rolls its own change back, and
    replays the winner's answer.
    """

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    operation = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "operation", "key"], name="uniq_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
