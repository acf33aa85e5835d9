"""The cart through its API: anonymous and signed-in carts, review messages, merge at sign-in, quotes, CSRF."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from bastion.accounts.models import Address
from bastion.audit.models import LedgerEntry
from bastion.cart.models import Cart, CartLine
from bastion.cart.queries import SESSION_KEY
from bastion.cart.tests.factories import for_sale, ships_to_china
from bastion.catalog.models import Product, Variant
from bastion.core import clock
from bastion.inventory.models import StockLevel
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _add(client, variant, quantity=1, **extra):
    return client.post("/api/v1/cart/lines", {"variant_id": variant.pk, "quantity": quantity},
                       content_type="application/json", **extra)


def _lines():
    return sorted(CartLine.objects.values_list("cart_id", "variant_id", "quantity", "unit_price"))


def test_anonymous_visitor_fills_a_cart_kept_in_the_session(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=5, price="12.50")
    client = Client()
    assert client.get("/api/v1/cart").json()["lines"] == []
    assert _add(client, variant, 2).status_code == 201
    body = _add(client, variant, 1).json()
    cart = Cart.objects.get()
    assert cart.user_id is None and client.session[SESSION_KEY] == cart.pk
    line = cart.lines.get()
    assert body["lines"] == [{"id": line.pk, "variant_id": variant.pk, "sku": variant.sku,
                              "title": variant.product.title, "merchant_id": world.merchant_a.pk, "quantity": 3,
                              "unit_price": "12.50", "current_price": "12.50", "currency": "CNY", "available": 5}]
    assert body["groups"][0]["subtotal"] == "37.50" and body["subtotal"] == "37.50"
    assert body["issues"] == [] and body["total"] is None
    assert Client().get("/api/v1/cart").json()["id"] is None  # another visitor sees none of it


@pytest.mark.parametrize(("quantity", "status", "code"), [(6, 409, "insufficient_stock"), (0, 422, None),
                                                          (100, 422, None)])
def test_refused_additions_change_nothing(world, quantity, status, code):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=5)
    client = client_for(world.shopper)
    _add(client, variant, 1)
    before = (_lines(), LedgerEntry.objects.count())
    response = _add(client, variant, quantity if quantity != 6 else 5)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    assert (_lines(), LedgerEntry.objects.count()) == before


def test_a_variant_not_for_sale_cannot_be_added(world):
    hidden = for_sale(world.merchant_a, world.owner_a)
    Product.objects.filter(pk=hidden.product_id).update(status=Product.Status.DRAFT)
    inactive = for_sale(world.merchant_a, world.owner_a)
    Variant.objects.filter(pk=inactive.pk).update(is_active=False)
    client = client_for(world.shopper)
    for variant in (hidden, inactive):
        response = _add(client, variant)
        assert (response.status_code, response.json()["code"]) == (404, "variant_unavailable")
    assert not CartLine.objects.exists()


def test_update_and_remove_lines_and_another_shoppers_line_is_not_found(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=5)
    client = client_for(world.shopper)
    line_id = _add(client, variant).json()["lines"][0]["id"]
    assert client.patch(f"/api/v1/cart/lines/{line_id}", {"quantity": 4},
                        content_type="application/json").json()["lines"][0]["quantity"] == 4
    refused = client.patch(f"/api/v1/cart/lines/{line_id}", {"quantity": 6}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_stock")
    other = client_for(world.owner_b)
    assert other.delete(f"/api/v1/cart/lines/{line_id}").status_code == 404
    assert CartLine.objects.get().quantity == 4
    assert client.delete(f"/api/v1/cart/lines/{line_id}").json()["lines"] == []
    _add(client, variant, 2)
    assert client.delete("/api/v1/cart").json()["lines"] == [] and not CartLine.objects.exists()


def test_review_reports_changes_since_the_line_was_added(world):
    dearer = for_sale(world.merchant_a, world.owner_a, quantity=5, price="10.00")
    scarce = for_sale(world.merchant_a, world.owner_a, quantity=5)
    gone = for_sale(world.merchant_b, world.owner_b, quantity=5)
    client = client_for(world.shopper)
    for variant, quantity in ((dearer, 1), (scarce, 4), (gone, 1)):
        _add(client, variant, quantity)
    Variant.objects.filter(pk=dearer.pk).update(price=Decimal("11.00"))
    StockLevel.objects.filter(variant=scarce).update(on_hand=2)
    Variant.objects.filter(pk=gone.pk).update(is_active=False)
    body = client.get("/api/v1/cart").json()
    ids = {line["variant_id"]: line["id"] for line in body["lines"]}
    assert body["issues"] == [
        {"line_id": ids[dearer.pk], "code": "price_changed", "old": "10.00", "new": "11.00"},
        {"line_id": ids[scarce.pk], "code": "quantity_reduced", "old": "4", "new": "2"},
        {"line_id": ids[gone.pk], "code": "unavailable", "old": None, "new": None}]
    assert [g["merchant_id"] for g in body["groups"]] == [world.merchant_a.pk, world.merchant_b.pk]
    assert body["subtotal"] == "51.00"  # 11 + 4 * 10; the unavailable line counts nothing


def test_signing_in_merges_the_visitors_cart(world):
    both = for_sale(world.merchant_a, world.owner_a, quantity=5)
    only_visitor = for_sale(world.merchant_a, world.owner_a, quantity=5)
    shopper = client_for(world.shopper)
    _add(shopper, both, 2)
    visitor = Client()
    _add(visitor, both, 4)
    _add(visitor, only_visitor, 1)
    visitor.force_login(world.shopper, backend="bastion.accounts.backends.EmailRoleBackend")
    assert SESSION_KEY in visitor.session  # login cycles the session key but keeps its data
    body = visitor.get("/api/v1/cart").json()
    assert sorted((line["variant_id"], line["quantity"]) for line in body["lines"]) == [(both.pk, 5),
                                                                                         (only_visitor.pk, 1)]
    assert Cart.objects.get().user_id == world.shopper.pk
    assert SESSION_KEY not in visitor.session
    entry = LedgerEntry.objects.filter(action="cart.merged").get()
    assert entry.subject == f"cart:{body['id']}"


def test_quote_per_merchant_with_shipping_and_tax(world):
    tea = for_sale(world.merchant_a, world.owner_a, price="100.00", weight_grams=300)
    bike = for_sale(world.merchant_b, world.owner_b, price="50.00")
    ships_to_china(world.merchant_a, price="12.00", free_above="99.00")
    ships_to_china(world.merchant_b, price="13.00", vat="13")
    client = client_for(world.shopper)
    _add(client, tea)
    _add(client, bike)
    body = client.post("/api/v1/cart/quote", {"country": "CN", "region": "Zhejiang"},
                       content_type="application/json").json()
    tea_group, bike_group = body["groups"]
    assert (tea_group["shipping"], tea_group["total"], tea_group["tax"]) == ("0.00", "100.00", "11.50")
    assert (bike_group["shipping"], bike_group["total"], bike_group["tax"]) == ("13.00", "63.00", "7.25")
    assert (body["total"], body["tax"]) == ("163.00", "18.75")
    abroad = client.post("/api/v1/cart/quote", {"country": "US"}, content_type="application/json").json()
    assert [g["problem"] for g in abroad["groups"]] == ["region_unsupported", "region_unsupported"]
    assert abroad["total"] is None


def test_quote_to_an_address_of_the_shopper_only(world):
    for_sale(world.merchant_a, world.owner_a)
    address = Address.objects.create(user=world.shopper, recipient="Li Wei", phone="1", line1="x", city="Hangzhou",
                                     region="Zhejiang", postal_code="310000", created_at=clock.now())
    ships_to_china(world.merchant_a)
    assert client_for(world.shopper).post("/api/v1/cart/quote", {"address_id": address.pk},
                                          content_type="application/json").status_code == 200
    other = client_for(world.owner_b).post("/api/v1/cart/quote", {"address_id": address.pk},
                                           content_type="application/json")
    assert (other.status_code, other.json()["code"]) == (404, "address_not_found")
    assert Client().post("/api/v1/cart/quote", {"address_id": address.pk},
                         content_type="application/json").status_code == 401


def test_a_call_with_a_session_needs_the_csrf_token(world):
    variant = for_sale(world.merchant_a, world.owner_a)
    client = Client(enforce_csrf_checks=True)
    assert _add(client, variant).status_code == 201  # no session yet: nothing to forge
    refused = _add(client, variant)
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf_failed")
    assert CartLine.objects.get().quantity == 1
    token = client.get("/api/v1/auth/csrf").cookies["bastion-csrf"].value
    assert _add(client, variant, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert CartLine.objects.get().quantity == 2
    shopper = client_for(world.shopper, enforce_csrf_checks=True)
    assert _add(shopper, variant).status_code == 403 and CartLine.objects.count() == 1


def test_a_bad_api_key_is_refused_not_treated_as_a_visitor(world):
    response = Client().get("/api/v1/cart", HTTP_AUTHORIZATION="Bearer bst_000000000000_nope")
    assert response.status_code == 401
