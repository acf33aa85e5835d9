"""The shop's own traffic passes the WAF untouched: no block, and not even a recorded match.

Passwords are exempt from inspection only where they are typed (waf_exclusions.conf, rules 1101
and 1102): the same text in any other field is still an attack.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from bastion.accounts.models import Address, User
from bastion.accounts.tests.apicalls import ok, post, problem
from bastion.accounts.tests.factories import UserFactory
from bastion.security.models import SecurityEvent
from bastion.security.tests.payloads import NEW_PUNCTUATED_PASSWORD, PUNCTUATED_PASSWORD
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

# Full-width parentheses on purpose: Chinese keyboards type them, and CRS decodes them to ASCII.
CHINESE_ADDRESS = {"label": "家", "recipient": "王芳（收）", "phone": "+86 139 0000 1111",  # noqa: RUF001
                   "line1": "杭州市西湖区文三路478号（华星时代广场）A座-5楼-501",  # noqa: RUF001
                   "line2": "请放门卫处(谢谢!)",
                   "city": "杭州", "region": "浙江", "postal_code": "310012", "country": "CN"}


@pytest.fixture(autouse=True)
def _no_waf_events():
    yield
    assert list(SecurityEvent.objects.values_list("rule_id", "path")) == []


def test_signup_form_with_a_punctuated_password(anon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/signup/", {"full_name": "O'Brien-Łukasz 王", "email": "ann@example.com",
                                          "password": PUNCTUATED_PASSWORD})
    assert response.status_code == 200
    assert b"Check your mail" in response.content
    assert User.objects.get(email="ann@example.com").check_password(PUNCTUATED_PASSWORD)


def test_json_login_with_a_punctuated_password():
    UserFactory(email="ann@example.com", password=PUNCTUATED_PASSWORD)
    client = Client()
    assert ok(post(client, "/auth/login", {"email": "ann@example.com", "password": PUNCTUATED_PASSWORD}))
    assert client.session.get("_auth_user_id")


def test_json_password_change_and_a_wrong_password_are_the_apps_answers():
    user = UserFactory(email="ann@example.com", password=PUNCTUATED_PASSWORD)
    client = client_for(user)
    new = NEW_PUNCTUATED_PASSWORD
    response = post(client, "/me/password", {"current_password": PUNCTUATED_PASSWORD, "new_password": new})
    assert ok(response)
    user.refresh_from_db()
    assert user.check_password(new)
    refused = post(Client(), "/auth/login", {"email": "ann@example.com", "password": PUNCTUATED_PASSWORD})
    problem(refused, 401, refused.json()["code"])  # the application refused it, not the WAF


def test_htmx_post_with_csrf_token_and_a_chinese_address():
    user = UserFactory()
    client = client_for(user, enforce_csrf_checks=True)
    page = client.get("/account/addresses/")
    assert page.status_code == 200
    token = client.cookies["bastion-csrf"].value
    # What htmx sends: a url-encoded form, the CSRF token in a header, and its HX-* headers.
    response = client.post(
        "/account/addresses/", urlencode(CHINESE_ADDRESS), content_type="application/x-www-form-urlencoded",
        HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="address-book",
        HTTP_HX_CURRENT_URL="http://testserver/account/addresses/", HTTP_HX_TRIGGER="add-address",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
    assert response.status_code == 200, response.content[:300]
    assert Address.objects.get(user=user).line1 == CHINESE_ADDRESS["line1"]


def test_json_address_in_chinese():
    user = UserFactory()
    response = post(client_for(user), "/me/addresses", CHINESE_ADDRESS)
    assert ok(response, 201)["line1"] == CHINESE_ADDRESS["line1"]


def test_openapi_document_and_docs_page(anon):
    assert anon.get("/api/v1/openapi.json").status_code == 200
    assert anon.get("/api/v1/docs").status_code == 200


def test_what_the_wsgiref_server_invents_for_a_bodiless_request(anon):
    # Django's runserver and live test server set these for every GET; the browser sent neither.
    response = anon.get("/signin/", CONTENT_TYPE="text/plain", CONTENT_LENGTH="")
    assert response.status_code == 200


def test_pages_and_static_files_a_browser_loads(anon):
    for path in ("/", "/signin/", "/signup/", "/password-reset/", "/healthz", "/static/bastion/site.css"):
        response = anon.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
                            HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")
        assert response.status_code == 200, path
