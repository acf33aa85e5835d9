"""The address book through /api/v1/me/addresses: validation, the one default, the limit, ownership."""

from __future__ import annotations

import pytest

from bastion.accounts.actions.profile import MAX_ADDRESSES
from bastion.accounts.models import Address
from bastion.accounts.tests.apicalls import call, get, ok, post, problem, state
from bastion.accounts.tests.factories import AddressFactory, UserFactory
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

ADDRESS = {"label": "Home", "recipient": "Li Wei", "phone": "+86 138 0013 8000", "line1": "No. 1 Nanjing Road",
           "line2": "", "city": "Shanghai", "region": "Shanghai", "postal_code": "200001", "country": "CN"}


@pytest.fixture
def person():
    return UserFactory(email="lin@example.com")


@pytest.fixture
def client(person):
    return client_for(person)


def _add(client, **changes):
    return post(client, "/me/addresses", {**ADDRESS, **changes})


def _defaults(person) -> list[int]:
    return list(Address.objects.filter(user=person, is_default=True).values_list("id", flat=True))


def test_first_address_is_created_as_the_default(client, person):
    body = ok(_add(client), 201)
    assert body == {**ADDRESS, "id": body["id"], "is_default": True}
    assert _defaults(person) == [body["id"]]


def test_values_are_trimmed_and_country_upper_cased(client):
    body = ok(_add(client, recipient="  Li Wei ", country="hk", postal_code=" 999077 "), 201)
    assert (body["recipient"], body["country"], body["postal_code"]) == ("Li Wei", "HK", "999077")


def test_only_one_address_is_the_default(client, person):
    first = ok(_add(client), 201)["id"]
    second = ok(_add(client, label="Office"), 201)
    assert second["is_default"] is False
    third = ok(_add(client, label="Parents", is_default=True), 201)["id"]
    assert _defaults(person) == [third]
    listed = ok(get(client, "/me/addresses"))
    assert [(a["id"], a["is_default"]) for a in listed] == [(third, True), (first, False), (second["id"], False)]


def test_making_an_existing_address_the_default_clears_the_old_one(client, person):
    first, second = ok(_add(client), 201)["id"], ok(_add(client, label="Office"), 201)["id"]
    ok(call(client, "PUT", f"/me/addresses/{second}", {**ADDRESS, "label": "Office", "is_default": True}))
    assert _defaults(person) == [second]
    assert Address.objects.get(pk=first).is_default is False


def test_editing_the_default_without_the_flag_keeps_a_default(client, person):
    first = ok(_add(client), 201)["id"]
    ok(_add(client, label="Office"), 201)
    body = ok(call(client, "PUT", f"/me/addresses/{first}", {**ADDRESS, "line1": "No. 2 Nanjing Road"}))
    assert body["line1"] == "No. 2 Nanjing Road"
    assert _defaults(person) == [first]


def test_deleting_the_default_promotes_the_oldest_other(client, person):
    first = ok(_add(client), 201)["id"]
    second = ok(_add(client, label="Office"), 201)["id"]
    third = ok(_add(client, label="Parents"), 201)["id"]
    response = call(client, "DELETE", f"/me/addresses/{first}")
    assert (response.status_code, response.content) == (204, b"")
    assert _defaults(person) == [second]
    assert set(Address.objects.filter(user=person).values_list("id", flat=True)) == {second, third}


def test_deleting_another_address_leaves_the_default(client, person):
    first = ok(_add(client), 201)["id"]
    second = ok(_add(client, label="Office"), 201)["id"]
    assert call(client, "DELETE", f"/me/addresses/{second}").status_code == 204
    assert _defaults(person) == [first]


def test_deleting_the_last_address_empties_the_book(client, person):
    only = ok(_add(client), 201)["id"]
    assert call(client, "DELETE", f"/me/addresses/{only}").status_code == 204
    assert ok(get(client, "/me/addresses")) == []


@pytest.mark.parametrize("changes,field,code", [
    ({"postal_code": "20001"}, "postal_code", "postal_code_invalid"),
    ({"postal_code": "2000011"}, "postal_code", "postal_code_invalid"),
    ({"postal_code": "SW1A1AA"}, "postal_code", "postal_code_invalid"),  # a UK code is not a Chinese one
    ({"country": "XX"}, "country", "country_unsupported"),
    ({"country": "RU"}, "country", "country_unsupported"),
    ({"phone": "call me"}, "phone", "phone_invalid"),
    ({"phone": "+86 12"}, "phone", "phone_invalid"),
    ({"recipient": "   "}, "recipient", "address_incomplete"),
    ({"city": ""}, "city", "address_incomplete"),
])
def test_invalid_address_is_refused_with_its_field_and_code(client, changes, field, code):
    before = state()
    body = problem(_add(client, **changes), 422, code)
    assert body["field"] == field
    assert state() == before


def test_foreign_postal_code_follows_the_general_rule(client):
    assert ok(_add(client, country="GB", postal_code="SW1A 1AA"), 201)["postal_code"] == "SW1A 1AA"
    problem(_add(client, country="GB", postal_code="S"), 422, "postal_code_invalid")


def test_update_is_validated_like_a_new_address(client, person):
    address = ok(_add(client), 201)["id"]
    before = state()
    body = problem(call(client, "PUT", f"/me/addresses/{address}", {**ADDRESS, "phone": "x"}), 422, "phone_invalid")
    assert body["field"] == "phone"
    assert state() == before


def test_address_book_holds_at_most_the_limit(client, person):
    AddressFactory.create_batch(MAX_ADDRESSES - 1, user=person)
    ok(_add(client), 201)
    before = state()
    body = problem(_add(client, label="One too many"), 422, "address_book_full")
    assert body["detail"] == f"An address book holds at most {MAX_ADDRESSES} addresses."
    assert state() == before
    assert Address.objects.filter(user=person).count() == MAX_ADDRESSES


def test_another_persons_address_is_not_found_and_unchanged(client):
    theirs = AddressFactory(user=UserFactory(email="mei@example.com"), recipient="Zhou Mei", is_default=True)
    before = state()
    for method, body in (("GET", None), ("PUT", {**ADDRESS, "recipient": "Mallory"}), ("DELETE", None)):
        response = call(client, method, f"/me/addresses/{theirs.pk}", body)
        problem(response, 404, "address_not_found")
    assert state() == before
    theirs.refresh_from_db()
    assert (theirs.recipient, theirs.is_default) == ("Zhou Mei", True)


def test_list_shows_only_own_addresses(client, person):
    AddressFactory(user=UserFactory(email="mei@example.com"))
    own = ok(_add(client), 201)["id"]
    assert [a["id"] for a in ok(get(client, "/me/addresses"))] == [own]


def test_anonymous_cannot_use_the_address_book(person):
    address = AddressFactory(user=person)
    anonymous = client_for(None)
    problem(get(anonymous, "/me/addresses"), 401, "not_authenticated")
    problem(_add(anonymous), 401, "not_authenticated")
    problem(call(anonymous, "DELETE", f"/me/addresses/{address.pk}"), 401, "not_authenticated")
    assert Address.objects.filter(pk=address.pk).exists()
