"""The second factor: sign-in with a TOTP code or a backup code, setup, and staff needing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.actions.mfa import issue_backup_codes
from bastion.accounts.models import BackupCode
from bastion.accounts.signin import MFA_MAX_TRIES, MFA_PENDING_SECONDS
from bastion.accounts.tests.apicalls import (
    get,
    ledger_head,
    ledger_since,
    login,
    ok,
    post,
    problem,
    signed_in_email,
    state,
)
from bastion.accounts.tests.factories import PASSWORD, UserFactory, totp_code, totp_device
from bastion.core import clock
from bastion.core.clock import use_clock
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

MFA_REQUIRED = {"signed_in": False, "mfa_required": True, "detail": "Enter the code from your authenticator."}
SIGNED_IN = {"signed_in": True, "mfa_required": False, "detail": "Signed in."}


@pytest.fixture
def person():
    user = UserFactory(email="mei@example.com")
    totp_device(user)
    return user


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def _wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is not valid in any step the device tolerates around now."""
    valid = {totp_code(device, offset) for offset in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in valid)


def _password_step(user) -> Client:
    client = Client()
    assert ok(login(client, user.email, PASSWORD)) == MFA_REQUIRED
    return client


def test_password_alone_does_not_sign_in_a_person_with_an_authenticator(person):
    client = _password_step(person)
    problem(get(client, "/me"), 401, "not_authenticated")


def test_correct_code_completes_the_sign_in(person):
    client = _password_step(person)
    assert ok(post(client, "/auth/login/mfa", {"code": totp_code(_device(person))})) == SIGNED_IN
    me = ok(get(client, "/me"))
    assert (me["email"], me["mfa_enabled"], me["mfa_verified"]) == ("mei@example.com", True, True)


def test_a_code_works_only_once(person):
    code = totp_code(_device(person))
    ok(post(_password_step(person), "/auth/login/mfa", {"code": code}))
    replay = _password_step(person)
    body = problem(post(replay, "/auth/login/mfa", {"code": code}), 401, "mfa_code_invalid")
    assert body["detail"] == "That code is not correct or was already used."
    assert signed_in_email(replay) is None


def test_backup_code_works_once(person):
    codes = issue_backup_codes(user=person)
    ok(post(_password_step(person), "/auth/login/mfa", {"code": codes[3]}))
    assert BackupCode.objects.filter(user=person, used_at__isnull=False).count() == 1
    again = _password_step(person)
    problem(post(again, "/auth/login/mfa", {"code": codes[3]}), 401, "mfa_code_invalid")
    assert signed_in_email(again) is None
    assert BackupCode.objects.filter(user=person, used_at__isnull=False).count() == 1


def test_backup_code_is_accepted_as_typed_by_hand(person):
    code = issue_backup_codes(user=person)[0]
    client = _password_step(person)
    ok(post(client, "/auth/login/mfa", {"code": code.upper().replace("-", " ")}))
    assert signed_in_email(client) == "mei@example.com"


def test_new_backup_codes_replace_the_old_ones(person):
    old = issue_backup_codes(user=person)
    new = issue_backup_codes(user=person)
    assert len(new) == 10 and not set(old) & set(new)
    problem(post(_password_step(person), "/auth/login/mfa", {"code": old[0]}), 401, "mfa_code_invalid")


def test_wrong_codes_end_the_pending_sign_in(person):
    device = _device(person)
    client = _password_step(person)
    wrong = _wrong_code(device)
    for _ in range(MFA_MAX_TRIES - 1):
        problem(post(client, "/auth/login/mfa", {"code": wrong}), 401, "mfa_code_invalid")
    problem(post(client, "/auth/login/mfa", {"code": wrong}), 429, "mfa_too_many_attempts")
    device.throttle_reset()  # django-otp slows down guesses; this test is about the pending sign-in
    problem(post(client, "/auth/login/mfa", {"code": totp_code(device)}), 400, "mfa_not_pending")
    assert signed_in_email(client) is None


def test_a_right_code_after_a_wrong_one_works_once_the_throttle_has_passed(person):
    device = _device(person)
    client = _password_step(person)
    problem(post(client, "/auth/login/mfa", {"code": _wrong_code(device)}), 401, "mfa_code_invalid")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    ok(post(client, "/auth/login/mfa", {"code": totp_code(device)}))


def test_pending_sign_in_times_out(person):
    start = clock.now()
    with use_clock(lambda: start):
        client = _password_step(person)
    with use_clock(lambda: start + timedelta(seconds=MFA_PENDING_SECONDS + 1)):
        problem(post(client, "/auth/login/mfa", {"code": totp_code(_device(person))}), 400, "mfa_not_pending")
    assert signed_in_email(client) is None


def test_code_without_a_password_step_is_refused(person):
    problem(post(Client(), "/auth/login/mfa", {"code": totp_code(_device(person))}), 400, "mfa_not_pending")


def test_staff_sign_in_with_mfa_is_written_to_the_ledger(world):
    head = ledger_head()
    client = _password_step(world.auditor)
    ok(post(client, "/auth/login/mfa", {"code": totp_code(_device(world.auditor))}))
    assert ledger_since(head) == [("staff.signed_in", f"user:{world.auditor.pk}", f"user:{world.auditor.pk}",
                                   {"client": "127.0.0.1", "mfa": True})]


def test_staff_without_a_verified_second_factor_is_refused_staff_operations(world):
    path = f"/merchants/{world.merchant_a.pk}/staff"
    body = problem(get(client_for(world.owner_a, mfa=False), path), 403, "mfa_required")
    assert body["detail"] == "Staff access needs a second factor: set up or enter your authenticator code."
    staff = ok(get(client_for(world.owner_a), path))
    assert sorted((s["email"], s["role"]) for s in staff) == [
        ("owner_a@example.com", "merchant_owner"), ("staff_a@example.com", "merchant_staff")]


def test_me_lists_no_permissions_until_the_second_factor(world):
    assert ok(get(client_for(world.operator, mfa=False), "/me"))["permissions"] == []
    assert ok(get(client_for(world.operator), "/me"))["permissions"] == ["apikeys.manage", "ops.manage",
                                                                         "ops.view"]


def test_authenticator_setup_confirms_with_a_code_and_issues_backup_codes():
    user = UserFactory(email="lin@example.com")
    client = client_for(user)
    setup = ok(post(client, "/me/mfa/totp"))
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    problem(post(client, "/me/mfa/totp/confirm", {"code": _wrong_code(device)}), 422, "mfa_code_invalid")
    device.throttle_reset()
    head = ledger_head()
    codes = ok(post(client, "/me/mfa/totp/confirm", {"code": totp_code(device)}))["backup_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert BackupCode.objects.filter(user=user, used_at__isnull=True).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert ledger_since(head) == [("mfa.enabled", f"user:{user.pk}", f"user:{user.pk}",
                                   {"device": device.persistent_id})]
    assert ok(get(client, "/me"))["mfa_verified"] is True
    problem(post(client, "/me/mfa/totp"), 409, "mfa_already_enabled")


def test_confirming_without_starting_setup_changes_nothing():
    client = client_for(UserFactory())
    before = state()
    problem(post(client, "/me/mfa/totp/confirm", {"code": "123456"}), 409, "mfa_setup_not_started")
    assert state() == before
