"""Registration and email verification through POST /api/v1/auth/…"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from bastion.accounts.actions.registration import make_verification_token
from bastion.accounts.models import User
from bastion.accounts.tests.apicalls import FIXED_REQUEST_ID, ok, post, problem, state
from bastion.accounts.tests.factories import UserFactory
from bastion.core.clock import use_clock

pytestmark = pytest.mark.django_db

PASSPHRASE = "tangerine lighthouse at dusk 1987"
ACCEPTED = {"detail": "Check your mail: we sent a link to confirm the address."}
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """POST /auth/register, running the mail that is sent once the registration commits."""

    def _register(body, client: Client | None = None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return post(client or Client(), "/auth/register", body, **extra)

    return _register


def _link_token(message) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"/verify-email/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_registration_creates_an_unverified_account_and_mails_a_link(register):
    with use_clock(lambda: NOW):
        response = register({"email": "  Lin.Hao@Example.com ", "password": PASSPHRASE, "full_name": "Lin Hao"})
    assert ok(response, 202) == ACCEPTED
    user = User.objects.get()
    assert (user.email, user.full_name, user.email_verified_at, user.date_joined, user.preferred_language) == (
        "lin.hao@example.com", "Lin Hao", None, NOW, "en")
    assert user.check_password(PASSPHRASE)
    assert PASSPHRASE not in user.password
    [message] = mail.outbox
    assert (message.to, message.subject) == (["lin.hao@example.com"], "Confirm your email address")
    assert "Hello Lin Hao," in message.body
    assert "The link works for 48 hours." in message.body


def test_mailed_link_verifies_the_address(register):
    register({"email": "lin@example.com", "password": PASSPHRASE})
    token = _link_token(mail.outbox[0])
    with use_clock(lambda: NOW):
        response = post(Client(), "/auth/verify-email", {"token": token})
    assert ok(response) == {"detail": "Your email address is confirmed. You can sign in."}
    assert User.objects.get().email_verified_at == NOW


def test_verifying_twice_keeps_the_first_time(register):
    user = UserFactory(email_verified_at=None)
    token = make_verification_token(user)
    with use_clock(lambda: NOW):
        ok(post(Client(), "/auth/verify-email", {"token": token}))
    with use_clock(lambda: NOW + timedelta(hours=1)):
        ok(post(Client(), "/auth/verify-email", {"token": token}))
    user.refresh_from_db()
    assert user.email_verified_at == NOW


def test_language_is_kept_when_supported_else_english(register):
    register({"email": "a@example.com", "password": PASSPHRASE, "language": "zh-hans"})
    register({"email": "b@example.com", "password": PASSPHRASE, "language": "tlh"})
    assert dict(User.objects.values_list("email", "preferred_language")) == {
        "a@example.com": "zh-hans", "b@example.com": "en"}


def test_duplicate_email_gets_the_same_answer_and_creates_nobody(register):
    existing = UserFactory(email="taken@example.com")
    password_before = existing.password
    first = register({"email": "new@example.com", "password": PASSPHRASE})
    mail.outbox.clear()
    again = register({"email": "TAKEN@example.com ", "password": PASSPHRASE})
    assert ok(first, 202) == ACCEPTED
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert User.objects.count() == 2
    existing.refresh_from_db()
    assert existing.password == password_before
    [message] = mail.outbox
    assert (message.to, message.subject) == (["taken@example.com"], "You already have a Bastion account")
    assert f"{settings.SITE_URL}/password-reset/" in message.body


def test_weak_password_is_refused_and_creates_nobody(register):
    before = state()
    body = problem(register({"email": "lin@example.com", "password": "Password123!"}), 422, "password_rejected")
    assert body["field"] == "password"
    assert state() == before


def test_weak_password_answer_does_not_reveal_a_registered_address(register):
    UserFactory(email="taken@example.com")
    before = state()
    taken = register({"email": "taken@example.com", "password": "dr@gon2024"}, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    free = register({"email": "free@example.com", "password": "dr@gon2024"}, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)
    problem(free, 422, "password_rejected")
    assert (taken.status_code, taken.content) == (free.status_code, free.content)
    assert state() == before


@pytest.mark.parametrize("email", ["not-an-email", "lin@", "@example.com", "lin hao@example.com", ""])
def test_invalid_email_is_refused(register, email):
    before = state()
    body = problem(register({"email": email, "password": PASSPHRASE}), 422, "email_invalid")
    assert body["field"] == "email"
    assert state() == before


def test_unknown_field_is_refused(register):
    before = state()
    body = problem(register({"email": "lin@example.com", "password": PASSPHRASE, "is_admin": True}),
                   422, "validation_failed")
    assert body["field"] == "is_admin"
    assert body["errors"] == [{"loc": ["body", "payload", "is_admin"], "msg": "Extra inputs are not permitted",
                               "type": "extra_forbidden"}]
    assert state() == before


def test_missing_password_is_refused(register):
    body = problem(register({"email": "lin@example.com"}), 422, "validation_failed")
    assert body["field"] == "password"
    assert User.objects.count() == 0


def test_malformed_json_is_a_400_problem(register):
    before = state()
    body = problem(register('{"email": "lin@example.com", "password": '), 400, "malformed_body")
    assert body["instance"] == "/api/v1/auth/register"
    assert state() == before


def test_body_over_the_limit_is_413(register):
    before = state()
    padding = "x" * settings.MAX_BODY_BYTES
    response = register({"email": "lin@example.com", "password": PASSPHRASE, "full_name": padding})
    problem(response, 413, "payload_too_large")
    assert state() == before


def _token_signed_at(user: User, moment: datetime) -> str:
    with mock.patch("time.time", return_value=moment.timestamp()):
        return make_verification_token(user)


def test_expired_link_is_refused_and_leaves_the_address_unverified():
    user = UserFactory(email_verified_at=None)
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE
    token = _token_signed_at(user, datetime.fromtimestamp(time.time(), UTC) - max_age - timedelta(minutes=1))
    before = state()
    body = problem(post(Client(), "/auth/verify-email", {"token": token}), 400, "verification_link_expired")
    assert body["detail"] == "This verification link has expired; ask for a new one."
    assert state() == before


def test_link_just_inside_its_lifetime_still_works():
    user = UserFactory(email_verified_at=None)
    max_age = settings.EMAIL_VERIFICATION_MAX_AGE
    token = _token_signed_at(user, datetime.fromtimestamp(time.time(), UTC) - max_age + timedelta(minutes=5))
    ok(post(Client(), "/auth/verify-email", {"token": token}))
    user.refresh_from_db()
    assert user.is_email_verified


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature
    lambda t: "x" + t,  # payload
    lambda t: "garbage",
])
def test_tampered_link_is_refused(tamper):
    user = UserFactory(email_verified_at=None)
    before = state()
    problem(post(Client(), "/auth/verify-email", {"token": tamper(make_verification_token(user))}),
            400, "verification_link_invalid")
    assert state() == before


def test_link_for_an_address_that_changed_is_refused():
    user = UserFactory(email="old@example.com", email_verified_at=None)
    token = make_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.com")
    problem(post(Client(), "/auth/verify-email", {"token": token}), 400, "verification_link_invalid")
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_resend_mails_only_unverified_accounts_and_answers_the_same():
    UserFactory(email="waiting@example.com", email_verified_at=None)
    UserFactory(email="done@example.com")
    answers = {email: post(Client(), "/auth/verify-email/resend", {"email": email},
                           HTTP_X_REQUEST_ID=FIXED_REQUEST_ID).content
               for email in ("waiting@example.com", "done@example.com", "nobody@example.com")}
    assert len(set(answers.values())) == 1
    assert json.loads(answers["nobody@example.com"]) == {
        "detail": "If the address has an unconfirmed account, a new link is on its way."}
    assert [m.to for m in mail.outbox] == [["waiting@example.com"]]
    ok(post(Client(), "/auth/verify-email", {"token": _link_token(mail.outbox[0])}))

