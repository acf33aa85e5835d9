"""The only way interfaces fetch catalog objects: a merchant's own products, or the shop's visible ones.

What the actor may not see is "not found", never "forbidden", so ids cannot be probed.
"""

from __future__ import annotations

from bastion.accounts.actor import Actor
from bastion.catalog import queries
from bastion.catalog.models import Product, Variant
from bastion.core.errors import NotFound
from bastion.core.roles import Perm


def _not_found() -> NotFound:
    return NotFound("No such product.", code="product_not_found")


def get_product_for(actor: Actor, product_id: int, merchant_id: int | None = None) -> Product:
    """A live (not deleted) product of a merchant whose catalog the actor manages.

    Another merchant's product, or one outside `merchant_id` when given, is not found.
    """
    actor.require_user()
    mine = actor.merchants_with(Perm.MERCHANT_MANAGE_CATALOG)
    if merchant_id is not None:
        mine &= {merchant_id}
    product = (Product.objects.select_related("merchant", "category")
               .filter(pk=product_id, merchant_id__in=mine, deleted_at__isnull=True).first())
    if product is None:
        raise _not_found()
    return product


def get_variant_for(actor: Actor, product: Product, variant_id: int) -> Variant:
    """A variant of a product already fetched through get_product_for."""
    variant = Variant.objects.select_related("product").filter(pk=variant_id, product=product).first()
    if variant is None:
        raise NotFound("No such variant.", code="variant_not_found")
    return variant


def get_shop_product(product_id: int) -> Product:
    """A product as the shop shows it: published and not deleted, for anyone."""
    product = queries.shop_products().filter(pk=product_id).first()
    if product is None:
        raise _not_found()
    return product
