"""`bastion payments reconcile` and the periodic task, against the in-process gateway."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bastion.cli import main
from bastion.payments import actions
from bastion.payments.tasks import reconcile_payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings, gateway):
    settings.PAYMENT_GATEWAY_URL = gateway.config.public_url
    settings.PAYMENT_GATEWAY_SECRET_KEY = "sk_test"
    return gateway


def test_reconcile_command_and_task(configured, capsys):
    p = actions.authorise_payment(reference="CO-R", amount=Decimal("8"), payment_method="4242424242424242")
    assert main(["payments", "reconcile"]) == 0
    assert "Every open payment matches the gateway" in capsys.readouterr().out
    configured.void(p.provider_id)  # behind Bastion's back
    assert main(["payments", "reconcile"]) == 1
    out = capsys.readouterr().out
    assert "status" in out and "authorised" in out and "voided" in out
    assert reconcile_payments.call_local() == 1  # one finding: the status
