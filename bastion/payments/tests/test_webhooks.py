"""The webhook endpoint through the real HTTP stack: forged, replayed, stale, duplicated, reordered."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import pytest
from django.test import Client

from bastion.audit.models import LedgerEntry
from bastion.payments.models import Payment, WebhookEvent
from bastion.payments.tests.factories import event, intent_of, payment, signed_headers

URL = "/api/v1/payments/webhooks/sandbox"
pytestmark = pytest.mark.django_db


def _post(settings, event_id: str, body: bytes, *, timestamp: int | None = None, secret: str | None = None,
          headers: dict | None = None):
    sent = headers if headers is not None else signed_headers(
        secret=secret or settings.PAYMENT_WEBHOOK_SECRET, event_id=event_id, body=body, timestamp=timestamp)
    return Client().post(URL, data=body, content_type="application/json",
                         headers={k.replace("-", "_").title().replace("_", "-"): v for k, v in sent.items()})


def _snapshot(p: Payment):
    p.refresh_from_db()
    return (p.status, p.amount_captured, p.amount_refunded, LedgerEntry.objects.count(), WebhookEvent.objects.count())


def _actions(p: Payment) -> list[str]:
    return list(LedgerEntry.objects.filter(subject=f"payment:{p.pk}").order_by("seq").values_list("action", flat=True))


def test_a_signed_event_is_applied_with_its_ledger_entry(settings):
    p = payment()
    event_id, body = event(intent_of(p, status="authorised"), kind="payment.authorised")
    response = _post(settings, event_id, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"received": True}
    p.refresh_from_db()
    assert p.status == "authorised"
    assert _actions(p) == ["payment.authorised"]
    record = WebhookEvent.objects.get()
    assert (record.event_id, record.type, record.applied) == (event_id, "payment.authorised", True)


@pytest.mark.parametrize("tamper", ["body", "secret", "signature", "missing"])
def test_a_forged_event_is_refused_and_changes_nothing(settings, tamper):
    p = payment(status="authorised")
    event_id, body = event(intent_of(p, status="captured", captured="100.00"), kind="payment.captured")
    before = _snapshot(p)
    if tamper == "body":
        headers = signed_headers(secret=settings.PAYMENT_WEBHOOK_SECRET, event_id=event_id, body=body)
        body = body.replace(b"100.00", b"10.00")
        response = _post(settings, event_id, body, headers=headers)
    elif tamper == "secret":
        response = _post(settings, event_id, body, secret="not-the-secret")
    elif tamper == "signature":
        headers = signed_headers(secret=settings.PAYMENT_WEBHOOK_SECRET, event_id=event_id, body=body)
        headers["webhook-signature"] = "v1," + "A" * 43 + "="
        response = _post(settings, event_id, body, headers=headers)
    else:
        response = _post(settings, event_id, body, headers={})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "webhook_signature_invalid"
    assert _snapshot(p) == before


@pytest.mark.parametrize("offset", [-301, 301, -3600, 3600])
def test_a_stale_or_future_event_is_refused_and_changes_nothing(settings, offset):
    p = payment(status="authorised")
    event_id, body = event(intent_of(p, status="voided"), kind="payment.voided")
    before = _snapshot(p)
    response = _post(settings, event_id, body, timestamp=int(time.time()) + offset)
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_timestamp_out_of_window"
    assert _snapshot(p) == before


def test_a_replayed_event_answers_200_and_changes_nothing(settings):
    p = payment(status="authorised")
    event_id, body = event(intent_of(p, status="captured", captured="100.00"), kind="payment.captured")
    assert _post(settings, event_id, body).json() == {"received": True}
    before = _snapshot(p)
    response = _post(settings, event_id, body)
    assert response.status_code == 200
    assert response.json() == {"received": False}
    assert _snapshot(p) == before
    assert _actions(p) == ["payment.captured"]


def test_an_event_for_an_unknown_payment_is_refused_for_a_later_retry(settings):
    ghost = {"id": "pi_nobody", "amount": "5.00", "currency": "CNY", "reference": "CO-x", "status": "authorised",
             "amount_captured": "0.00", "amount_refunded": "0.00"}
    event_id, body = event(ghost, kind="payment.authorised")
    response = _post(settings, event_id, body)
    assert response.status_code == 409
    assert response.json()["code"] == "payment_unknown"
    assert WebhookEvent.objects.count() == 0


def test_a_signed_body_that_is_not_an_event_is_refused(settings):
    response = _post(settings, "evt_1", b'{"hello": "world"}')
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_payload_invalid"
    assert WebhookEvent.objects.count() == 0


def test_refunded_before_captured_is_not_lost(settings):
    p = payment(status="authorised")
    refunded = event(intent_of(p, status="partially_refunded", captured="100.00", refunded="40.00"),
                     kind="payment.refunded")
    captured = event(intent_of(p, status="captured", captured="100.00"), kind="payment.captured")
    assert _post(settings, *refunded).status_code == 200
    assert _post(settings, *captured).status_code == 200
    p.refresh_from_db()
    assert (p.status, p.amount_captured, p.amount_refunded) == ("partially_refunded", Decimal("100.00"),
                                                                 Decimal("40.00"))
    assert _actions(p) == ["payment.captured", "payment.refunded"]
    assert list(WebhookEvent.objects.order_by("pk").values_list("applied", flat=True)) == [True, False]


def test_duplicated_and_shuffled_events_end_in_the_gateway_state_and_count_nothing_twice(settings):
    rng = random.Random(7)
    payments, deliveries = [], []
    for n in range(6):
        p = payment(amount="80.00")
        life = [("authorised", "0.00", "0.00", "payment.authorised"), ("captured", "80.00", "0.00", "payment.captured"),
                ("partially_refunded", "80.00", "20.00", "payment.refunded"),
                ("partially_refunded", "80.00", "50.00", "payment.refunded")]
        if n % 2:
            life.append(("refunded", "80.00", "80.00", "payment.refunded"))
        for status, captured, refunded, kind in life:
            delivery = event(intent_of(p, status=status, captured=captured, refunded=refunded), kind=kind)
            deliveries += [delivery] * rng.randint(1, 3)
        payments.append((p, life[-1]))
    rng.shuffle(deliveries)
    for delivery in deliveries:
        assert _post(settings, *delivery).status_code == 200
    for p, (status, captured, refunded, _) in payments:
        p.refresh_from_db()
        assert (p.status, p.amount_captured, p.amount_refunded) == (status, Decimal(captured), Decimal(refunded))
        actions = _actions(p)
        assert actions.count("payment.captured") == 1
        assert actions.count("payment.authorised") <= 1
        assert 1 <= actions.count("payment.refunded") <= (3 if status == "refunded" else 2)
    assert WebhookEvent.objects.count() == len({event_id for event_id, _ in deliveries})


def test_a_late_authorised_event_does_not_undo_a_void(settings):
    p = payment()
    assert _post(settings, *event(intent_of(p, status="voided"), kind="payment.voided")).status_code == 200
    assert _post(settings, *event(intent_of(p, status="authorised"), kind="payment.authorised")).status_code == 200
    p.refresh_from_db()
    assert p.status == "voided"
    assert _actions(p) == ["payment.voided"]


def test_without_a_webhook_secret_every_webhook_is_refused(settings):
    p = payment(status="authorised")
    event_id, body = event(intent_of(p, status="voided"), kind="payment.voided")
    headers = signed_headers(secret="", event_id=event_id, body=body)  # signed with the empty secret
    settings.PAYMENT_WEBHOOK_SECRET = ""
    before = _snapshot(p)
    response = _post(settings, event_id, body, headers=headers)
    assert response.status_code == 503
    assert response.json()["code"] == "payments_not_configured"
    assert _snapshot(p) == before
