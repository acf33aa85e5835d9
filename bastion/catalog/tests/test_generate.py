"""The demo catalog and the benchmark generator."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bastion.catalog.generate import DEMO_THEMES, seed_demo_catalog
from bastion.catalog.models import Product, Variant
from bastion.catalog.search import SearchQuery, search
from bastion.merchants.tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_is_made_once_and_is_searchable():
    for name in DEMO_THEMES:
        MerchantFactory(name=name)
    assert seed_demo_catalog(per_merchant=40) == 120
    assert seed_demo_catalog(per_merchant=40) == 0
    assert Product.objects.count() == 120
    assert all(p.price_from == min(v.price for v in p.variants.all())
               for p in Product.objects.prefetch_related("variants"))
    assert search(SearchQuery(q="tea")).total > 0


def test_the_generator_command_adds_products_with_variants(capsys):
    MerchantFactory()
    call_command("catalog_generate", "--products", "25")
    call_command("catalog_generate", "--products", "5")  # a second run does not collide with the first
    assert Product.objects.count() == 30
    assert Variant.objects.filter(product__in=Product.objects.all()).count() >= 30
    assert "Added 5 products" in capsys.readouterr().out
