"""Password reset through POST /api/v1/auth/password-reset[/confirm]."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bastion.accounts.tests.apicalls import FIXED_REQUEST_ID, login, ok, post, problem, signed_in_email, state
from bastion.accounts.tests.factories import PASSWORD, UserFactory
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

NEW = "tangerine lighthouse at dusk 1987"
REQUESTED = {"detail": "If the address has an account, a reset link is on its way."}
CHANGED = {"detail": "Your password is changed and every session has ended. Sign in again."}


def _request(email: str):
    return post(Client(), "/auth/password-reset", {"email": email}, HTTP_X_REQUEST_ID=FIXED_REQUEST_ID)


def _link_parts(message) -> tuple[str, str]:
    match = re.search(re.escape(settings.SITE_URL) + r"/password-reset/([^/\s]+)/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _confirm(uid: str, token: str, new_password: str = NEW):
    return post(Client(), "/auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": new_password})


def test_request_answers_the_same_for_known_and_unknown_addresses_and_mails_only_the_known():
    UserFactory(email="lin@example.com")
    known, unknown = _request("LIN@example.com"), _request("nobody@example.com")
    assert ok(known, 202) == REQUESTED
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    [message] = mail.outbox
    assert (message.to, message.subject) == (["lin@example.com"], "Reset your password")
    assert "The link works for 60 minutes and only once." in message.body


def test_deactivated_account_gets_no_mail():
    UserFactory(email="lin@example.com", is_active=False)
    assert ok(_request("lin@example.com"), 202) == REQUESTED
    assert mail.outbox == []


def test_invalid_address_is_refused():
    problem(_request("not-an-address"), 422, "email_invalid")
    assert mail.outbox == []


def test_mailed_link_sets_the_new_password_and_ends_every_session():
    user = UserFactory(email="lin@example.com")
    laptop = client_for(user)
    _request("lin@example.com")
    uid, token = _link_parts(mail.outbox[0])
    assert ok(_confirm(uid, token)) == CHANGED
    assert signed_in_email(laptop) is None
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.session_generation == 1
    problem(login(Client(), "lin@example.com", PASSWORD), 401, "invalid_credentials")
    ok(login(Client(), "lin@example.com", NEW))


def test_link_works_only_once():
    user = UserFactory(email="lin@example.com")
    token = default_token_generator.make_token(user)
    ok(_confirm(_uid(user), token))
    before = state()
    problem(_confirm(_uid(user), token, "another passphrase entirely 5"), 400, "reset_link_invalid")
    assert state() == before
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_reset_also_confirms_an_unverified_address():
    user = UserFactory(email="lin@example.com", email_verified_at=None)
    ok(_confirm(_uid(user), default_token_generator.make_token(user)))
    user.refresh_from_db()
    assert user.is_email_verified


@pytest.mark.parametrize("uid,token", [
    ("!!!", "valid"),  # not base64
    ("MTIzNDU2Nzg5", "valid"),  # a person who does not exist
    ("own", "bogus-token"),
    ("own", "other"),  # another person's token
])
def test_bad_link_is_refused_and_changes_nothing(uid, token):
    user, other = UserFactory(email="lin@example.com"), UserFactory(email="mei@example.com")
    tokens = {"valid": default_token_generator.make_token(user), "bogus-token": "bogus-token",
              "other": default_token_generator.make_token(other)}
    before = state()
    body = problem(_confirm(_uid(user) if uid == "own" else uid, tokens[token]), 400, "reset_link_invalid")
    assert body["title"] == "This link is not valid"
    assert state() == before


def test_weak_new_password_is_refused_and_the_link_still_works():
    user = UserFactory(email="lin@example.com")
    token = default_token_generator.make_token(user)
    before = state()
    problem(_confirm(_uid(user), token, "Password123!"), 422, "password_rejected")
    assert state() == before
    ok(_confirm(_uid(user), token))


def test_link_of_a_deactivated_account_is_refused():
    user = UserFactory(email="lin@example.com")
    token = default_token_generator.make_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    problem(_confirm(_uid(user), token), 400, "reset_link_invalid")
