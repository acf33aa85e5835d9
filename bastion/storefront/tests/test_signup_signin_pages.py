"""Sign-up, email confirmation and sign-in pages, with the second factor for staff."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import User
from bastion.accounts.tests.factories import PASSWORD, UserFactory, grant, totp_code, totp_device
from bastion.audit.models import LedgerEntry
from bastion.storefront.tests.pages import field_errors

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern orchard velvet 42"


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- sign-up -------------------------------------------------------------------------------


def test_signup_page_renders_the_form(anon):
    response = anon.get("/signup/")
    assert response.status_code == 200
    assert b'name="email"' in response.content and b'name="password"' in response.content


def test_signup_shows_form_errors_on_their_fields_with_422(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/signup/", {"full_name": "Ann", "email": "not-an-address", "password": ""})
    assert response.status_code == 422
    assert field_errors(response.content, "id_email") == ["Enter a valid email address."]
    assert field_errors(response.content, "id_password") == ["This field is required."]
    assert field_errors(response.content, "id_full_name") == []
    # The form keeps what was typed, except the password.
    assert b'value="not-an-address"' in response.content
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_signup_shows_a_rejected_password_on_the_password_field(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/signup/", {"full_name": "Ann", "email": "ann@example.com", "password": "short"})
    assert response.status_code == 422
    [message] = field_errors(response.content, "id_password")
    assert "too short" in message and "at least 10 characters" in message
    assert field_errors(response.content, "id_email") == []
    assert not User.objects.filter(email="ann@example.com").exists()
    assert mail.outbox == []


def test_signup_succeeds_and_mails_a_verification_link(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/signup/", {"full_name": "Ann Lee", "email": " Ann@Example.com ",
                                          "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert b"Check your mail" in response.content
    assert b"ann@example.com" in response.content
    user = User.objects.get(email="ann@example.com")
    assert user.full_name == "Ann Lee"
    assert user.email_verified_at is None
    assert user.check_password(NEW_PASSWORD)
    [message] = mail.outbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "Confirm your email address"
    assert re.search(r"/verify-email/[^/\s]+/", message.body)
    assert _signed_in_user_id(anon) is None


def test_signup_with_a_taken_address_answers_the_same_and_creates_nothing(
        anon, django_capture_on_commit_callbacks):
    existing = UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/signup/", {"full_name": "Someone", "email": "taken@example.com",
                                          "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert b"Check your mail" in response.content
    assert User.objects.filter(email="taken@example.com").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    [message] = mail.outbox
    assert message.subject == "You already have a Bastion account"


def test_verification_link_confirms_only_on_post(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anon.post("/signup/", {"email": "bo@example.com", "password": NEW_PASSWORD})
    link = re.search(r"(/verify-email/[^/\s]+/)", mail.outbox[0].body).group(1)
    page = anon.get(link)
    assert page.status_code == 200
    assert b"Confirm my address" in page.content
    assert User.objects.get(email="bo@example.com").email_verified_at is None  # a GET confirms nothing
    response = anon.post(link, follow=True)
    assert response.redirect_chain == [("/signin/", 302)]
    assert b"Your email address is confirmed. You can sign in now." in response.content
    assert User.objects.get(email="bo@example.com").email_verified_at is not None


def test_a_forged_verification_link_is_refused(anon):
    user = UserFactory(email="cy@example.com", email_verified_at=None)
    response = anon.post("/verify-email/not-a-real-token/")
    assert response.status_code == 400
    assert b"This verification link is not valid." in response.content
    user.refresh_from_db()
    assert user.email_verified_at is None


# --- sign-in -------------------------------------------------------------------------------


def test_signin_with_a_wrong_password_shows_a_readable_error_and_no_session(anon):
    UserFactory(email="dee@example.com")
    response = anon.post("/signin/", {"email": "dee@example.com", "password": "not my password"})
    assert response.status_code == 401
    assert b"The email or password is not correct." in response.content
    assert b'role="alert"' in response.content
    assert _signed_in_user_id(anon) is None
    assert anon.get("/account/").status_code == 302  # still signed out


def test_signin_of_an_unknown_account_answers_like_a_wrong_password(anon):
    response = anon.post("/signin/", {"email": "nobody@example.com", "password": "whatever it is"})
    assert response.status_code == 401
    assert b"The email or password is not correct." in response.content
    assert _signed_in_user_id(anon) is None


def test_signin_before_confirming_the_address_is_refused(anon):
    UserFactory(email="eve@example.com", email_verified_at=None)
    response = anon.post("/signin/", {"email": "eve@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert b"Confirm your email address first" in response.content
    assert _signed_in_user_id(anon) is None


def test_shopper_signs_in_and_lands_on_the_account_page(anon):
    user = UserFactory(email="fay@example.com")
    response = anon.post("/signin/", {"email": "FAY@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert _signed_in_user_id(anon) == str(user.pk)


def test_signin_follows_a_local_next_but_not_another_site(anon):
    UserFactory(email="gus@example.com")
    response = anon.post("/signin/", {"email": "gus@example.com", "password": PASSWORD,
                                      "next": "/account/addresses/"})
    assert response["Location"] == "/account/addresses/"
    other = Client()
    response = other.post("/signin/", {"email": "gus@example.com", "password": PASSWORD,
                                       "next": "https://evil.example/steal"})
    assert response["Location"] == "/account/"


def test_staff_without_an_authenticator_is_sent_to_mfa_setup(anon):
    operator = UserFactory(email="ops@example.com")
    grant(operator, "operator")
    response = anon.post("/signin/", {"email": "ops@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/account/mfa/"
    assert _signed_in_user_id(anon) == str(operator.pk)
    # Staff pages send them to the setup too, with a message saying why.
    for page in ("/console/", "/console/people/", "/console/api-keys/"):
        refused = anon.get(page)
        assert refused.status_code == 302, page
        assert refused["Location"] == "/account/mfa/", page
    setup = anon.get("/account/mfa/")
    assert b"Staff pages need two-step sign-in. Set it up to continue." in setup.content
    assert b"Your role needs two-step sign-in before you can use staff pages." in setup.content


def test_merchant_staff_without_an_authenticator_cannot_open_the_seller_portal(world):
    staff = UserFactory(email="newstaff@example.com")
    grant(staff, "merchant_staff", world.merchant_a)
    client = Client()
    client.post("/signin/", {"email": "newstaff@example.com", "password": PASSWORD})
    for page in ("/seller/", f"/seller/{world.merchant_a.pk}/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/account/mfa/", page


def test_staff_with_an_authenticator_signs_in_with_a_code(world, anon):
    before = LedgerEntry.objects.count()
    response = anon.post("/signin/", {"email": "operator@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/signin/mfa/"
    assert _signed_in_user_id(anon) is None  # the password alone does not sign in
    assert anon.get("/console/").status_code == 302

    response = anon.post("/signin/mfa/", {"code": totp_code(_device(world.operator))})
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert _signed_in_user_id(anon) == str(world.operator.pk)
    assert anon.get("/console/").status_code == 200
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert LedgerEntry.objects.count() == before + 1
    assert (entry.action, entry.subject) == ("staff.signed_in", f"user:{world.operator.pk}")


def test_a_wrong_code_shows_an_error_and_does_not_sign_in(world, anon):
    before = LedgerEntry.objects.count()
    anon.post("/signin/", {"email": "operator@example.com", "password": PASSWORD})
    right = totp_code(_device(world.operator))
    wrong = anon.post("/signin/mfa/", {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 401
    assert b"That code is not correct or was already used." in wrong.content
    assert _signed_in_user_id(anon) is None
    assert anon.get("/console/").status_code == 302
    assert LedgerEntry.objects.count() == before


def test_five_wrong_codes_end_the_pending_sign_in(world, anon):
    anon.post("/signin/", {"email": "operator@example.com", "password": PASSWORD})
    for _ in range(4):
        assert anon.post("/signin/mfa/", {"code": "not-a-code"}).status_code == 401
    response = anon.post("/signin/mfa/", {"code": "not-a-code"}, follow=True)
    assert response.redirect_chain == [("/signin/", 302)]
    assert b"Too many wrong codes; sign in with your password again." in response.content
    # The right code no longer helps: the password step must be repeated.
    late = anon.post("/signin/mfa/", {"code": totp_code(_device(world.operator))})
    assert late.status_code == 302 and late["Location"] == "/signin/"
    assert _signed_in_user_id(anon) is None


def test_a_used_totp_code_does_not_sign_in_twice(world):
    code = totp_code(_device(world.auditor))
    first = Client()
    first.post("/signin/", {"email": "auditor@example.com", "password": PASSWORD})
    assert first.post("/signin/mfa/", {"code": code})["Location"] == "/console/"
    second = Client()
    second.post("/signin/", {"email": "auditor@example.com", "password": PASSWORD})
    replay = second.post("/signin/mfa/", {"code": code})
    assert replay.status_code == 401
    assert _signed_in_user_id(second) is None


def test_mfa_step_without_a_password_first_goes_back_to_signin(anon):
    response = anon.post("/signin/mfa/", {"code": "123456"}, follow=True)
    assert response.redirect_chain == [("/signin/", 302)]
    assert b"Sign in with your email and password first." in response.content


def test_signout_needs_a_post_and_ends_the_session():
    user = UserFactory()
    client = Client()
    client.force_login(user, backend="bastion.accounts.backends.EmailRoleBackend")
    assert client.get("/signout/").status_code == 405
    assert _signed_in_user_id(client) == str(user.pk)
    response = client.post("/signout/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert b"You are signed out." in response.content
    assert _signed_in_user_id(client) is None


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def test_staff_sign_in_ledger_notes_the_second_factor(anon):
    person = UserFactory(email="sec2@example.com")
    grant(person, "security_officer")
    device = totp_device(person)
    anon.post("/signin/", {"email": "sec2@example.com", "password": PASSWORD})
    anon.post("/signin/mfa/", {"code": totp_code(device)})
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry.action == "staff.signed_in"
    assert '"mfa":true' in entry.payload.replace(" ", "")
