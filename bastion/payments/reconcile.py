"""Reconciliation: compare every payment the gateway may still change with what the gateway says.

Read-only: it reports findings and changes nothing (an operator, or the webhooks still on their
way, settle them). A finding names the payment, what differs, and both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.payments import queries, rules
from bastion.payments.models import Payment
from bastion.payments.providers import get_provider
from bastion.payments.providers.base import IntentResult, PaymentProvider, ProviderError


@dataclass(frozen=True)
class Finding:
    payment_id: int
    reference: str
    provider_id: str
    field: str
    bastion: str
    gateway: str


def compare(payment: Payment, intent: IntentResult) -> list[Finding]:
    """Pure: the differences between one payment and the gateway's intent."""
    reported = rules.merge(rules.PaymentState(payment.status, payment.amount_captured, payment.amount_refunded),
                           rules.PaymentState(intent.status, intent.amount_captured, intent.amount_refunded))
    sides = [("amount", payment.amount, intent.amount), ("currency", payment.currency, intent.currency),
             ("reference", payment.reference, intent.reference), ("status", payment.status, reported.status),
             ("amount_captured", payment.amount_captured, intent.amount_captured),
             ("amount_refunded", payment.amount_refunded, intent.amount_refunded)]
    return [Finding(payment.pk, payment.reference, payment.provider_id, name, str(ours), str(theirs))
            for name, ours, theirs in sides if ours != theirs]


def reconcile(*, provider: PaymentProvider | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for payment in queries.open_payments().iterator():
        chosen = provider or get_provider(payment.provider)
        try:
            intent = chosen.retrieve(provider_id=payment.provider_id)
        except ProviderError as exc:
            findings.append(Finding(payment.pk, payment.reference, payment.provider_id, "gateway",
                                    payment.status, f"unavailable: {exc.code}"))
            continue
        findings.extend(compare(payment, intent))
    return findings
