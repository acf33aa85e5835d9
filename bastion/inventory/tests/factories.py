"""Small builders for stock tests (the catalog's own factories belong to the catalog app)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from bastion.accounts.actor import Actor, actor_for_user
from bastion.catalog.models import Category, Product, Variant
from bastion.core import clock
from bastion.inventory.actions.stock import receive_stock
from bastion.inventory.models import Warehouse

_n = itertools.count()


def variant_of(merchant, *, sku: str | None = None) -> Variant:
    n = next(_n)
    category, _ = Category.objects.get_or_create(slug="stock-tests", defaults={"name": "Stock tests"})
    now = clock.now()
    product = Product.objects.create(merchant=merchant, category=category, title=f"Product {n}",
                                     slug=f"product-{n}", created_at=now, updated_at=now)
    return Variant.objects.create(product=product, sku=sku or f"SKU-{n}", price=Decimal("10.00"))


def warehouse_of(merchant, *, code: str | None = None) -> Warehouse:
    n = next(_n)
    return Warehouse.objects.create(merchant=merchant, name=f"Warehouse {n}", code=code or f"W{n}",
                                    created_at=clock.now())


def stock_actor(user) -> Actor:
    return actor_for_user(user, mfa_verified=True)


def stocked(merchant, owner, *, quantity: int, warehouse: Warehouse | None = None, variant: Variant | None = None
            ) -> tuple[Variant, Warehouse]:
    variant = variant or variant_of(merchant)
    warehouse = warehouse or warehouse_of(merchant)
    receive_stock(actor=stock_actor(owner), warehouse=warehouse, variant=variant, quantity=quantity)
    return variant, warehouse
