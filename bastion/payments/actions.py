"""Changing payments: start, authorise, capture, void, refund, and applying the gateway's webhooks.

Each action calls the provider OUTSIDE a database transaction (no lock is held while the network
is slow), with an Idempotency-Key so a retry never pays, captures or refunds twice; then it applies
the provider's answer atomically with its ledger entries. Both the answer and the webhooks carry
the gateway's running totals and go through the same merge (rules.merge), so whichever of them
arrives first, the other changes nothing.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid, NotFound, Problem
from bastion.core.money import quantum
from bastion.payments import rules
from bastion.payments.models import Payment, PaymentStatus, WebhookEvent
from bastion.payments.providers import get_provider
from bastion.payments.providers.base import IntentResult, PaymentProvider, ProviderError
from bastion.payments.providers.base import WebhookEvent as ProviderEvent


class ProviderUnavailable(Problem):
    status, code, title = 503, "payment_provider_unavailable", "The payment provider cannot be reached"


def _provider_problem(exc: ProviderError) -> Problem:
    if exc.status is None or exc.status >= 500:
        return ProviderUnavailable(_("The payment provider did not answer; try again."), extra={"provider_code": exc.code})
    return Conflict(str(exc), code="payment_provider_refused", extra={"provider_code": exc.code})


def _state(payment: Payment) -> rules.PaymentState:
    return rules.PaymentState(payment.status, payment.amount_captured, payment.amount_refunded)


def _apply(payment: Payment, intent: IntentResult, *, actor: str, source: str) -> list[str]:
    """Merge the provider's view into a LOCKED payment; write what changed to the ledger."""
    before = _state(payment)
    after = rules.merge(before, rules.PaymentState(intent.status, intent.amount_captured, intent.amount_refunded))
    actions = rules.ledger_actions(before, after)
    if after == before:
        return []
    payment.status, payment.amount_captured, payment.amount_refunded = after.status, after.amount_captured, \
        after.amount_refunded
    if after.status == PaymentStatus.FAILED:
        payment.failure_code = intent.failure_code
    payment.updated_at = clock.now()
    payment.save(update_fields=["status", "amount_captured", "amount_refunded", "failure_code", "updated_at"])
    for action in actions:
        append_entry(actor=actor, action=action, subject=f"payment:{payment.pk}",
                     payload={"reference": payment.reference, "provider_id": payment.provider_id,
                              "status": payment.status, "amount": str(payment.amount), "currency": payment.currency,
                              "amount_captured": str(payment.amount_captured),
                              "amount_refunded": str(payment.amount_refunded), "source": source})
    return actions


def _amount(amount: Decimal, currency: str) -> Decimal:
    value = Decimal(amount).quantize(quantum(currency))
    if value <= 0:
        raise Invalid(_("The amount must be positive."), code="amount_not_positive")
    return value


@transaction.atomic
def _record_new(*, provider: PaymentProvider, intent: IntentResult, reference: str, amount: Decimal,
                currency: str, actor: str) -> Payment:
    now = clock.now()
    payment = Payment.objects.create(reference=reference, provider=provider.name, provider_id=intent.provider_id,
                                     amount=amount, currency=currency, hosted_url=intent.hosted_url,
                                     created_at=now, updated_at=now)
    append_entry(actor=actor, action="payment.created", subject=f"payment:{payment.pk}",
                 payload={"reference": reference, "provider": provider.name, "provider_id": intent.provider_id,
                          "amount": str(amount), "currency": currency})
    _apply(payment, intent, actor=actor, source="provider_answer")
    return payment


def start_payment(*, reference: str, amount: Decimal, currency: str = "CNY", return_url: str,
                  actor: str = "system", provider: PaymentProvider | None = None,
                  idempotency_key: str | None = None) -> Payment:
    """The checkout's hook: a payment the shopper completes on the gateway's page (`payment.hosted_url`)."""
    provider = provider or get_provider()
    value = _amount(amount, currency)
    try:
        intent = provider.create_intent(amount=value, currency=currency, reference=reference, return_url=return_url,
                                        idempotency_key=idempotency_key or f"start-{uuid.uuid4()}")
    except ProviderError as exc:
        raise _provider_problem(exc) from None
    return _record_new(provider=provider, intent=intent, reference=reference, amount=value, currency=currency,
                       actor=actor)


def authorise_payment(*, reference: str, amount: Decimal, currency: str = "CNY", payment_method: str,
                      actor: str = "system", provider: PaymentProvider | None = None,
                      idempotency_key: str | None = None) -> Payment:
    """Authorise server to server with a card token; a declined card gives a `failed` payment."""
    provider = provider or get_provider()
    value = _amount(amount, currency)
    try:
        intent = provider.authorise(amount=value, currency=currency, reference=reference,
                                    payment_method=payment_method,
                                    idempotency_key=idempotency_key or f"authorise-{uuid.uuid4()}")
    except ProviderError as exc:
        raise _provider_problem(exc) from None
    return _record_new(provider=provider, intent=intent, reference=reference, amount=value, currency=currency,
                       actor=actor)


def _get(payment_id: int) -> Payment:
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("There is no such payment."), code="payment_not_found")
    return payment


@transaction.atomic
def _apply_answer(*, payment_id: int, intent: IntentResult, actor: str) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    _apply(payment, intent, actor=actor, source="provider_answer")
    return payment


def capture_payment(*, payment_id: int, actor: str, provider: PaymentProvider | None = None) -> Payment:
    payment = _get(payment_id)
    if payment.status != PaymentStatus.AUTHORISED:
        raise Conflict(_("Only an authorised payment can be captured; this one is %(status)s.")
                       % {"status": payment.status}, code="payment_not_capturable")
    provider = provider or get_provider(payment.provider)
    try:
        intent = provider.capture(provider_id=payment.provider_id, idempotency_key=f"capture-{payment.pk}")
    except ProviderError as exc:
        raise _provider_problem(exc) from None
    return _apply_answer(payment_id=payment.pk, intent=intent, actor=actor)


def void_payment(*, payment_id: int, actor: str, provider: PaymentProvider | None = None) -> Payment:
    payment = _get(payment_id)
    if payment.status != PaymentStatus.AUTHORISED:
        raise Conflict(_("Only an authorised payment can be voided; this one is %(status)s.")
                       % {"status": payment.status}, code="payment_not_voidable")
    provider = provider or get_provider(payment.provider)
    try:
        intent = provider.void(provider_id=payment.provider_id, idempotency_key=f"void-{payment.pk}")
    except ProviderError as exc:
        raise _provider_problem(exc) from None
    return _apply_answer(payment_id=payment.pk, intent=intent, actor=actor)


def refund_payment(*, payment_id: int, amount: Decimal, idempotency_key: str, actor: str,
                   provider: PaymentProvider | None = None) -> Payment:
    """Refund part or all of what was captured; the same idempotency_key never refunds twice."""
    payment = _get(payment_id)
    value = _amount(amount, payment.currency)
    if payment.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
        raise Conflict(_("Only a captured payment can be refunded; this one is %(status)s.")
                       % {"status": payment.status}, code="payment_not_refundable")
    if value > payment.amount_captured - payment.amount_refunded:
        raise Invalid(_("The refund is more than what is left to refund (%(left)s).")
                      % {"left": payment.amount_captured - payment.amount_refunded}, code="refund_exceeds_captured")
    provider = provider or get_provider(payment.provider)
    try:
        intent = provider.refund(provider_id=payment.provider_id, amount=value,
                                 idempotency_key=f"refund-{payment.pk}-{idempotency_key}")
    except ProviderError as exc:
        raise _provider_problem(exc) from None
    return _apply_answer(payment_id=payment.pk, intent=intent, actor=actor)


class PaymentUnknown(Problem):
    status, code, title = 409, "payment_unknown", "No payment matches this event yet"


@transaction.atomic
def apply_webhook_event(*, provider_name: str, event: ProviderEvent) -> bool:
    """Record and apply one verified event; False when it was already received (a replay changes nothing).

    An event for a payment Bastion does not know (yet: the gateway can be faster than our own
    commit) is refused with 409 and not recorded, so the gateway delivers it again later.
    """
    if WebhookEvent.objects.filter(event_id=event.event_id).exists():
        return False
    payment = (Payment.objects.select_for_update()
               .filter(provider=provider_name, provider_id=event.intent.provider_id).first())
    if payment is None:
        raise PaymentUnknown(_("No payment matches this event yet; deliver it again later."))
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(provider=provider_name, event_id=event.event_id, type=event.type,
                                                 received_at=clock.now(), payload=event.payload)
    except IntegrityError:  # the same event, delivered twice at once: the other delivery applies it
        return False
    record.applied = bool(_apply(payment, event.intent, actor=f"provider:{provider_name}", source=event.type))
    record.save(update_fields=["applied"])
    return True
