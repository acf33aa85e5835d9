"""Cart changes: find (and merge) the cart of a request, add, change, remove lines, clear.

A cart holds no money or stock, so its changes write no ledger entry; merging an anonymous cart
into a shopper's cart does (it crosses from one identity to another). Nothing is reserved here:
stock is checked when a line is added or changed and again when the cart is reviewed.

Merging at sign-in is lazy (docs/pricing.md): Django's login keeps session data (cycle_key), so the
first cart lookup of a signed-in shopper whose session still names an anonymous cart merges it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bastion.accounts.actor import Actor
from bastion.audit.actions import append_entry
from bastion.cart import queries, rules
from bastion.cart.models import MAX_LINE_QUANTITY, Cart, CartLine
from bastion.catalog.models import Variant
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid, NotFound


def _new_cart() -> Cart:
    now = clock.now()
    return Cart.objects.create(created_at=now, updated_at=now)


@transaction.atomic
def open_cart(*, actor: Actor, session, create: bool) -> Cart | None:
    """The cart of this visitor or shopper; None when there is none and `create` is false."""
    anonymous = queries.anonymous_cart(session)
    if not actor.is_authenticated:
        if anonymous is None and create:
            anonymous = _new_cart()
            session[queries.SESSION_KEY] = anonymous.pk
        return anonymous
    cart = Cart.objects.select_for_update().filter(user_id=actor.user_id).first()
    if cart is None and (create or anonymous is not None):
        now = clock.now()  # get_or_create: two first requests at once still make one cart
        cart, _created = Cart.objects.get_or_create(user=actor.user, defaults={"created_at": now, "updated_at": now})
    if anonymous is not None:
        _merge(actor=actor, into=cart, source=anonymous)
        session.pop(queries.SESSION_KEY, None)
    return cart


def _merge(*, actor: Actor, into: Cart, source: Cart) -> None:
    incoming = list(CartLine.objects.select_for_update().filter(cart=source))
    kept = {line.variant_id: line for line in CartLine.objects.select_for_update().filter(cart=into)}
    available = queries.available_of([line.variant_id for line in incoming])
    moved = []
    for line in incoming:
        existing = kept.get(line.variant_id)
        quantity = rules.merged_quantity(existing.quantity if existing else 0, line.quantity,
                                         available.get(line.variant_id, 0))
        if existing is not None:
            if quantity != existing.quantity:
                existing.quantity = quantity
                existing.save(update_fields=["quantity"])
        elif quantity > 0:
            CartLine.objects.create(cart=into, variant_id=line.variant_id, quantity=quantity,
                                    unit_price=line.unit_price, currency=line.currency, added_at=line.added_at)
        moved.append({"variant": line.variant_id, "quantity": line.quantity, "kept": quantity})
    source_id = source.pk
    source.delete()
    into.updated_at = clock.now()
    into.save(update_fields=["updated_at"])
    append_entry(actor=actor.label, action="cart.merged", subject=f"cart:{into.pk}",
                 payload={"from_cart": source_id, "lines": moved})


def _sellable(variant_id: int) -> Variant:
    variant = queries.sellable_variants([variant_id]).first()
    if variant is None:
        raise NotFound(_("This product is not for sale."), code="variant_unavailable")
    return variant


def _check_range(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise Invalid(_("The quantity must be between 1 and %(max)d.") % {"max": MAX_LINE_QUANTITY},
                      code="quantity_invalid", extra={"field": "quantity"})


def _check_stock(quantity: int, *, variant_id: int) -> None:
    available = queries.available_of([variant_id]).get(variant_id, 0)
    if quantity > available:
        raise Conflict(_("Only %(available)d left in stock.") % {"available": max(available, 0)},
                       code="insufficient_stock", extra={"available": max(available, 0)})


def _touch(cart: Cart) -> None:
    cart.updated_at = clock.now()
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def add_line(*, cart: Cart, variant_id: int, quantity: int) -> CartLine:
    """Put a variant in the cart at today's price; adding it again adds to the quantity."""
    _check_range(quantity)
    variant = _sellable(variant_id)
    line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
    total = quantity + (line.quantity if line else 0)
    _check_range(total)
    _check_stock(total, variant_id=variant.pk)
    if line is None:
        line = CartLine.objects.create(cart=cart, variant=variant, quantity=total, unit_price=variant.price,
                                       currency=variant.currency, added_at=clock.now())
    else:
        line.quantity = total
        line.unit_price, line.currency = variant.price, variant.currency
        line.save(update_fields=["quantity", "unit_price", "currency"])
    _touch(cart)
    return line


def get_line_of(cart: Cart | None, line_id: int) -> CartLine:
    line = CartLine.objects.filter(pk=line_id, cart=cart).first() if cart is not None else None
    if line is None:
        raise NotFound(_("No such line in your cart."), code="cart_line_not_found")
    return line


@transaction.atomic
def update_quantity(*, line: CartLine, quantity: int) -> CartLine:
    """Set a line's quantity; the price seen is refreshed when it still sells, so the shopper agrees anew."""
    _check_range(quantity)
    variant = _sellable(line.variant_id)
    _check_stock(quantity, variant_id=variant.pk)
    line.quantity = quantity
    line.unit_price, line.currency = variant.price, variant.currency
    line.save(update_fields=["quantity", "unit_price", "currency"])
    _touch(line.cart)
    return line


@transaction.atomic
def remove_line(*, line: CartLine) -> None:
    cart = line.cart
    line.delete()
    _touch(cart)


@transaction.atomic
def clear(*, cart: Cart) -> int:
    removed, _ = CartLine.objects.filter(cart=cart).delete()
    _touch(cart)
    return removed
