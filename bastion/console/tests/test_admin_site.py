"""Django admin: administrators with a verified second factor only; everyone else signs in."""

from __future__ import annotations

import pytest

from bastion.merchants.models import Merchant
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

TO_SIGNIN = "/signin/?next=%2Fadmin%2F"


def test_administrator_with_mfa_opens_the_admin(world):
    client = client_for(world.administrator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Bastion administration" in response.content
    assert b'href="/admin/merchants/merchant/"' in response.content
    listing = client.get("/admin/merchants/merchant/")
    assert listing.status_code == 200
    assert b"Alpha Teas" in listing.content and b"Beta Bikes" in listing.content


@pytest.mark.parametrize(("person", "mfa"), [
    (None, False), ("shopper", True), ("owner_a", True), ("operator", True), ("security_officer", True),
    ("auditor", True), ("administrator", False),
])
def test_everyone_else_is_sent_to_sign_in(world, person, mfa):
    client = client_for(world.person(person) if person else None, mfa=mfa)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == (TO_SIGNIN, 302)
    assert response.status_code == 200
    assert b"Bastion administration" not in response.content
    # A deep link is refused the same way, and nothing can be changed through it.
    deep = client.get(f"/admin/merchants/merchant/{world.merchant_a.pk}/change/", follow=True)
    assert deep.redirect_chain[-1][0].startswith("/signin/?next=")
    client.post(f"/admin/merchants/merchant/{world.merchant_a.pk}/change/",
                {"name": "Hijacked", "slug": "alpha", "status": "active"})
    assert Merchant.objects.get(pk=world.merchant_a.pk).name == "Alpha Teas"


def test_the_admin_login_page_is_ours(world, anon):
    response = anon.get("/admin/login/?next=/admin/merchants/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=%2Fadmin%2Fmerchants%2F"


def test_a_signed_in_person_without_the_role_is_told_why(world):
    response = client_for(world.operator).get("/admin/", follow=True)
    assert b"You are signed in as operator@example.com, but the page you asked for needs another role" \
        in response.content
