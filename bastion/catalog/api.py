"""Catalog API: the shop's public catalog, and each merchant's own products for its staff."""

from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router, Status

from bastion.accounts.access import get_merchant_for
from bastion.accounts.api_auth import AUTH
from bastion.catalog import access, actions, queries
from bastion.catalog.models import Category, Product, Variant
from bastion.catalog.schemas import (
    CategoryOut,
    ProductIn,
    ProductOut,
    ProductPageOut,
    ProductPatchIn,
    SearchParams,
    SellerListParams,
    SellerProductOut,
    SellerProductPageOut,
    VariantIn,
    VariantOut,
    VariantPatchIn,
)
from bastion.catalog.search import SearchQuery, search
from bastion.core.apitools import responses
from bastion.core.errors import NotFound
from bastion.core.roles import Perm

public_router = Router(tags=["catalog"])
seller_router = Router(tags=["seller catalog"], auth=AUTH)
SELLER_PAGE_SIZE = 50


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(Decimal("0.01")))


def variant_out(variant: Variant) -> dict:
    return {"id": variant.pk, "sku": variant.sku, "options": variant.options, "price": str(variant.price),
            "currency": variant.currency, "weight_grams": variant.weight_grams, "barcode": variant.barcode,
            "is_active": variant.is_active}


def summary_out(product: Product) -> dict:
    variants = getattr(product, "active_variants", None)
    currency = variants[0].currency if variants else None
    return {"id": product.pk, "title": product.title, "slug": product.slug, "category_id": product.category_id,
            "merchant": {"id": product.merchant_id, "name": product.merchant.name},
            "price_from": str(product.price_from) if product.price_from is not None else None,
            "currency": currency, "created_at": product.created_at}


def product_out(product: Product, variants: list[Variant]) -> dict:
    out = summary_out(product)
    out["currency"] = variants[0].currency if variants else None
    return {**out, "description": product.description, "attributes": product.attributes,
            "variants": [variant_out(v) for v in variants]}


def seller_product_out(product: Product) -> dict:
    return {**product_out(product, queries.product_with_variants(product)), "status": product.status,
            "updated_at": product.updated_at}


# --- the shop's catalog, for anyone ---------------------------------------------------------


@public_router.get("/categories", response=responses(list[CategoryOut], 429))
def list_categories(request):
    return list(Category.objects.order_by("position", "name"))


@public_router.get("/products", response=responses(ProductPageOut, 404, 422, 429))
def search_products(request, params: Query[SearchParams]):
    category = None
    if params.category is not None:
        category = Category.objects.filter(pk=params.category).first()
        if category is None:
            raise NotFound("No such category.", code="category_not_found")
    result = search(SearchQuery(
        q=params.q, category=category, merchant_id=params.merchant, sort=params.sort, page=params.page,
        min_price=Decimal(params.min_price) if params.min_price else None,
        max_price=Decimal(params.max_price) if params.max_price else None))
    return {
        "items": [summary_out(p) for p in result.products], "total": result.total, "page": result.page,
        "pages": result.pages, "page_size": result.page_size,
        "facets": {
            "categories": [{"id": f.value, "name": f.label, "count": f.count} for f in result.categories],
            "merchants": [{"id": f.value, "name": f.label, "count": f.count} for f in result.merchants],
            "price_bands": [{"min_price": _money(f.value[0]),
                             "max_price": _money(f.value[1]), "count": f.count}
                            for f in result.price_bands],
        },
    }


@public_router.get("/products/{product_id}", response=responses(ProductOut, 404, 429))
def get_product(request, product_id: int):
    product = access.get_shop_product(product_id)
    return product_out(product, product.active_variants)


# --- a merchant's own products ----------------------------------------------------------------


def _merchant(request, merchant_id: int):
    return get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_CATALOG)


def _product(request, merchant_id: int, product_id: int) -> Product:
    merchant = _merchant(request, merchant_id)
    return access.get_product_for(request.auth, product_id, merchant_id=merchant.pk)


_WRITE = (401, 403, 404, 409, 413, 422, 429)


@seller_router.get("/{merchant_id}/products", response=responses(SellerProductPageOut, 401, 403, 404, 422, 429))
def list_my_products(request, merchant_id: int, params: Query[SellerListParams]):
    merchant = _merchant(request, merchant_id)
    products = queries.products_of_merchant(merchant.pk, status=params.status)
    total = products.count()
    start = (params.page - 1) * SELLER_PAGE_SIZE
    page = list(products.prefetch_related("variants").select_related("merchant")[start:start + SELLER_PAGE_SIZE])
    items = [{**product_out(p, list(p.variants.all())), "status": p.status, "updated_at": p.updated_at}
             for p in page]
    return {"items": items, "total": total, "page": params.page, "pages": max(1, -(-total // SELLER_PAGE_SIZE))}


@seller_router.post("/{merchant_id}/products", response=responses({201: SellerProductOut}, *_WRITE))
def create_product(request, merchant_id: int, payload: ProductIn):
    merchant = _merchant(request, merchant_id)
    product = actions.create_product(actor=request.auth, merchant=merchant, **payload.dict())
    return Status(201, seller_product_out(product))


@seller_router.get("/{merchant_id}/products/{product_id}", response=responses(SellerProductOut, 401, 403, 404, 429))
def get_my_product(request, merchant_id: int, product_id: int):
    return seller_product_out(_product(request, merchant_id, product_id))


@seller_router.patch("/{merchant_id}/products/{product_id}", response=responses(SellerProductOut, *_WRITE))
def update_product(request, merchant_id: int, product_id: int, payload: ProductPatchIn):
    product = _product(request, merchant_id, product_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return seller_product_out(actions.update_product(actor=request.auth, product=product, **changes))


@seller_router.post("/{merchant_id}/products/{product_id}/publish",
                    response=responses(SellerProductOut, 401, 403, 404, 409, 429))
def publish_product(request, merchant_id: int, product_id: int):
    product = _product(request, merchant_id, product_id)
    return seller_product_out(actions.publish_product(actor=request.auth, product=product))


@seller_router.post("/{merchant_id}/products/{product_id}/unpublish",
                    response=responses(SellerProductOut, 401, 403, 404, 409, 429))
def unpublish_product(request, merchant_id: int, product_id: int):
    product = _product(request, merchant_id, product_id)
    return seller_product_out(actions.unpublish_product(actor=request.auth, product=product))


@seller_router.delete("/{merchant_id}/products/{product_id}", response=responses({204: None}, 401, 403, 404, 409, 429))
def delete_product(request, merchant_id: int, product_id: int):
    actions.delete_product(actor=request.auth, product=_product(request, merchant_id, product_id))
    return Status(204, None)


@seller_router.post("/{merchant_id}/products/{product_id}/variants", response=responses({201: VariantOut}, *_WRITE))
def add_variant(request, merchant_id: int, product_id: int, payload: VariantIn):
    product = _product(request, merchant_id, product_id)
    return Status(201, variant_out(actions.add_variant(actor=request.auth, product=product, **payload.dict())))


@seller_router.patch("/{merchant_id}/products/{product_id}/variants/{variant_id}",
                     response=responses(VariantOut, *_WRITE))
def update_variant(request, merchant_id: int, product_id: int, variant_id: int, payload: VariantPatchIn):
    variant = access.get_variant_for(request.auth, _product(request, merchant_id, product_id), variant_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return variant_out(actions.update_variant(actor=request.auth, variant=variant, **changes))
