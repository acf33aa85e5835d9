"""Payment actions against the real sandbox gateway (in this process, over HTTP, no webhooks)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bastion.audit.models import LedgerEntry
from bastion.core.errors import Conflict, Invalid
from bastion.payments import actions, queries
from bastion.payments.models import Payment
from bastion.payments.reconcile import reconcile
from bastion.payments.tests.factories import payment

pytestmark = pytest.mark.django_db

OK, DECLINED, BROKE, CHALLENGE, TIMEOUT = ("4242 4242 4242 4242", "4000 0000 0000 0002", "4000000000009995",
                                           "4000 0000 0000 3220", "4000 0000 0000 0119")


def _actions(p: Payment) -> list[str]:
    return list(LedgerEntry.objects.filter(subject=f"payment:{p.pk}").order_by("seq").values_list("action", flat=True))


def _authorised(provider, amount="120.00") -> Payment:
    return actions.authorise_payment(reference="CO-7", amount=Decimal(amount), payment_method=OK, provider=provider)


def test_start_payment_gives_the_hosted_page(provider, gateway):
    p = actions.start_payment(reference="CO-1", amount=Decimal("59.90"), return_url="http://shop.test/done",
                              provider=provider)
    assert p.status == "created"
    assert p.hosted_url == f"{gateway.config.public_url}/pay/{p.provider_id}"
    assert gateway.intents[p.provider_id]["amount"] == "59.90"
    assert _actions(p) == ["payment.created"]
    assert list(queries.payments_for_reference("CO-1")) == [p]


def test_authorise_capture_and_refund_in_parts(provider, gateway):
    p = _authorised(provider)
    assert p.status == "authorised"
    p = actions.capture_payment(payment_id=p.pk, actor="test", provider=provider)
    assert (p.status, p.amount_captured) == ("captured", Decimal("120.00"))
    p = actions.refund_payment(payment_id=p.pk, amount=Decimal("20"), idempotency_key="r1", actor="test",
                               provider=provider)
    again = actions.refund_payment(payment_id=p.pk, amount=Decimal("20"), idempotency_key="r1", actor="test",
                                   provider=provider)  # a retry: the gateway answers the first result
    assert (again.status, again.amount_refunded) == ("partially_refunded", Decimal("20.00"))
    p = actions.refund_payment(payment_id=p.pk, amount=Decimal("100"), idempotency_key="r2", actor="test",
                               provider=provider)
    assert (p.status, p.amount_refunded) == ("refunded", Decimal("120.00"))
    assert gateway.intents[p.provider_id]["amount_refunded"] == "120.00"
    assert len(gateway.intents[p.provider_id]["refunds"]) == 2
    assert _actions(p) == ["payment.created", "payment.authorised", "payment.captured", "payment.refunded",
                           "payment.refunded"]


def test_a_refund_beyond_the_captured_amount_is_refused_and_changes_nothing(provider, gateway):
    p = _authorised(provider, "50.00")
    p = actions.capture_payment(payment_id=p.pk, actor="test", provider=provider)
    ledger = LedgerEntry.objects.count()
    with pytest.raises(Invalid) as refused:
        actions.refund_payment(payment_id=p.pk, amount=Decimal("50.01"), idempotency_key="r", actor="test",
                               provider=provider)
    assert refused.value.code == "refund_exceeds_captured"
    p.refresh_from_db()
    assert (p.status, p.amount_refunded, LedgerEntry.objects.count()) == ("captured", Decimal("0"), ledger)
    assert gateway.intents[p.provider_id]["refunds"] == []


@pytest.mark.parametrize(("card", "code"), [(DECLINED, "card_declined"), (BROKE, "insufficient_funds")])
def test_a_declined_card_fails_the_payment(provider, card, code):
    p = actions.authorise_payment(reference="CO-2", amount=Decimal("10"), payment_method=card, provider=provider)
    assert (p.status, p.failure_code) == ("failed", code)
    assert _actions(p) == ["payment.created", "payment.failed"]
    with pytest.raises(Conflict):
        actions.capture_payment(payment_id=p.pk, actor="test", provider=provider)


def test_a_network_timeout_records_nothing(provider):
    with pytest.raises(actions.ProviderUnavailable):
        actions.authorise_payment(reference="CO-3", amount=Decimal("10"), payment_method=TIMEOUT, provider=provider)
    assert Payment.objects.count() == 0
    assert LedgerEntry.objects.filter(action__startswith="payment.").count() == 0


def test_a_3ds_card_waits_for_the_challenge(provider):
    p = actions.authorise_payment(reference="CO-4", amount=Decimal("10"), payment_method=CHALLENGE, provider=provider)
    assert p.status == "created"


def test_void_an_authorisation(provider, gateway):
    p = _authorised(provider)
    p = actions.void_payment(payment_id=p.pk, actor="test", provider=provider)
    assert p.status == "voided"
    assert gateway.intents[p.provider_id]["status"] == "voided"
    with pytest.raises(Conflict):
        actions.void_payment(payment_id=p.pk, actor="test", provider=provider)


def test_reconcile_reports_what_only_the_gateway_knows(provider, gateway):
    quiet = _authorised(provider)
    moved = _authorised(provider)
    gateway.capture(moved.provider_id)  # captured at the gateway; Bastion missed the webhook
    unknown = payment(status="authorised", provider_id="pi_nowhere")
    findings = {(f.payment_id, f.field): (f.bastion, f.gateway) for f in reconcile(provider=provider)}
    assert findings == {(moved.pk, "status"): ("authorised", "captured"),
                        (moved.pk, "amount_captured"): ("0.00", "120.00"),
                        (unknown.pk, "gateway"): ("authorised", "unavailable: intent_not_found")}
    assert quiet.pk not in {pid for pid, _ in findings}
