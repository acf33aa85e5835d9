"""State changes of the catalog: products, their variants, publication and soft deletion.

Every action is keyword-only and atomic, checks that the actor may manage the catalog of the
product's merchant, and bumps the catalog version after commit (storefront caches key on it).
A variant's price change appends a `variant.price_changed` ledger entry in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Min

from bastion.accounts.actor import Actor
from bastion.audit.actions import append_entry
from bastion.catalog import rules, version
from bastion.catalog.models import Category, Product, Variant
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.roles import Perm
from bastion.merchants.models import Merchant


def _require(actor: Actor, merchant_id: int) -> None:
    actor.require(Perm.MERCHANT_MANAGE_CATALOG, merchant_id)


def _category(category_id: int) -> Category:
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise Invalid("No such category.", code="category_not_found", extra={"field": "category_id"})
    return category


def _unique_slug(merchant_id: int, title: str, exclude_pk: int | None = None) -> str:
    base = rules.slug_for(title)
    taken = set(Product.objects.filter(merchant_id=merchant_id, slug__startswith=base)
                .exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _locked(product: Product) -> Product:
    """The product's row, locked for this transaction; deleted products are not edited."""
    locked = Product.objects.select_for_update().filter(pk=product.pk).first()
    if locked is None:
        raise NotFound("No such product.", code="product_not_found")
    if locked.deleted_at is not None:
        raise Conflict("This product was deleted; it can no longer be changed.", code="product_deleted")
    return locked


def _refresh_price_from(product: Product) -> None:
    product.price_from = Variant.objects.filter(product=product, is_active=True).aggregate(m=Min("price"))["m"]


@transaction.atomic
def create_product(*, actor: Actor, merchant: Merchant, category_id: int, title: str, description: str = "",
                   attributes: dict | None = None) -> Product:
    _require(actor, merchant.pk)
    title = rules.clean_title(title)
    description = rules.clean_description(description)
    attributes = rules.clean_pairs(attributes, "attributes")
    category = _category(category_id)
    now = clock.now()
    return Product.objects.create(merchant=merchant, category=category, title=title,
                                  slug=_unique_slug(merchant.pk, title), description=description,
                                  attributes=attributes, status=Product.Status.DRAFT, created_at=now,
                                  updated_at=now)


@transaction.atomic
def update_product(*, actor: Actor, product: Product, title: str | None = None, description: str | None = None,
                   category_id: int | None = None, attributes: dict | None = None) -> Product:
    _require(actor, product.merchant_id)
    product = _locked(product)
    fields = ["updated_at"]
    if title is not None:
        product.title = rules.clean_title(title)
        product.slug = _unique_slug(product.merchant_id, product.title, exclude_pk=product.pk)
        fields += ["title", "slug"]
    if description is not None:
        product.description = rules.clean_description(description)
        fields.append("description")
    if category_id is not None:
        product.category = _category(category_id)
        fields.append("category")
    if attributes is not None:
        product.attributes = rules.clean_pairs(attributes, "attributes")
        fields.append("attributes")
    product.updated_at = clock.now()
    product.save(update_fields=fields)
    if product.status == Product.Status.PUBLISHED:
        version.bump_on_commit()
    return product


def _check_currency(product: Product, currency: str, exclude_pk: int | None = None) -> None:
    others = set(Variant.objects.filter(product=product).exclude(pk=exclude_pk).values_list("currency", flat=True))
    if others and others != {currency}:
        raise Invalid(f"Every variant of a product is priced in one currency ({', '.join(sorted(others))}).",
                      code="currency_mismatch", extra={"field": "currency"})


def _sku_taken(sku: str) -> Conflict:
    return Conflict(f"The SKU {sku!r} is already used.", code="sku_taken", extra={"field": "sku"})


def _save_variant(variant: Variant, fields: list[str] | None = None) -> None:
    if Variant.objects.filter(sku=variant.sku).exclude(pk=variant.pk).exists():
        raise _sku_taken(variant.sku)
    try:
        with transaction.atomic():  # a savepoint: a lost race on the SKU leaves the transaction usable
            variant.save(update_fields=fields) if fields else variant.save()
    except IntegrityError as exc:
        raise _sku_taken(variant.sku) from exc


@transaction.atomic
def add_variant(*, actor: Actor, product: Product, sku: str, price: Decimal | str, currency: str = "CNY",
                options: dict | None = None, weight_grams: int = 0, barcode: str = "") -> Variant:
    _require(actor, product.merchant_id)
    product = _locked(product)
    currency = rules.clean_currency(currency)
    variant = Variant(product=product, sku=rules.clean_sku(sku), price=rules.clean_price(price, currency),
                      currency=currency, options=rules.clean_pairs(options, "options"),
                      weight_grams=rules.clean_weight(weight_grams), barcode=rules.clean_barcode(barcode))
    _check_currency(product, currency)
    _save_variant(variant)
    _refresh_price_from(product)
    product.updated_at = clock.now()
    product.save(update_fields=["price_from", "updated_at"])
    if product.status == Product.Status.PUBLISHED:
        version.bump_on_commit()
    return variant


@transaction.atomic
def update_variant(*, actor: Actor, variant: Variant, sku: str | None = None, price: Decimal | str | None = None,
                   currency: str | None = None, options: dict | None = None, weight_grams: int | None = None,
                   barcode: str | None = None, is_active: bool | None = None) -> Variant:
    """Change a variant; a new price (or currency) is recorded in the ledger with the old one."""
    _require(actor, variant.product.merchant_id)
    product = _locked(variant.product)
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    old_price, old_currency = variant.price, variant.currency
    fields: list[str] = []
    if currency is not None:
        variant.currency = rules.clean_currency(currency)
        _check_currency(product, variant.currency, exclude_pk=variant.pk)
        fields.append("currency")
    if price is not None or currency is not None:
        variant.price = rules.clean_price(variant.price if price is None else price, variant.currency)
        fields.append("price")
    if sku is not None:
        variant.sku = rules.clean_sku(sku)
        fields.append("sku")
    if options is not None:
        variant.options = rules.clean_pairs(options, "options")
        fields.append("options")
    if weight_grams is not None:
        variant.weight_grams = rules.clean_weight(weight_grams)
        fields.append("weight_grams")
    if barcode is not None:
        variant.barcode = rules.clean_barcode(barcode)
        fields.append("barcode")
    if is_active is not None:
        variant.is_active = bool(is_active)
        fields.append("is_active")
    if not fields:
        return variant
    _save_variant(variant, fields)
    price_changed = (variant.price, variant.currency) != (old_price, old_currency)
    if price_changed:
        append_entry(actor=actor.label, action="variant.price_changed", subject=f"variant:{variant.pk}",
                     payload={"product": product.pk, "merchant": product.merchant_id, "sku": variant.sku,
                              "old_price": str(old_price), "old_currency": old_currency,
                              "new_price": str(variant.price), "new_currency": variant.currency})
    _refresh_price_from(product)
    product.updated_at = clock.now()
    product.save(update_fields=["price_from", "updated_at"])
    if product.status == Product.Status.PUBLISHED:
        version.bump_on_commit()
    return variant


def _set_status(product: Product, status: str) -> Product:
    product.status, product.updated_at = status, clock.now()
    product.save(update_fields=["status", "updated_at"])
    version.bump_on_commit()
    return product


@transaction.atomic
def publish_product(*, actor: Actor, product: Product) -> Product:
    """Show the product in the shop. It needs an active variant, or there is nothing to buy."""
    _require(actor, product.merchant_id)
    product = _locked(product)
    if product.status == Product.Status.PUBLISHED:
        return product
    if not Variant.objects.filter(product=product, is_active=True).exists():
        raise Conflict("Add a variant with a price before publishing.", code="product_has_no_variants")
    return _set_status(product, Product.Status.PUBLISHED)


@transaction.atomic
def unpublish_product(*, actor: Actor, product: Product) -> Product:
    _require(actor, product.merchant_id)
    product = _locked(product)
    if product.status == Product.Status.DRAFT:
        return product
    return _set_status(product, Product.Status.DRAFT)
    product.status, product.updated_at = Product.Status.DRAFT, clock.now()
    product.save(update_fields=["status", "updated_at"])
    version.bump_on_commit()
    return product


@transaction.atomic
def delete_product(*, actor: Actor, product: Product) -> Product:
    """Soft delete: the product leaves the shop and the seller's list; orders still read it."""
    _require(actor, product.merchant_id)
    product = _locked(product)
    product.deleted_at = product.updated_at = clock.now()
    product.save(update_fields=["deleted_at", "updated_at"])
    version.bump_on_commit()
    return product
