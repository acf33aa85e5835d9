"""Authorization matrix of the payments API.

The sandbox webhook takes no session and no API key: the gateway's signature is its only
credential, so every caller without one (all five personas here) is refused alike and nothing
changes. Signed deliveries are tested in test_webhooks.py and test_system.py.
"""

from __future__ import annotations

from bastion.payments.models import Payment, WebhookEvent
from bastion.testing.authz import Call, Case, expect


def _unsigned_event(world, user) -> Call:
    return Call({}, {"id": "evt_matrix", "type": "payment.captured",
                     "data": {"id": "pi_matrix", "amount": "1.00", "currency": "CNY", "reference": "CO-1",
                              "status": "captured", "amount_captured": "1.00", "amount_refunded": "0.00"}})


def _payments(world):
    return list(Payment.objects.values_list("id", "status")), WebhookEvent.objects.count()


CASES = [
    Case("POST", "/payments/webhooks/sandbox", expect(401, 401, 401, 401, 401), prepare=_unsigned_event,
         snapshot=_payments),
]
