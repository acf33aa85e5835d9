"""The address book pages, as full pages and as HTMX partials."""

from __future__ import annotations

import pytest

from bastion.accounts.models import Address
from bastion.accounts.tests.factories import AddressFactory, UserFactory
from bastion.storefront.tests.pages import field_errors, forms_of
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

HOME = {"label": "Home", "recipient": "Wang Fang", "phone": "+86 139 0000 1111", "line1": "12 Nanjing Road",
        "line2": "Flat 3", "city": "Shanghai", "region": "Shanghai", "postal_code": "200001", "country": "CN"}


def _rows(user):
    return list(Address.objects.filter(user=user).order_by("id").values_list(
        "label", "recipient", "line1", "city", "postal_code", "country", "is_default"))


def test_addresses_page_needs_sign_in(anon):
    response = anon.get("/account/addresses/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/account/addresses/"


def test_empty_address_book_offers_the_add_form():
    response = client_for(UserFactory()).get("/account/addresses/")
    assert response.status_code == 200
    assert b"No addresses yet." in response.content
    [add_form] = [f for f in forms_of(response.content) if f.action == "/account/addresses/"]
    assert add_form.attrs["hx-post"] == "/account/addresses/"
    assert add_form.attrs["hx-target"] == "#address-book"
    assert b'id="address-book"' in response.content


def test_add_an_address_with_a_full_page_post():
    user = UserFactory()
    client = client_for(user)
    response = client.post("/account/addresses/", HOME, follow=True)
    assert response.redirect_chain == [("/account/addresses/", 302)]
    assert b"Address added." in response.content
    assert b"12 Nanjing Road, Flat 3" in response.content
    # The first address becomes the default.
    assert _rows(user) == [("Home", "Wang Fang", "12 Nanjing Road", "Shanghai", "200001", "CN", True)]


def test_add_an_address_with_htmx_returns_the_partial():
    user = UserFactory()
    client = client_for(user)
    response = client.post("/account/addresses/", HOME, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html  # only the address book, swapped into the page
    assert "12 Nanjing Road" in html
    assert "Address added." in html  # the message travels with the partial
    # The add form is fresh (empty) again.
    [add_form] = [f for f in forms_of(html) if f.action == "/account/addresses/"]
    assert add_form.inputs["recipient"] == ""
    assert len(_rows(user)) == 1


def test_invalid_address_shows_errors_on_fields_and_saves_nothing():
    user = UserFactory()
    client = client_for(user)
    bad = {**HOME, "postal_code": "12", "recipient": ""}
    response = client.post("/account/addresses/", bad)
    assert response.status_code == 422
    assert field_errors(response.content, "id_recipient") == ["This field is required."]
    assert b"<html" in response.content
    # A rule of the action (Chinese postcodes have six digits) lands on its field too.
    response = client.post("/account/addresses/", {**HOME, "postal_code": "12"}, **HTMX)
    assert response.status_code == 422
    assert field_errors(response.content, "id_postal_code") == [
        "Enter a valid postal code (six digits in China)."]
    assert b"<html" not in response.content
    assert _rows(user) == []


def test_the_partial_error_status_is_swapped_by_htmx():
    # htmx 2 does not swap 4xx responses by default; the page configures it to swap 422 so
    # validation errors from a partial reach the person.
    response = client_for(UserFactory()).get("/account/addresses/")
    assert b'name="htmx-config"' in response.content
    assert b'{"code": "422", "swap": true}' in response.content


def test_edit_an_address():
    user = UserFactory()
    address = AddressFactory(user=user, label="Office", is_default=True)
    client = client_for(user)
    page = client.get(f"/account/addresses/{address.pk}/")
    assert page.status_code == 200
    [form] = [f for f in forms_of(page.content) if "recipient" in f.inputs]
    assert form.inputs["label"] == "Office"
    assert form.inputs["line1"] == "No. 88 Century Avenue"
    response = client.post(f"/account/addresses/{address.pk}/", {**HOME, "label": "Work", "is_default": "on"},
                           follow=True)
    assert response.redirect_chain == [("/account/addresses/", 302)]
    assert b"Address saved." in response.content
    assert _rows(user) == [("Work", "Wang Fang", "12 Nanjing Road", "Shanghai", "200001", "CN", True)]


def test_edit_with_errors_keeps_the_old_address():
    user = UserFactory()
    address = AddressFactory(user=user, is_default=True)
    before = _rows(user)
    response = client_for(user).post(f"/account/addresses/{address.pk}/", {**HOME, "phone": "call me"})
    assert response.status_code == 422
    assert field_errors(response.content, "id_phone") == [
        "Enter a phone number with digits only (an optional leading +)."]
    assert _rows(user) == before


def test_delete_an_address_full_page_and_with_htmx():
    user = UserFactory()
    first = AddressFactory(user=user, label="First", is_default=True)
    second = AddressFactory(user=user, label="Second")
    third = AddressFactory(user=user, label="Third")
    client = client_for(user)
    response = client.post(f"/account/addresses/{first.pk}/delete/", follow=True)
    assert response.redirect_chain == [("/account/addresses/", 302)]
    assert b"Address removed." in response.content
    # The next address inherits the default.
    assert list(Address.objects.filter(user=user).order_by("id").values_list("id", "is_default")) == [
        (second.pk, True), (third.pk, False)]

    response = client.post(f"/account/addresses/{third.pk}/delete/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Second" in html and "Third" not in html
    assert "Address removed." in html
    assert list(Address.objects.filter(user=user).values_list("id", flat=True)) == [second.pk]


def test_delete_needs_post():
    user = UserFactory()
    address = AddressFactory(user=user)
    assert client_for(user).get(f"/account/addresses/{address.pk}/delete/").status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()


def test_another_persons_address_is_not_found():
    owner, intruder = UserFactory(), UserFactory()
    address = AddressFactory(user=owner, label="Secret", is_default=True)
    before = _rows(owner)
    client = client_for(intruder)
    page = client.get(f"/account/addresses/{address.pk}/")
    assert page.status_code == 404
    assert b"No such address in your address book." in page.content
    assert b"No. 88 Century Avenue" not in page.content
    assert client.post(f"/account/addresses/{address.pk}/", HOME).status_code == 404
    assert client.post(f"/account/addresses/{address.pk}/delete/").status_code == 404
    assert client.post(f"/account/addresses/{address.pk}/delete/", **HTMX).status_code == 404
    assert _rows(owner) == before
    assert _rows(intruder) == []
    # A missing id answers the same as someone else's.
    assert client.get("/account/addresses/999999/").status_code == 404
