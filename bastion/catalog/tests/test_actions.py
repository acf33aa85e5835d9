"""Catalog actions: who may change what, what a refusal leaves unchanged, the price ledger entry."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bastion.accounts.actor import actor_for_user
from bastion.audit.models import LedgerEntry
from bastion.catalog import access, actions, version
from bastion.catalog.models import Product, Variant
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory, VariantFactory
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound

pytestmark = pytest.mark.django_db


def _actor(user, mfa=True):
    return actor_for_user(user, mfa_verified=mfa)


def _state():
    return (sorted(Product.objects.values_list("id", "title", "status", "deleted_at", "price_from")),
            sorted(Variant.objects.values_list("id", "sku", "price", "currency", "is_active")),
            LedgerEntry.objects.count())


@pytest.fixture
def category():
    return CategoryFactory(name="Tea", slug="tea")


def test_staff_with_the_permission_create_a_draft_with_a_unique_slug(world, category):
    first = actions.create_product(actor=_actor(world.staff_a), merchant=world.merchant_a, category_id=category.pk,
                                   title="  Longjing   green tea ", attributes={"origin": "Hangzhou", "grams": 250})
    second = actions.create_product(actor=_actor(world.owner_a), merchant=world.merchant_a,
                                    category_id=category.pk, title="Longjing green tea")
    assert (first.title, first.slug, first.status, first.attributes) == (
        "Longjing green tea", "longjing-green-tea", "draft", {"origin": "Hangzhou", "grams": "250"})
    assert second.slug == "longjing-green-tea-2"


@pytest.mark.parametrize("who", ["owner_b", "operator", "administrator", "shopper"])
def test_people_without_the_merchants_catalog_permission_are_refused(world, category, who):
    before = _state()
    with pytest.raises(Forbidden):
        actions.create_product(actor=_actor(world.person(who)), merchant=world.merchant_a,
                               category_id=category.pk, title="Tea")
    assert _state() == before


def test_staff_without_a_verified_second_factor_are_refused(world, category):
    with pytest.raises(Forbidden) as refused:
        actions.create_product(actor=_actor(world.owner_a, mfa=False), merchant=world.merchant_a,
                               category_id=category.pk, title="Tea")
    assert refused.value.code == "mfa_required"


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"title": " "}, "title_invalid"), ({"category_id": 999_999}, "category_not_found"),
    ({"attributes": {"colour": ""}}, "attributes_invalid"), ({"attributes": {"x": True}}, "attributes_invalid"),
])
def test_invalid_products_are_refused_with_a_code(world, category, kwargs, code):
    before = _state()
    with pytest.raises(Invalid) as refused:
        actions.create_product(**{"actor": _actor(world.owner_a), "merchant": world.merchant_a,
                                  "category_id": category.pk, "title": "Tea", **kwargs})
    assert refused.value.code == code
    assert _state() == before


def test_a_price_change_writes_the_exact_ledger_entry(world):
    product = ProductFactory(merchant=world.merchant_a, price="12.50")
    variant = product.variants.get()
    actions.update_variant(actor=_actor(world.staff_a), variant=variant, price="13.00")
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert (entry.actor, entry.action, entry.subject) == (f"user:{world.staff_a.pk}", "variant.price_changed",
                                                          f"variant:{variant.pk}")
    assert json.loads(entry.payload) == {"product": product.pk, "merchant": world.merchant_a.pk, "sku": variant.sku,
                                         "old_price": "12.50", "old_currency": "CNY", "new_price": "13.00",
                                         "new_currency": "CNY"}
    product.refresh_from_db()
    assert product.price_from == Decimal("13.00")


def test_changes_other_than_the_price_write_no_ledger_entry(world):
    variant = ProductFactory(merchant=world.merchant_a, price="12.50").variants.get()
    before = LedgerEntry.objects.count()
    actions.update_variant(actor=_actor(world.owner_a), variant=variant, price="12.5", options={"size": "L"})
    assert LedgerEntry.objects.count() == before
    variant.refresh_from_db()
    assert variant.options == {"size": "L"}


@pytest.mark.parametrize("price", ["-1", "abc", "1.005", "NaN", "99999999999"])
def test_invalid_prices_are_refused_and_change_nothing(world, price):
    variant = ProductFactory(merchant=world.merchant_a, price="12.50").variants.get()
    before = _state()
    with pytest.raises(Invalid) as refused:
        actions.update_variant(actor=_actor(world.owner_a), variant=variant, price=price)
    assert refused.value.code == "price_invalid"
    assert _state() == before


def test_another_merchant_cannot_change_a_price(world):
    variant = ProductFactory(merchant=world.merchant_a, price="12.50").variants.get()
    before = _state()
    with pytest.raises(Forbidden):
        actions.update_variant(actor=_actor(world.owner_b), variant=variant, price="1.00")
    assert _state() == before


def test_a_taken_sku_is_refused(world):
    VariantFactory(sku="TEA-1")
    product = ProductFactory(merchant=world.merchant_a)
    before = _state()
    with pytest.raises(Conflict) as refused:
        actions.add_variant(actor=_actor(world.owner_a), product=product, sku="TEA-1", price="5")
    assert refused.value.code == "sku_taken"
    assert _state() == before


def test_adding_variants_keeps_price_from_at_the_lowest_active_price(world):
    product = ProductFactory(merchant=world.merchant_a, status="draft")
    actor = _actor(world.owner_a)
    actions.add_variant(actor=actor, product=product, sku="A-1", price="30.00", options={"size": "L"})
    cheap = actions.add_variant(actor=actor, product=product, sku="A-2", price="20.00")
    product.refresh_from_db()
    assert product.price_from == Decimal("20.00")
    actions.update_variant(actor=actor, variant=cheap, is_active=False)
    product.refresh_from_db()
    assert product.price_from == Decimal("30.00")


def test_variants_of_one_product_share_a_currency(world):
    product = ProductFactory(merchant=world.merchant_a, price="10")
    with pytest.raises(Invalid) as refused:
        actions.add_variant(actor=_actor(world.owner_a), product=product, sku="USD-1", price="2", currency="USD")
    assert refused.value.code == "currency_mismatch"


def test_publishing_needs_an_active_variant_and_bumps_the_catalog_version(world, django_capture_on_commit_callbacks):
    product = ProductFactory(merchant=world.merchant_a, status="draft")
    with pytest.raises(Conflict) as refused:
        actions.publish_product(actor=_actor(world.owner_a), product=product)
    assert refused.value.code == "product_has_no_variants"
    VariantFactory(product=product)
    before = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_product(actor=_actor(world.owner_a), product=product)
    assert Product.objects.get(pk=product.pk).status == "published"
    assert version.current() > before
    actions.unpublish_product(actor=_actor(world.owner_a), product=product)
    assert Product.objects.get(pk=product.pk).status == "draft"


def test_deleted_products_leave_the_shop_and_the_seller_but_stay_readable(world):
    product = ProductFactory(merchant=world.merchant_a, price="9.90")
    actions.delete_product(actor=_actor(world.owner_a), product=product)
    with pytest.raises(NotFound):
        access.get_shop_product(product.pk)
    with pytest.raises(NotFound):
        access.get_product_for(_actor(world.owner_a), product.pk)
    kept = Product.objects.get(pk=product.pk)
    assert kept.deleted_at is not None and kept.variants.count() == 1
    with pytest.raises(Conflict) as refused:
        actions.update_product(actor=_actor(world.owner_a), product=kept, title="Again")
    assert refused.value.code == "product_deleted"


def test_access_hides_other_merchants_products(world):
    product = ProductFactory(merchant=world.merchant_a)
    assert access.get_product_for(_actor(world.staff_a), product.pk) == product
    for who in ("owner_b", "operator", "shopper"):
        with pytest.raises(NotFound):
            access.get_product_for(_actor(world.person(who)), product.pk)
    with pytest.raises(NotFound):
        access.get_product_for(_actor(world.owner_a), product.pk, merchant_id=world.merchant_b.pk)


def test_update_product_changes_the_fields_given(world):
    product = ProductFactory(merchant=world.merchant_a, title="Old", description="kept")
    other = CategoryFactory()
    actions.update_product(actor=_actor(world.owner_a), product=product, title="New name", category_id=other.pk)
    product.refresh_from_db()
    assert (product.title, product.slug, product.category_id, product.description) == (
        "New name", "new-name", other.pk, "kept")
