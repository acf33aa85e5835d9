"""Authorization matrix of the cart API (see bastion/testing/authz.py).

Everyone may have a cart: anonymous visitors through their session, everyone else as themselves.
What each caller must not reach is another cart's lines: they are "not found".
"""

from __future__ import annotations

from decimal import Decimal

from bastion.accounts.tests.factories import UserFactory
from bastion.cart.models import Cart, CartLine
from bastion.cart.tests.factories import for_sale
from bastion.core import clock
from bastion.testing.authz import Call, Case, expect

EVERYONE = expect(200, 200, 200, 200, 200)


def _cart_of(user) -> Cart:
    now = clock.now()
    return Cart.objects.get_or_create(user=user or UserFactory(), defaults={"created_at": now, "updated_at": now})[0]


def _line(world, user) -> CartLine:
    """A line in the caller's cart; for an anonymous caller, in somebody else's cart."""
    variant = for_sale(world.merchant_a, world.owner_a)
    return CartLine.objects.create(cart=_cart_of(user), variant=variant, quantity=1, unit_price=Decimal("10.00"),
                                   currency="CNY", added_at=clock.now())


def _new_line(world, user) -> Call:
    return Call(json={"variant_id": for_sale(world.merchant_a, world.owner_a).pk, "quantity": 2})


def _change(world, user) -> Call:
    return Call({"line_id": _line(world, user).pk}, {"quantity": 3})


def _remove(world, user) -> Call:
    return Call({"line_id": _line(world, user).pk})


def _lines(world):
    return sorted(CartLine.objects.values_list("id", "cart_id", "quantity", "unit_price"))


CASES = [
    Case("GET", "/cart", EVERYONE),
    Case("DELETE", "/cart", EVERYONE),
    Case("POST", "/cart/lines", expect(201, 201, 201, 201, 201), prepare=_new_line, snapshot=_lines),
    Case("PATCH", "/cart/lines/{line_id}", expect(404, 200, 200, 200, 200), prepare=_change, snapshot=_lines),
    Case("DELETE", "/cart/lines/{line_id}", expect(404, 200, 200, 200, 200), prepare=_remove, snapshot=_lines),
    Case("POST", "/cart/quote", EVERYONE, prepare=lambda world, user: Call(json={"country": "CN"})),
]
