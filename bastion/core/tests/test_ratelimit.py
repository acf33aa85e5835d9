"""Rate limits on the mail-sending and account-probing flows, through the real HTTP stack."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core import mail
from django.test import Client, override_settings

from bastion.accounts.models import User
from bastion.core.ratelimit import _limiter

LIMITS = {"register": "2/hour", "password_reset": "2/hour", "verification_mail": "2/hour"}


@pytest.fixture
def client_address():
    # Counters may live in a Redis shared with other test processes: a unique address per test.
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def _post(client, path, body, address):
    return client.post(path, json.dumps(body), content_type="application/json", REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(RATE_LIMITS=LIMITS)
def test_registration_is_limited_per_client_address(client_address, django_capture_on_commit_callbacks):
    _limiter.cache_clear()
    client = Client()
    for n in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(client, "/api/v1/auth/register",
                             {"email": f"rl{n}-{client_address}@example.com", "password": "a long passphrase 42"},
                             client_address)
        assert response.status_code == 202
    refused = _post(client, "/api/v1/auth/register",
                    {"email": f"rl-late-{client_address}@example.com", "password": "a long passphrase 42"},
                    client_address)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert not User.objects.filter(email=f"rl-late-{client_address}@example.com").exists()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@override_settings(RATE_LIMITS=LIMITS)
def test_password_reset_is_limited_per_email_across_addresses(client_address):
    _limiter.cache_clear()
    email = f"victim-{uuid.uuid4().hex[:8]}@example.com"
    client = Client()
    for n in range(2):
        assert _post(client, "/api/v1/auth/password-reset", {"email": email}, f"{client_address[:-1]}{n}").status_code == 202
    refused = _post(client, "/api/v1/auth/password-reset", {"email": email}, "192.0.2.77")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"


@pytest.mark.django_db
@override_settings(RATE_LIMITS=LIMITS)
def test_signup_page_shows_the_limit_as_a_readable_error(client_address):
    _limiter.cache_clear()
    client = Client()
    statuses = []
    for n in range(3):
        response = client.post("/signup/", {"email": f"page{n}-{client_address}@example.com",
                                            "password": "a long passphrase 42", "full_name": ""},
                               REMOTE_ADDR=client_address)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert b"Too many requests of this kind" in response.content
    assert User.objects.filter(email__endswith=f"-{client_address}@example.com").count() == 2
