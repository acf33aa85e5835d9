"""Signing in with a password through POST /api/v1/auth/login: answers, lockout, session fixation."""

from __future__ import annotations

import itertools
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from bastion.accounts.tests.apicalls import (
    FIXED_REQUEST_ID,
    get,
    ledger_head,
    ledger_since,
    login,
    ok,
    post,
    problem,
    signed_in_email,
    state,
    without_request_id,
)
from bastion.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNED_IN = {"signed_in": True, "mfa_required": False, "detail": "Signed in."}
LIMIT = settings.AXES_FAILURE_LIMIT
_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def _fresh_address_client(**kwargs) -> Client:
    """A client from an address no other attempt used, so only per-account counting applies."""
    return Client(REMOTE_ADDR=next(_addresses), **kwargs)


def _session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def _session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_right_password_signs_in():
    user = UserFactory(email="lin@example.com")
    client = Client()
    assert ok(login(client, "lin@example.com", PASSWORD)) == SIGNED_IN
    me = ok(get(client, "/me"))
    assert (me["id"], me["email"], me["mfa_enabled"], me["roles"], me["permissions"]) == (
        user.pk, "lin@example.com", False, [], [])


def test_email_is_matched_case_and_space_insensitively():
    UserFactory(email="lin@example.com")
    client = Client()
    ok(login(client, "  LIN@Example.COM ", PASSWORD))
    assert signed_in_email(client) == "lin@example.com"


def test_wrong_password_is_refused_like_an_unknown_account():
    UserFactory(email="lin@example.com")
    wrong = login(_fresh_address_client(), "lin@example.com", "not the password", HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    unknown = login(_fresh_address_client(), "nobody@example.com", PASSWORD, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    body = problem(wrong, 401, "invalid_credentials")
    assert body["detail"] == "The email or password is not correct."
    assert (wrong.status_code, wrong.content) == (unknown.status_code, unknown.content)


def test_unverified_address_cannot_sign_in():
    UserFactory(email="lin@example.com", email_verified_at=None)
    client = Client()
    problem(login(client, "lin@example.com", PASSWORD), 403, "email_not_verified")
    assert signed_in_email(client) is None


def test_deactivated_account_cannot_sign_in():
    UserFactory(email="lin@example.com", is_active=False)
    client = Client()
    problem(login(client, "lin@example.com", PASSWORD), 401, "invalid_credentials")
    assert signed_in_email(client) is None


def test_session_key_rotates_on_sign_in():
    UserFactory(email="lin@example.com")
    client = Client()
    session = client.session  # an anonymous session, as a visitor has before signing in
    session["cart"] = "3 teas"
    session.save()
    before = _session_key(client)
    ok(login(client, "lin@example.com", PASSWORD))
    after = _session_key(client)
    assert before and after and after != before
    assert not _session_exists(before)
    assert signed_in_email(client) == "lin@example.com"


def test_sign_out_ends_the_session():
    UserFactory(email="lin@example.com")
    client = Client()
    ok(login(client, "lin@example.com", PASSWORD))
    key = _session_key(client)
    assert ok(post(client, "/auth/logout")) == {"detail": "Signed out."}
    assert signed_in_email(client) is None
    assert not _session_exists(key)


def test_sign_in_needs_the_csrf_token():
    UserFactory(email="lin@example.com")
    client = Client(enforce_csrf_checks=True)
    problem(login(client, "lin@example.com", PASSWORD), 403, "csrf_failed")
    assert signed_in_email(client) is None
    ok(get(client, "/auth/csrf"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    ok(login(client, "lin@example.com", PASSWORD, HTTP_X_CSRFTOKEN=token))
    assert signed_in_email(client) == "lin@example.com"


def _fail(email: str) -> int:
    return login(_fresh_address_client(), email, "wrong password").status_code


def test_account_is_locked_after_the_failure_limit_even_with_the_right_password():
    UserFactory(email="lin@example.com")
    statuses = [_fail("lin@example.com") for _ in range(LIMIT)]
    assert statuses == [401] * (LIMIT - 1) + [429]
    client = _fresh_address_client()
    response = login(client, "lin@example.com", PASSWORD)
    body = problem(response, 429, "signin_locked")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert response["Retry-After"] == str(minutes * 60)
    assert body["detail"] == f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password."
    assert signed_in_email(client) is None


def test_failures_count_against_the_account_however_the_address_is_written():
    UserFactory(email="lin@example.com")
    spellings = ["lin@example.com", "LIN@example.com", " lin@Example.COM", "Lin@example.com ", "lin@EXAMPLE.com"]
    statuses = [_fail(spelling) for spelling in spellings[:LIMIT]]
    assert statuses[-1] == 429
    problem(login(_fresh_address_client(), "lin@example.com", PASSWORD), 429, "signin_locked")


def test_lockout_does_not_reveal_whether_the_account_exists():
    UserFactory(email="lin@example.com")
    existing = [_fail("lin@example.com") for _ in range(LIMIT)]
    unknown = [_fail("nobody@example.com") for _ in range(LIMIT)]
    assert existing == unknown
    locked = login(_fresh_address_client(), "lin@example.com", PASSWORD, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    absent = login(_fresh_address_client(), "nobody@example.com", PASSWORD, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    problem(locked, 429, "signin_locked")
    assert locked.status_code == absent.status_code
    assert locked.content == absent.content
    assert dict(locked.items()) == dict(absent.items())
    assert without_request_id(locked) == without_request_id(absent)


def test_many_accounts_from_one_address_lock_that_address():
    people = [UserFactory(email=f"p{n}@example.com") for n in range(LIMIT + 1)]
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    statuses = [login(attacker, p.email, "wrong password").status_code for p in people[:LIMIT]]
    assert statuses == [401] * (LIMIT - 1) + [429]
    last = people[LIMIT].email
    problem(login(attacker, last, PASSWORD), 429, "signin_locked")
    assert signed_in_email(attacker) is None
    # The person themself, from their own address, is not locked out.
    elsewhere = _fresh_address_client()
    ok(login(elsewhere, last, PASSWORD))


def test_a_success_in_between_does_not_reset_the_address_counter():
    own = UserFactory(email="attacker@example.com")
    victims = [UserFactory(email=f"v{n}@example.com") for n in range(LIMIT)]
    attacker = Client(REMOTE_ADDR="203.0.113.67")
    for n, victim in enumerate(victims):
        if n == LIMIT - 2:
            ok(login(Client(REMOTE_ADDR="203.0.113.67"), own.email, PASSWORD))
        login(attacker, victim.email, "wrong password")
    problem(login(attacker, victims[0].email, PASSWORD), 429, "signin_locked")


def test_refused_sign_ins_change_no_account():
    UserFactory(email="lin@example.com")
    before = state()
    problem(login(Client(), "lin@example.com", "wrong password"), 401, "invalid_credentials")
    assert state() == before


def test_staff_sign_in_is_written_to_the_ledger(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=world.operator).delete()  # staff who has not set up MFA yet
    head = ledger_head()
    client = Client(REMOTE_ADDR="192.0.2.10")
    ok(login(client, world.operator.email, PASSWORD))
    assert ledger_since(head) == [("staff.signed_in", f"user:{world.operator.pk}", f"user:{world.operator.pk}",
                                   {"client": "192.0.2.10", "mfa": False})]


def test_shopper_sign_in_is_not_written_to_the_ledger():
    UserFactory(email="lin@example.com")
    head = ledger_head()
    ok(login(Client(), "lin@example.com", PASSWORD))
    assert ledger_since(head) == []
