from __future__ import annotations

from decimal import Decimal

import factory

from bastion.catalog.models import Category, Product, Variant
from bastion.core import clock
from bastion.merchants.tests.factories import MerchantFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """A published product; give `price` to get one active variant (and price_from) with it."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = ""
    status = Product.Status.PUBLISHED
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def price(self, create, extracted, **kwargs):
        if extracted is not None and create:
            VariantFactory(product=self, price=Decimal(extracted))
            self.price_from = Decimal(extracted)
            self.save(update_fields=["price_from"])


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("10.00")
    currency = "CNY"
