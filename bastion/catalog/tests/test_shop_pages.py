"""The shop's catalog pages: what they show, and how anonymous visitors' copies are cached."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from bastion.accounts.actor import actor_for_user
from bastion.catalog import actions
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world):
    tea = CategoryFactory(name="Tea", slug="tea")
    green = CategoryFactory(name="Green tea", slug="green-tea", parent=tea)
    longjing = ProductFactory(merchant=world.merchant_a, category=green, title="Longjing", slug="longjing",
                              description="Spring harvest", attributes={"origin": "Hangzhou"}, price="88.00")
    VariantFactory(product=longjing, sku="LJ-500", price="160.00", options={"size": "500 g"})
    ProductFactory(merchant=world.merchant_b, category=tea, title="Black tea", price="40.00")
    ProductFactory(merchant=world.merchant_a, category=tea, title="Secret draft", status="draft", price="1")
    return {"tea": tea, "green": green, "longjing": longjing}


def test_home_shows_top_categories_and_the_newest_products(shop):
    html = Client().get("/").content.decode()
    assert 'href="/c/tea/"' in html and 'href="/c/green-tea/"' not in html  # top level only
    assert "Longjing" in html and "Black tea" in html and "Secret draft" not in html


def test_category_page_lists_the_category_and_its_descendants(shop):
    response = Client().get("/c/tea/", {"sort": "price_asc"})
    html = response.content.decode()
    assert html.index("Black tea") < html.index("Longjing")
    assert "2 products" in html
    assert Client().get("/c/no-such-thing/").status_code == 404


def test_search_page_shows_results_and_facets(shop, world):
    html = Client().get("/search/", {"q": "hangzhou"}).content.decode()
    assert "Longjing" in html and "Black tea" not in html
    assert "1 product" in html
    assert f'merchant={world.merchant_a.pk}">Alpha Teas</a> <span class="badge">1</span>' in html
    filtered = Client().get("/search/", {"merchant": world.merchant_b.pk}).content.decode()
    assert "Black tea" in filtered and "Longjing" not in filtered


def test_product_page_has_a_variant_picker_price_and_merchant(shop):
    product = shop["longjing"]
    response = Client().get(f"/p/{product.pk}/longjing/")
    html = response.content.decode()
    assert "Sold by Alpha Teas" in html and 'id="price">88.00 CNY' in html
    chosen = product.variants.get(sku="LJ-500")
    html = Client().get(f"/p/{product.pk}/longjing/", {"variant": chosen.pk}).content.decode()
    assert 'id="price">160.00 CNY' in html and f'<option value="{chosen.pk}" selected>' in html
    moved = Client().get(f"/p/{product.pk}/old-name/")
    assert (moved.status_code, moved["Location"]) == (301, f"/p/{product.pk}/longjing/")


def test_drafts_and_deleted_products_are_not_shown(shop, world):
    draft = ProductFactory(merchant=world.merchant_a, status="draft", price="3")
    assert Client().get(f"/p/{draft.pk}/{draft.slug}/").status_code == 404
    actions.delete_product(actor=actor_for_user(world.owner_a, mfa_verified=True), product=shop["longjing"])
    assert Client().get(f"/p/{shop['longjing'].pk}/longjing/").status_code == 404


def test_anonymous_pages_are_public_and_revalidate_until_the_catalog_changes(shop, world,
                                                                             django_capture_on_commit_callbacks):
    client = Client()
    first = client.get("/search/", {"q": "tea"})
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/search/", {"q": "tea"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    variant = shop["longjing"].variants.order_by("id").first()
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_variant(actor=actor_for_user(world.owner_a, mfa_verified=True), variant=variant, price="90")
    again = client.get("/search/", {"q": "tea"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_signed_in_visitors_get_private_pages(shop, world):
    response = client_for(world.shopper).get("/")
    assert "private" in response["Cache-Control"] and "ETag" not in response


def test_visitors_with_a_session_or_messages_get_private_pages(shop):
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        client = Client()
        client.cookies[cookie] = "something"
        response = client.get("/")
        assert "private" in response["Cache-Control"] and "ETag" not in response


def test_the_category_facet_link_narrows_the_search(shop):
    html = Client().get("/search/", {"category": shop["green"].pk}).content.decode()
    assert "Longjing" in html and "Black tea" not in html


def test_the_seller_list_filters_by_status(world, shop):
    html = client_for(world.owner_a).get(f"/seller/{world.merchant_a.pk}/products/", {"status": "draft"}).content
    assert b"Secret draft" in html and b"Longjing" not in html
