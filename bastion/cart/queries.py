"""Read-only cart queries: lines with what a cart page shows, current prices and free stock."""

from __future__ import annotations

from django.db.models import Sum

from bastion.cart.models import Cart, CartLine
from bastion.catalog.models import Variant
from bastion.catalog.queries import visible_filter
from bastion.core.money import Money
from bastion.inventory.models import StockLevel

SESSION_KEY = "cart_id"


def lines_of(cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    return list(CartLine.objects.filter(cart=cart).select_related("variant__product__merchant")
                .order_by("added_at", "id"))


def sellable_variants(variant_ids: list[int]):
    """Variants a shopper may buy: active, of a published product that is not deleted."""
    product_visible = {f"product__{key}": value for key, value in visible_filter().children}
    return Variant.objects.filter(pk__in=variant_ids, is_active=True, **product_visible)


def current_prices(variant_ids: list[int]) -> dict[int, Money]:
    return {v.pk: Money(v.price, v.currency) for v in sellable_variants(variant_ids)}


def available_of(variant_ids: list[int]) -> dict[int, int]:
    """Units free to sell per variant: on hand minus reserved over the merchant's active warehouses."""
    rows = (StockLevel.objects.filter(variant_id__in=variant_ids, warehouse__is_active=True)
            .values("variant_id").annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved")))
    return {row["variant_id"]: row["on_hand"] - row["reserved"] for row in rows}


def anonymous_cart(session) -> Cart | None:
    cart_id = session.get(SESSION_KEY)
    if not isinstance(cart_id, int):
        return None
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first()
