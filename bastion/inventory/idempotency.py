"""Idempotency-Key for stock requests: a retry gets the first answer, a reused key with another body is 422.

The first successful answer is stored with the change, in one transaction (IdempotentRequest).
A retry that arrives while the first is still running waits for it on the unique key (the row
lock on PostgreSQL, the write lock on SQLite), then replays its answer; so a change is made once
however many times it is sent. A refused request stores nothing (it changed nothing), so a
corrected retry with the same key runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bastion.core import clock
from bastion.core.errors import Invalid
from bastion.inventory.models import IdempotentRequest
from bastion.merchants.models import Merchant

KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"  # visible ASCII, as in the IETF Idempotency-Key draft's examples


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def _replay(record: IdempotentRequest, digest: str) -> tuple[int, Any]:
    if record.request_hash != digest:
        raise Invalid(_("This Idempotency-Key was used with a different request body; use a new key."),
                      code="idempotency_key_reused")
    return record.response_status, record.response_body


def run_once(*, merchant: Merchant, operation: str, key: str | None, body: dict[str, Any],
             run: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """(status, body) of `run()`, or of its first run under this key."""
    if key is None:
        return run()
    digest = request_hash(body)
    lookup = IdempotentRequest.objects.filter(merchant=merchant, operation=operation, key=key)
    record = lookup.first()
    if record is not None:
        return _replay(record, digest)
    try:
        with transaction.atomic():
            status, answer = run()
            stored = json.loads(json.dumps(answer, cls=DjangoJSONEncoder))
            IdempotentRequest.objects.create(merchant=merchant, operation=operation, key=key, request_hash=digest,
                                             response_status=status, response_body=stored, created_at=clock.now())
    except IntegrityError:
        record = lookup.first()
        if record is None:  # not a duplicate key: a real integrity problem
            raise
        return _replay(record, digest)
    # Answer with what was stored, not the live object, so the first answer and every replay are
    # the same bytes (JSON rounds times to milliseconds; the live object would not be).
    return status, stored
