"""Authorization matrix of the catalog API (see bastion/testing/authz.py).

The shop's catalog is public. A merchant's products are managed by its owner and staff (both
hold merchant.manage_catalog), so "staff with the permission" is merchant A's staff; nobody who
works for merchant A lacks it, so "staff without" is an operator: global staff never reach into
a merchant's catalog, and for them the merchant is not found.
"""

from __future__ import annotations

import itertools

from bastion.catalog.models import Product, Variant
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory
from bastion.testing.authz import Call, Case, expect

_n = itertools.count()
SELLER = {"without": "operator", "with_": "staff_a"}
BASE = "/seller/merchants/{merchant_id}/products"


def _products(world):
    return sorted(Product.objects.values_list("id", "title", "status", "deleted_at", "price_from"))


def _variants(world):
    return sorted(Variant.objects.values_list("id", "sku", "price", "is_active"))


def _catalog(world):
    return _products(world), _variants(world)


def _product_of_a(world, user, **kwargs) -> Product:
    return ProductFactory(merchant=world.merchant_a, price="25.00", **kwargs)


def _call(world, user, json=None, **kwargs) -> Call:
    product = _product_of_a(world, user, **kwargs)
    return Call({"merchant_id": world.merchant_a.pk, "product_id": product.pk}, json)


def _variant_call(world, user) -> Call:
    product = _product_of_a(world, user)
    return Call({"merchant_id": world.merchant_a.pk, "product_id": product.pk,
                 "variant_id": product.variants.get().pk}, {"price": "26.50"})


CASES = [
    Case("GET", "/catalog/categories", expect(200, 200, 200, 200, 200)),
    Case("GET", "/catalog/products", expect(200, 200, 200, 200, 200)),
    Case("GET", "/catalog/products/{product_id}", expect(200, 200, 200, 200, 200),
         prepare=lambda w, u: Call({"product_id": _product_of_a(w, u).pk})),
    Case("GET", BASE, expect(401, 404, 404, 404, 200),
         prepare=lambda w, u: Call({"merchant_id": w.merchant_a.pk}), **SELLER),
    Case("POST", BASE, expect(401, 404, 404, 404, 201),
         prepare=lambda w, u: Call({"merchant_id": w.merchant_a.pk},
                                   {"category_id": CategoryFactory().pk, "title": f"Oolong {next(_n)}"}),
         snapshot=_products, **SELLER),
    Case("GET", BASE + "/{product_id}", expect(401, 404, 404, 404, 200), prepare=_call, **SELLER),
    Case("PATCH", BASE + "/{product_id}", expect(401, 404, 404, 404, 200),
         prepare=lambda w, u: _call(w, u, {"title": "Renamed"}), snapshot=_products, **SELLER),
    Case("POST", BASE + "/{product_id}/publish", expect(401, 404, 404, 404, 200),
         prepare=lambda w, u: _call(w, u, status="draft"), snapshot=_products, **SELLER),
    Case("POST", BASE + "/{product_id}/unpublish", expect(401, 404, 404, 404, 200), prepare=_call,
         snapshot=_products, **SELLER),
    Case("DELETE", BASE + "/{product_id}", expect(401, 404, 404, 404, 204), prepare=_call, snapshot=_products,
         **SELLER),
    Case("POST", BASE + "/{product_id}/variants", expect(401, 404, 404, 404, 201),
         prepare=lambda w, u: _call(w, u, {"sku": f"NEW-{next(_n)}", "price": "12.50"}), snapshot=_catalog,
         **SELLER),
    Case("PATCH", BASE + "/{product_id}/variants/{variant_id}", expect(401, 404, 404, 404, 200),
         prepare=_variant_call, snapshot=_catalog, **SELLER),
]
