"""Every form that posts carries a CSRF token, a post without one is refused; language switching."""

from __future__ import annotations

import pytest
from django.test import Client

from bastion.accounts.models import Address, User
from bastion.accounts.tests.factories import PASSWORD, AddressFactory, UserFactory, totp_device
from bastion.audit.models import LedgerEntry
from bastion.storefront.tests.pages import csrf_token_of, field_errors, post_forms
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "Wang Fang", "phone": "+86 139 0000 1111", "line1": "12 Nanjing Road",
           "city": "Shanghai", "region": "Shanghai", "postal_code": "200001", "country": "CN"}


def _assert_every_post_form_has_a_token(client: Client, pages: list[str]) -> int:
    checked = 0
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        forms = post_forms(response.content)
        assert forms, f"{page} has no form that posts"
        for form in forms:
            assert form.inputs.get("csrfmiddlewaretoken"), f"a form on {page} ({form.action}) has no CSRF token"
        checked += len(forms)
    return checked


def test_every_post_form_of_the_storefront_carries_a_csrf_token():
    anonymous_pages = ["/", "/signup/", "/signin/", "/verify-email/", "/password-reset/",
                       "/verify-email/some-token/", "/password-reset/MQ/some-token/"]
    assert _assert_every_post_form_has_a_token(Client(), anonymous_pages) >= len(anonymous_pages)

    shopper = UserFactory()
    address = AddressFactory(user=shopper)
    account_pages = ["/", "/account/", "/account/password/", "/account/addresses/",
                     f"/account/addresses/{address.pk}/", "/account/mfa/"]
    assert _assert_every_post_form_has_a_token(client_for(shopper), account_pages) >= len(account_pages)

    with_mfa = UserFactory()
    totp_device(with_mfa)
    assert _assert_every_post_form_has_a_token(client_for(with_mfa), ["/account/mfa/"]) == 3  # mfa, sign-out, language

    anon = Client()
    anon.post("/signin/", {"email": with_mfa.email, "password": PASSWORD})
    assert _assert_every_post_form_has_a_token(anon, ["/signin/mfa/"]) == 2


def test_htmx_requests_carry_the_token_in_a_header():
    response = client_for(UserFactory()).get("/account/addresses/")
    token = csrf_token_of(response.content)
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\''.encode() in response.content


def test_a_post_without_a_token_is_refused_and_changes_nothing():
    user = UserFactory()
    client = client_for(user, enforce_csrf_checks=True)
    client.get("/account/addresses/")  # sets the CSRF cookie; the post below leaves the token out
    response = client.post("/account/addresses/", ADDRESS)
    assert response.status_code == 403
    assert Address.objects.count() == 0

    response = client.post("/account/addresses/", ADDRESS, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert Address.objects.count() == 0


def test_a_post_with_the_token_from_the_page_is_accepted():
    user = UserFactory()
    client = client_for(user, enforce_csrf_checks=True)
    token = csrf_token_of(client.get("/account/addresses/").content)
    response = client.post("/account/addresses/", {**ADDRESS, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Address.objects.filter(user=user).count() == 1
    # HTMX sends the token in the X-CSRFToken header instead of the body.
    response = client.post("/account/addresses/", {**ADDRESS, "line1": "9 Huaihai Road"},
                           HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert Address.objects.filter(user=user).count() == 2


def test_signup_and_signin_refuse_a_post_without_a_token(django_capture_on_commit_callbacks):
    UserFactory(email="known@example.com")
    client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signup = client.post("/signup/", {"email": "new@example.com", "password": "lantern orchard velvet 42"})
    assert signup.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()
    assert callbacks == []
    signin = client.post("/signin/", {"email": "known@example.com", "password": PASSWORD})
    assert signin.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_csrf_refusal_page_is_readable():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/signin/", {"email": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert b'href="/signin/"' in response.content  # back to where the form was


def test_signout_and_other_account_posts_need_the_token():
    user = UserFactory()
    address = AddressFactory(user=user)
    client = client_for(user, enforce_csrf_checks=True)
    before = LedgerEntry.objects.count()
    for path in ("/signout/", "/account/sessions/", f"/account/addresses/{address.pk}/delete/",
                 f"/account/addresses/{address.pk}/", "/account/", "/account/password/", "/account/mfa/"):
        assert client.post(path, {"full_name": "Changed", "action": "confirm", "code": "123456"}).status_code == 403, path
    user.refresh_from_db()
    assert user.full_name != "Changed"
    assert Address.objects.filter(pk=address.pk).exists()
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert LedgerEntry.objects.count() == before


def test_switching_the_language_to_simplified_chinese():
    client = Client()
    page = client.get("/signup/")
    assert b'<html lang="en">' in page.content
    [language_form] = [f for f in post_forms(page.content) if f.action == "/i18n/setlang/"]
    assert language_form.inputs["next"] == "/signup/"

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/signup/"})
    assert response.status_code == 302
    assert response["Location"] == "/signup/"
    assert response.cookies["django_language"].value == "zh-hans"

    page = client.get("/signup/")
    assert b'<html lang="zh-hans">' in page.content
    assert b'<option value="zh-hans" selected>' in page.content
    # Django's own messages come in Chinese too.
    refused = client.post("/signup/", {"email": "", "password": ""})
    assert refused.status_code == 422
    assert field_errors(refused.content, "id_email") == ["这个字段是必填项。"]

    # And back to English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert b'<html lang="en">' in client.get("/").content


def test_an_unknown_language_or_a_foreign_next_is_ignored():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies
