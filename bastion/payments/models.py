"""Payments: one Payment per checkout reference attempt, and the webhook events already received."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PaymentStatus(models.TextChoices):
    CREATED = "created"
    AUTHORISED = "authorised"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    FAILED = "failed"


# The state machine as data: where each status may go. A payment never moves backwards.
TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.CREATED: frozenset({"authorised", "captured", "partially_refunded", "refunded", "voided", "failed"}),
    PaymentStatus.AUTHORISED: frozenset({"captured", "partially_refunded", "refunded", "voided"}),
    PaymentStatus.CAPTURED: frozenset({"partially_refunded", "refunded"}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({"refunded"}),
    PaymentStatus.REFUNDED: frozenset(),
    PaymentStatus.VOIDED: frozenset(),
    PaymentStatus.FAILED: frozenset(),
}
FINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)


class Payment(models.Model):
    reference = models.CharField(max_length=64, db_index=True, help_text="the checkout reference this pays")
    provider = models.CharField(max_length=32)
    provider_id = models.CharField(max_length=64, blank=True, default="")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    status = models.CharField(max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    amount_captured = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    amount_refunded = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    failure_code = models.CharField(max_length=64, blank=True, default="")
    hosted_url = models.URLField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_id"], condition=~Q(provider_id=""),
                                    name="payment_provider_id_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(amount_captured__gte=0) & Q(amount_captured__lte=models.F("amount")),
                                   name="payment_captured_within_amount"),
            models.CheckConstraint(condition=Q(amount_refunded__gte=0)
                                   & Q(amount_refunded__lte=models.F("amount_captured")),
                                   name="payment_refunded_within_captured"),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} {self.reference} {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class WebhookEvent(models.Model):
    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=100, unique=True, help_text="the provider's webhook-id")
    type = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    payload = models.JSONField()
    applied = models.BooleanField(default=False, help_text="whether it changed a payment (False: stale or unknown)")

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"
