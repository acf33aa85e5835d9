"""A person's own profile through GET/PATCH /api/v1/me."""

from __future__ import annotations

import pytest

from bastion.accounts.tests.apicalls import call, get, ok, problem, state
from bastion.accounts.tests.factories import UserFactory
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(email="lin@example.com", full_name="Lin Hao")


def _patch(client, body):
    return call(client, "PATCH", "/me", body)


def test_me_describes_the_signed_in_person(person):
    me = ok(get(client_for(person), "/me"))
    assert me == {"id": person.pk, "email": "lin@example.com", "full_name": "Lin Hao", "phone": "",
                  "preferred_language": "en", "email_verified": True, "mfa_enabled": False,
                  "mfa_verified": False, "roles": [], "permissions": []}


def test_staff_me_lists_roles_and_scoped_permissions(world):
    me = ok(get(client_for(world.staff_a), "/me"))
    assert [(r["role"], r["merchant_id"], r["merchant_name"]) for r in me["roles"]] == [
        ("merchant_staff", world.merchant_a.pk, "Alpha Teas")]
    assert me["permissions"] == sorted(f"{p}@merchant:{world.merchant_a.pk}" for p in (
        "merchant.manage_catalog", "merchant.manage_orders", "merchant.manage_stock", "merchant.view"))
    assert (me["mfa_enabled"], me["mfa_verified"]) == (True, True)


def test_profile_update_changes_only_the_fields_sent(person):
    client = client_for(person)
    me = ok(_patch(client, {"phone": " +86 139 1088 2233 ", "preferred_language": "zh-hans"}))
    assert (me["full_name"], me["phone"], me["preferred_language"]) == ("Lin Hao", "+86 139 1088 2233", "zh-hans")
    me = ok(_patch(client, {"full_name": "  Lin Hao Jr. "}))
    assert (me["full_name"], me["phone"]) == ("Lin Hao Jr.", "+86 139 1088 2233")
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.preferred_language) == ("Lin Hao Jr.", "+86 139 1088 2233",
                                                                            "zh-hans")


def test_phone_can_be_cleared(person):
    client = client_for(person)
    ok(_patch(client, {"phone": "+86 139 1088 2233"}))
    assert ok(_patch(client, {"phone": ""}))["phone"] == ""


@pytest.mark.parametrize("body,field,code", [
    ({"phone": "call me maybe"}, "phone", "phone_invalid"),
    ({"preferred_language": "fr"}, "preferred_language", "language_unsupported"),
    ({"full_name": "Lin", "phone": "12"}, "phone", "phone_invalid"),  # nothing is half-applied
    ({"email": "new@example.com"}, "email", "validation_failed"),  # the address is not changed here
])
def test_invalid_profile_update_changes_nothing(person, body, field, code):
    before = state()
    assert problem(_patch(client_for(person), body), 422, code)["field"] == field
    assert state() == before
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.preferred_language) == ("Lin Hao", "", "en")


def test_anonymous_has_no_profile():
    problem(get(client_for(None), "/me"), 401, "not_authenticated")
    problem(_patch(client_for(None), {"full_name": "Mallory"}), 401, "not_authenticated")
