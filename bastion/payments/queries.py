"""Read-only questions about payments (the checkout asks these)."""

from __future__ import annotations

from django.db.models import QuerySet

from bastion.payments.models import FINAL, Payment


def payments_for_reference(reference: str) -> QuerySet[Payment]:
    return Payment.objects.filter(reference=reference).order_by("created_at", "pk")


def open_payments() -> QuerySet[Payment]:
    """Payments the gateway may still change: not in a final status, and known to the gateway."""
    return Payment.objects.exclude(status__in=FINAL).exclude(provider_id="").order_by("pk")
