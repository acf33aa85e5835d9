"""The seller portal: who sees which merchant, and the owner managing staff and keys."""

from __future__ import annotations

import pytest

from bastion.accounts.models import ApiKey, RoleGrant, User
from bastion.accounts.tests.factories import UserFactory, grant
from bastion.audit.models import LedgerEntry
from bastion.merchants.tests.factories import MerchantFactory
from bastion.storefront.tests.pages import csrf_token_of, post_forms, text_of_id
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _grants():
    return sorted(RoleGrant.objects.values_list("id", "user_id", "role", "merchant_id"))


def _state():
    return _grants(), sorted(ApiKey.objects.values_list("id", "revoked_at")), LedgerEntry.objects.count()


def _staff_grant(world, user):
    return RoleGrant.objects.get(user=user, merchant=world.merchant_a, role="merchant_staff")


def test_seller_home_sends_a_one_merchant_person_to_their_merchant(world):
    response = client_for(world.owner_a).get("/seller/")
    assert response.status_code == 302
    assert response["Location"] == f"/seller/{world.merchant_a.pk}/"


def test_seller_home_lets_a_person_of_two_merchants_choose(world):
    grant(world.staff_a, "merchant_staff", world.merchant_b)
    response = client_for(world.staff_a).get("/seller/")
    assert response.status_code == 200
    assert b"Choose a merchant" in response.content
    assert f'href="/seller/{world.merchant_a.pk}/"'.encode() in response.content
    assert f'href="/seller/{world.merchant_b.pk}/"'.encode() in response.content


def test_seller_portal_refuses_shoppers_and_sends_strangers_to_sign_in(world, anon):
    refused = client_for(world.shopper).get(f"/seller/{world.merchant_a.pk}/")
    assert refused.status_code == 403
    assert b"This page is for staff." in refused.content
    response = anon.get(f"/seller/{world.merchant_a.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/signin/?next=%2Fseller%2F{world.merchant_a.pk}%2F"


def test_global_staff_without_a_merchant_get_not_found_on_seller_home(world):
    response = client_for(world.operator).get("/seller/")
    assert response.status_code == 404
    assert b"You do not work for any merchant." in response.content


def test_owner_sees_the_staff_the_add_form_and_the_keys(world):
    response = client_for(world.owner_a).get(f"/seller/{world.merchant_a.pk}/")
    assert response.status_code == 200
    staff = text_of_id(response.content, "merchant-staff")
    assert "owner_a@example.com" in staff and "staff_a@example.com" in staff
    assert "owner_b@example.com" not in staff and "staff_b@example.com" not in staff
    actions = {f.action for f in post_forms(response.content)}
    staff_grant = _staff_grant(world, world.staff_a)
    assert f"/seller/{world.merchant_a.pk}/staff/" in actions
    assert f"/seller/{world.merchant_a.pk}/staff/{staff_grant.pk}/remove/" in actions
    # The owner's own grant cannot be removed from here.
    owner_grant = RoleGrant.objects.get(user=world.owner_a, merchant=world.merchant_a)
    assert f"/seller/{world.merchant_a.pk}/staff/{owner_grant.pk}/remove/" not in actions
    assert text_of_id(response.content, "merchant-keys") is not None


def test_staff_see_the_staff_list_but_cannot_manage_it(world):
    response = client_for(world.staff_a).get(f"/seller/{world.merchant_a.pk}/")
    assert response.status_code == 200
    assert "owner_a@example.com" in text_of_id(response.content, "merchant-staff")
    actions = {f.action for f in post_forms(response.content)}
    assert not any("/staff/" in (a or "") for a in actions)
    assert text_of_id(response.content, "merchant-keys") is None


def test_staff_of_merchant_a_get_not_found_for_merchant_b(world):
    client = client_for(world.staff_a)
    before = _state()
    page = client.get(f"/seller/{world.merchant_b.pk}/")
    assert page.status_code == 404
    assert b"No such merchant." in page.content
    assert b"Beta Bikes" not in page.content
    assert client.get("/seller/999999/").status_code == 404
    newcomer = UserFactory(email="newcomer@example.com")
    assert client.post(f"/seller/{world.merchant_b.pk}/staff/", {"email": newcomer.email}).status_code == 404
    staff_b = RoleGrant.objects.get(user=world.staff_b)
    assert client.post(f"/seller/{world.merchant_b.pk}/staff/{staff_b.pk}/remove/").status_code == 404
    assert client.post(f"/seller/{world.merchant_b.pk}/api-keys/", {"name": "x"}).status_code == 404
    assert _state() == before


def test_owner_of_merchant_a_cannot_touch_merchant_b(world):
    client = client_for(world.owner_a)
    before = _state()
    newcomer = UserFactory(email="newcomer@example.com")
    assert client.get(f"/seller/{world.merchant_b.pk}/").status_code == 404
    assert client.post(f"/seller/{world.merchant_b.pk}/staff/", {"email": newcomer.email}).status_code == 404
    staff_b = RoleGrant.objects.get(user=world.staff_b)
    assert client.post(f"/seller/{world.merchant_b.pk}/staff/{staff_b.pk}/remove/").status_code == 404
    # Nor reach B's staff grant through A's URL.
    assert client.post(f"/seller/{world.merchant_a.pk}/staff/{staff_b.pk}/remove/").status_code == 404
    assert _state() == before


def test_owner_adds_and_removes_a_staff_member(world):
    newcomer = UserFactory(email="newcomer@example.com")
    client = client_for(world.owner_a)
    before = LedgerEntry.objects.count()
    response = client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": " NewComer@Example.com "},
                           follow=True)
    assert response.redirect_chain == [(f"/seller/{world.merchant_a.pk}/", 302)]
    assert b"newcomer@example.com now works for Alpha Teas." in response.content
    added = _staff_grant(world, newcomer)
    assert added.granted_by_id == world.owner_a.pk
    assert "newcomer@example.com" in text_of_id(response.content, "merchant-staff")
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.subject, entry.actor) == ("role.granted", f"user:{newcomer.pk}",
                                                          f"user:{world.owner_a.pk}")

    response = client.post(f"/seller/{world.merchant_a.pk}/staff/{added.pk}/remove/", follow=True)
    assert response.redirect_chain == [(f"/seller/{world.merchant_a.pk}/", 302)]
    assert b"Removed newcomer@example.com." in response.content
    assert not RoleGrant.objects.filter(pk=added.pk).exists()
    assert LedgerEntry.objects.count() == before + 2
    assert LedgerEntry.objects.order_by("-seq").first().action == "role.revoked"


def test_adding_an_unknown_or_unconfirmed_address_changes_nothing(world):
    UserFactory(email="unconfirmed@example.com", email_verified_at=None)
    client = client_for(world.owner_a)
    before = _state()
    for email in ("nobody@example.com", "unconfirmed@example.com"):
        response = client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": email}, follow=True)
        assert response.status_code == 200
        assert b"No confirmed account has that address; ask the person to sign up first." in response.content
    response = client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": "not an address"}, follow=True)
    assert b"Enter a valid email address." in response.content
    assert _state() == before


def test_adding_someone_who_already_works_there_says_so(world):
    before = _state()
    response = client_for(world.owner_a).post(f"/seller/{world.merchant_a.pk}/staff/",
                                              {"email": "staff_a@example.com"}, follow=True)
    assert b"This person already holds that role." in response.content
    assert _state() == before


def test_staff_cannot_add_or_remove_staff(world):
    newcomer = UserFactory(email="newcomer@example.com")
    colleague = UserFactory(email="colleague@example.com")
    grant(colleague, "merchant_staff", world.merchant_a)
    client = client_for(world.staff_a)
    before = _state()
    refused = client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": newcomer.email})
    assert refused.status_code == 403
    colleague_grant = _staff_grant(world, colleague)
    assert client.post(f"/seller/{world.merchant_a.pk}/staff/{colleague_grant.pk}/remove/").status_code == 403
    assert client.post(f"/seller/{world.merchant_a.pk}/api-keys/", {"name": "sync"}).status_code == 403
    assert _state() == before


def test_owner_without_a_verified_second_factor_is_sent_to_mfa(world):
    client = client_for(world.owner_a, mfa=False)
    before = _state()
    assert client.get(f"/seller/{world.merchant_a.pk}/")["Location"] == "/account/mfa/"
    newcomer = UserFactory(email="newcomer@example.com")
    response = client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": newcomer.email})
    assert response["Location"] == "/account/mfa/"
    assert _state() == before


def test_owner_creates_a_key_sees_the_secret_once_and_revokes_it(world):
    client = client_for(world.owner_a)
    response = client.post(f"/seller/{world.merchant_a.pk}/api-keys/", {"name": "warehouse sync"}, follow=True)
    secret = text_of_id(response.content, "new-secret")
    key = ApiKey.objects.get(merchant=world.merchant_a)
    assert key.name == "warehouse sync" and key.owner_id == world.owner_a.pk
    assert secret.startswith(f"bst_{key.prefix}_")
    again = client.get(f"/seller/{world.merchant_a.pk}/")
    assert text_of_id(again.content, "new-secret") is None  # shown only once
    assert secret.encode() not in again.content

    client.post(f"/seller/{world.merchant_a.pk}/api-keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_key_of_another_merchant_cannot_be_revoked_through_this_one(world):
    other_merchant = MerchantFactory(name="Gamma Goods", slug="gamma")
    grant(world.owner_a, "merchant_owner", other_merchant)
    client = client_for(world.owner_a)
    client.post(f"/seller/{other_merchant.pk}/api-keys/", {"name": "gamma key"})
    key = ApiKey.objects.get(merchant=other_merchant)
    before = _state()
    response = client.post(f"/seller/{world.merchant_a.pk}/api-keys/{key.pk}/revoke/")
    assert response.status_code == 404
    assert _state() == before


def test_every_post_form_of_the_portal_carries_a_csrf_token(world):
    client = client_for(world.owner_a, enforce_csrf_checks=True)
    page = client.get(f"/seller/{world.merchant_a.pk}/")
    forms = post_forms(page.content)
    assert len(forms) >= 5  # add staff, remove staff, create key, sign out, language
    for form in forms:
        assert form.inputs.get("csrfmiddlewaretoken"), form.action
    before = _state()
    newcomer = UserFactory(email="newcomer@example.com")
    assert client.post(f"/seller/{world.merchant_a.pk}/staff/", {"email": newcomer.email}).status_code == 403
    staff_grant = _staff_grant(world, world.staff_a)
    assert client.post(f"/seller/{world.merchant_a.pk}/staff/{staff_grant.pk}/remove/").status_code == 403
    assert client.post(f"/seller/{world.merchant_a.pk}/api-keys/", {"name": "k"}).status_code == 403
    assert _state() == before
    token = csrf_token_of(page.content)
    accepted = client.post(f"/seller/{world.merchant_a.pk}/staff/",
                           {"email": newcomer.email, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert RoleGrant.objects.filter(user=newcomer, merchant=world.merchant_a).exists()


def test_a_removed_staff_member_loses_access_at_once(world):
    staff_client = client_for(world.staff_a)
    assert staff_client.get(f"/seller/{world.merchant_a.pk}/").status_code == 200
    staff_grant = _staff_grant(world, world.staff_a)
    client_for(world.owner_a).post(f"/seller/{world.merchant_a.pk}/staff/{staff_grant.pk}/remove/")
    # A privilege change ends the person's sessions.
    response = staff_client.get(f"/seller/{world.merchant_a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")
    # Signed in again, they are a shopper now: the portal is not for them.
    fresh = client_for(User.objects.get(pk=world.staff_a.pk))
    assert fresh.get(f"/seller/{world.merchant_a.pk}/").status_code == 403
