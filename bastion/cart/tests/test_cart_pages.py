"""The cart pages: add from the product page, see lines per merchant with review messages, change, quote."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from bastion.cart.models import CartLine
from bastion.cart.tests.factories import for_sale, ships_to_china
from bastion.catalog.models import Variant
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def test_product_page_offers_add_to_cart_and_the_cart_page_lists_it(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=3, price="20.00")
    client = Client()
    page = client.get(f"/p/{variant.product_id}/{variant.product.slug}/")
    assert b'action="/cart/add/"' in page.content
    response = client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2}, follow=True)
    assert response.redirect_chain == [("/cart/", 302)]
    assert "Added to your cart." in response.text and "Alpha Teas" in response.text
    assert CartLine.objects.get().quantity == 2


def test_refused_addition_is_a_clear_message_and_changes_nothing(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=1)
    response = Client().post("/cart/add/", {"variant_id": variant.pk, "quantity": 2}, follow=True)
    assert "Only 1 left in stock." in response.text
    assert not CartLine.objects.exists()


def test_htmx_quantity_change_and_removal_answer_the_cart_fragment(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=5)
    client = client_for(world.shopper)
    client.post("/cart/add/", {"variant_id": variant.pk})
    line = CartLine.objects.get()
    fragment = client.post(f"/cart/lines/{line.pk}/", {"quantity": 4}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content and b'value="4"' in fragment.content
    refused = client.post(f"/cart/lines/{line.pk}/", {"quantity": 9}, HTTP_HX_REQUEST="true")
    assert "Only 5 left in stock." in refused.text
    assert CartLine.objects.get().quantity == 4
    assert client_for(world.owner_b).post(f"/cart/lines/{line.pk}/", {"remove": "1"}).status_code == 302
    assert CartLine.objects.exists()  # another person's line is not found, nothing removed
    client.post(f"/cart/lines/{line.pk}/", {"remove": "1"})
    assert not CartLine.objects.exists()


def test_cart_page_shows_review_messages_and_a_quote(world):
    variant = for_sale(world.merchant_a, world.owner_a, quantity=5, price="100.00")
    ships_to_china(world.merchant_a, price="12.00")
    client = client_for(world.shopper)
    client.post("/cart/add/", {"variant_id": variant.pk})
    Variant.objects.filter(pk=variant.pk).update(price=Decimal("113.00"))
    page = client.get("/cart/", {"country": "CN", "region": "Zhejiang"})
    assert "The price changed from 100.00 to 113.00 since you added it." in page.text
    assert "125.00 CNY" in page.text and "including 14.38 VAT (13.00%)" in page.text
    abroad = client.get("/cart/", {"country": "US"})
    assert "This merchant does not ship to US." in abroad.text
