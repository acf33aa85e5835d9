"""The catalog API through the test client: shapes, money as strings, problems with codes."""

from __future__ import annotations

import json

import pytest

from bastion.audit.models import LedgerEntry
from bastion.catalog.models import Product, Variant
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _post(client, path, body, method="post"):
    return getattr(client, method)(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def test_a_seller_creates_prices_and_publishes_a_product(world):
    client = client_for(world.staff_a)
    base = f"/seller/merchants/{world.merchant_a.pk}/products"
    tea = CategoryFactory(name="Tea", slug="tea")
    created = _post(client, base, {"category_id": tea.pk, "title": "Longjing", "attributes": {"origin": "Hangzhou"}})
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    variant = _post(client, f"{base}/{product_id}/variants",
                    {"sku": "LJ-250", "price": "128.5", "options": {"size": "250 g"}, "weight_grams": 300})
    assert variant.status_code == 201
    assert (variant.json()["price"], variant.json()["currency"]) == ("128.50", "CNY")
    assert client.post(f"/api/v1{base}/{product_id}/publish").json()["status"] == "published"
    shown = client_for(None).get(f"/api/v1/catalog/products/{product_id}").json()
    assert shown["price_from"] == "128.50" and shown["currency"] == "CNY"
    assert shown["variants"][0]["options"] == {"size": "250 g"}
    assert shown["merchant"] == {"id": world.merchant_a.pk, "name": "Alpha Teas"}


def test_unknown_fields_and_bad_prices_are_refused(world):
    client = client_for(world.owner_a)
    product = ProductFactory(merchant=world.merchant_a, price="10.00")
    base = f"/api/v1/seller/merchants/{world.merchant_a.pk}/products/{product.pk}"
    unknown = _post(client, f"/seller/merchants/{world.merchant_a.pk}/products/{product.pk}",
                    {"title": "x", "colour": "red"}, method="patch")
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "validation_failed"
    variant = product.variants.get()
    bad = client.patch(f"{base}/variants/{variant.pk}", data=json.dumps({"price": "12.345"}),
                       content_type="application/json")
    assert bad.status_code == 422
    jpy = client.patch(f"{base}/variants/{variant.pk}", data=json.dumps({"currency": "JPY", "price": "12.50"}),
                       content_type="application/json")
    assert (jpy.status_code, jpy.json()["code"]) == (422, "price_invalid")
    assert Variant.objects.get(pk=variant.pk).price == product.variants.get().price


def test_price_change_via_the_api_is_in_the_ledger(world):
    product = ProductFactory(merchant=world.merchant_a, price="10.00")
    variant = product.variants.get()
    before = LedgerEntry.objects.count()
    response = _post(client_for(world.owner_a), f"/seller/merchants/{world.merchant_a.pk}/products/{product.pk}"
                     f"/variants/{variant.pk}", {"price": "11.00"}, method="patch")
    assert response.json()["price"] == "11.00"
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-seq").first().action == "variant.price_changed"


def test_a_taken_sku_is_a_conflict(world):
    ProductFactory(merchant=world.merchant_b, price="1").variants.update(sku="DUP-1")
    product = ProductFactory(merchant=world.merchant_a)
    response = _post(client_for(world.owner_a),
                     f"/seller/merchants/{world.merchant_a.pk}/products/{product.pk}/variants",
                     {"sku": "DUP-1", "price": "3.00"})
    assert (response.status_code, response.json()["code"]) == (409, "sku_taken")


def test_another_merchants_product_is_not_found_under_my_merchant(world):
    theirs = ProductFactory(merchant=world.merchant_b, price="5")
    response = client_for(world.owner_a).get(f"/api/v1/seller/merchants/{world.merchant_a.pk}/products/{theirs.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "product_not_found")


def test_public_search_with_facets(world):
    tea = CategoryFactory(name="Tea", slug="tea")
    ProductFactory(merchant=world.merchant_a, category=tea, title="Green tea", price="30.00")
    ProductFactory(merchant=world.merchant_b, category=tea, title="Green bottle", price="60.00")
    ProductFactory(merchant=world.merchant_a, category=tea, title="Green draft", price="60.00", status="draft")
    body = client_for(None).get("/api/v1/catalog/products", {"q": "green", "sort": "price_desc",
                                                               "min_price": "10"}).json()
    assert [i["title"] for i in body["items"]] == ["Green bottle", "Green tea"]
    assert body["items"][0]["price_from"] == "60.00"
    assert (body["total"], body["page"], body["pages"]) == (2, 1, 1)
    assert body["facets"]["categories"] == [{"id": tea.pk, "name": "Tea", "count": 2}]
    assert body["facets"]["price_bands"] == [{"min_price": None, "max_price": "50.00", "count": 1},
                                             {"min_price": "50.00", "max_price": "100.00", "count": 1}]
    missing = client_for(None).get("/api/v1/catalog/products", {"category": 999999})
    assert (missing.status_code, missing.json()["code"]) == (404, "category_not_found")


def test_deleted_products_are_gone_from_the_api_but_kept(world):
    product = ProductFactory(merchant=world.merchant_a, price="5")
    client = client_for(world.owner_a)
    assert client.delete(f"/api/v1/seller/merchants/{world.merchant_a.pk}/products/{product.pk}").status_code == 204
    assert client_for(None).get(f"/api/v1/catalog/products/{product.pk}").status_code == 404
    listing = client.get(f"/api/v1/seller/merchants/{world.merchant_a.pk}/products").json()
    assert listing["total"] == 0
    assert Product.objects.get(pk=product.pk).deleted_at is not None
