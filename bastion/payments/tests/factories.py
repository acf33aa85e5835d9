"""Builders for payment tests: a payment row, a signed gateway event, the in-process gateway."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from decimal import Decimal

from bastion.core import clock
from bastion.payments.models import Payment
from bastion.payments.webhook_signature import sign

_n = itertools.count()


def payment(*, amount: str = "100.00", status: str = "created", provider_id: str | None = None, **fields) -> Payment:
    now = clock.now()
    return Payment.objects.create(reference=f"CO-{next(_n)}", provider="sandbox",
                                  provider_id=provider_id or f"pi_{secrets.token_hex(6)}", amount=Decimal(amount),
                                  status=status, created_at=now, updated_at=now, **fields)


def intent_of(p: Payment, *, status: str, captured: str = "0.00", refunded: str = "0.00") -> dict:
    return {"id": p.provider_id, "amount": str(p.amount), "currency": p.currency, "reference": p.reference,
            "status": status, "amount_captured": captured, "amount_refunded": refunded, "failure_code": "",
            "refunds": []}


def event(intent: dict, *, kind: str, event_id: str | None = None) -> tuple[str, bytes]:
    event_id = event_id or f"evt_{secrets.token_hex(8)}"
    return event_id, json.dumps({"id": event_id, "type": kind, "created": 0, "data": intent}).encode()


def signed_headers(*, secret: str, event_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {"webhook-id": event_id, "webhook-timestamp": str(stamp),
            "webhook-signature": sign(secret=secret, msg_id=event_id, timestamp=stamp, body=body)}
