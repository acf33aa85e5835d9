"""Small helpers for calling the JSON API in tests and asserting its answers precisely."""

from __future__ import annotations

import json
from typing import Any

from django.core import mail
from django.http import HttpResponse
from django.test import Client

from bastion.accounts.models import Address, ApiKey, BackupCode, RoleGrant, User
from bastion.audit.models import LedgerEntry

PREFIX = "/api/v1"
# A fixed request id makes two problem documents comparable byte for byte.
FIXED_REQUEST_ID = "test-request-0001"


def call(client: Client, method: str, path: str, body: Any = None, **extra) -> HttpResponse:
    """`body` is sent as JSON, or as is when it is already str or bytes."""
    if body is None:
        data: str | bytes = ""
    elif isinstance(body, str | bytes):
        data = body
    else:
        data = json.dumps(body, default=str)
    return client.generic(method, PREFIX + path, data=data, content_type="application/json", **extra)


def post(client: Client, path: str, body: Any = None, **extra) -> HttpResponse:
    return call(client, "POST", path, body, **extra)


def get(client: Client, path: str, **extra) -> HttpResponse:
    return client.get(PREFIX + path, **extra)


def login(client: Client, email: str, password: str, **extra) -> HttpResponse:
    return post(client, "/auth/login", {"email": email, "password": password}, **extra)


def ok(response: HttpResponse, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:500]
    return response.json() if response.content else None


def problem(response: HttpResponse, status: int, code: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem document with this status and code; return its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"] == f"urn:bastion:problem:{code}"
    assert body["request_id"] == response["X-Request-ID"]
    return body


def without_request_id(response: HttpResponse) -> dict[str, Any]:
    body = response.json()
    body.pop("request_id", None)
    return body


def signed_in_email(client: Client) -> str | None:
    """Who the client is signed in as, asked through the API (None when anonymous)."""
    response = get(client, "/me")
    if response.status_code == 401:
        return None
    return ok(response)["email"]


def state() -> dict[str, Any]:
    """Everything a refused accounts request must leave unchanged."""
    return {
        "users": sorted(User.objects.values_list("id", "email", "password", "email_verified_at", "is_active",
                                                 "session_generation")),
        "addresses": sorted(Address.objects.values_list("id", "user_id", "recipient", "line1", "postal_code",
                                                        "country", "phone", "is_default")),
        "api_keys": sorted(ApiKey.objects.values_list("id", "prefix", "revoked_at")),
        "grants": sorted(RoleGrant.objects.values_list("id", "user_id", "role", "merchant_id")),
        "backup_codes": sorted(BackupCode.objects.values_list("id", "used_at")),
        "ledger": LedgerEntry.objects.count(),
        "mail": len(mail.outbox),
    }


def ledger_since(seq: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(action, actor, subject, payload) of every ledger entry after `seq`."""
    return [(e.action, e.actor, e.subject, json.loads(e.payload))
            for e in LedgerEntry.objects.filter(seq__gt=seq).order_by("seq")]


def ledger_head() -> int:
    last = LedgerEntry.objects.order_by("-seq").first()
    return last.seq if last else 0
