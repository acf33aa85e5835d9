"""The seller portal's catalog pages: a merchant's people manage its products, nobody else does."""

from __future__ import annotations

import pytest

from bastion.audit.models import LedgerEntry
from bastion.catalog.models import Product, Variant
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory
from bastion.storefront.tests.pages import post_forms
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _state():
    return (sorted(Product.objects.values_list("id", "title", "status", "deleted_at")),
            sorted(Variant.objects.values_list("id", "sku", "price")), LedgerEntry.objects.count())


def test_the_merchant_page_links_to_products(world):
    html = client_for(world.staff_a).get(f"/seller/{world.merchant_a.pk}/").content.decode()
    assert f'href="/seller/{world.merchant_a.pk}/products/"' in html


def test_a_seller_creates_prices_publishes_and_deletes_a_product(world):
    tea = CategoryFactory(name="Tea", slug="tea")
    client = client_for(world.staff_a)
    base = f"/seller/{world.merchant_a.pk}/products"
    listing = client.get(f"{base}/")
    assert listing.status_code == 200 and "No products yet." in listing.content.decode()
    created = client.post(f"{base}/new/", {"title": "Longjing", "category_id": tea.pk, "description": "Fresh",
                                           "attributes": "origin: Hangzhou"})
    product = Product.objects.get(title="Longjing")
    assert created["Location"] == f"{base}/{product.pk}/"
    assert product.attributes == {"origin": "Hangzhou"} and product.status == "draft"
    client.post(f"{base}/{product.pk}/variants/", {"sku": "LJ-1", "price": "88.00", "options": "size: 250 g"})
    variant = product.variants.get()
    assert (variant.price, variant.options) == (88, {"size": "250 g"})
    page = client.get(f"{base}/{product.pk}/").content.decode()
    assert len(post_forms(page)) >= 5 and 'value="88.00"' in page
    client.post(f"{base}/{product.pk}/variants/{variant.pk}/", {"sku": "LJ-1", "price": "90.00", "options": "",
                                                                 "is_active": "on"})
    assert Variant.objects.get(pk=variant.pk).price == 90
    assert LedgerEntry.objects.order_by("-seq").first().action == "variant.price_changed"
    client.post(f"{base}/{product.pk}/publish/")
    assert Product.objects.get(pk=product.pk).status == "published"
    client.post(f"{base}/{product.pk}/unpublish/")
    assert Product.objects.get(pk=product.pk).status == "draft"
    deleted = client.post(f"{base}/{product.pk}/delete/")
    assert deleted["Location"] == f"{base}/"
    assert Product.objects.get(pk=product.pk).deleted_at is not None


def test_errors_are_shown_and_change_nothing(world):
    product = ProductFactory(merchant=world.merchant_a, status="draft")
    client = client_for(world.owner_a)
    before = _state()
    response = client.post(f"/seller/{world.merchant_a.pk}/products/{product.pk}/publish/", follow=True)
    assert "Add a variant with a price before publishing." in response.content.decode()
    response = client.post(f"/seller/{world.merchant_a.pk}/products/{product.pk}/variants/",
                           {"sku": "X-1", "price": "abc"}, follow=True)
    assert "Enter the price as a number" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(("who", "status"), [("owner_b", 404), ("operator", 404), ("shopper", 403)])
def test_other_people_cannot_see_or_change_the_products(world, who, status):
    product = ProductFactory(merchant=world.merchant_a, price="5")
    client = client_for(world.person(who))
    before = _state()
    assert client.get(f"/seller/{world.merchant_a.pk}/products/{product.pk}/").status_code == status
    assert client.post(f"/seller/{world.merchant_a.pk}/products/{product.pk}/delete/").status_code == status
    assert _state() == before


def test_a_product_of_another_merchant_is_not_found_under_mine(world):
    theirs = ProductFactory(merchant=world.merchant_b, price="5")
    response = client_for(world.owner_a).get(f"/seller/{world.merchant_a.pk}/products/{theirs.pk}/")
    assert response.status_code == 404
