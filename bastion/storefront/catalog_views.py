"""The shop's catalog pages: home, a category, search with facets, a product with its variants."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from bastion.catalog import access, queries
from bastion.catalog.models import Category
from bastion.catalog.search import SORTS, SearchQuery, search
from bastion.core.errors import NotFound
from bastion.storefront.catalog_cache import catalog_page

SORT_LABELS = {"relevance": gettext_lazy("Best match"), "price_asc": gettext_lazy("Price: low to high"),
               "price_desc": gettext_lazy("Price: high to low"), "newest": gettext_lazy("Newest")}


def _price(value: str | None) -> Decimal | None:
    try:
        price = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    return price if price.is_finite() and 0 <= price <= Decimal("9999999999") else None


def _int(value: str | None, default: int | None = None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else default


def _search_page(request, *, category=None, template: str, extra: dict):
    params = request.GET
    sort = params.get("sort") if params.get("sort") in SORTS else ("relevance" if params.get("q") else "newest")
    query = SearchQuery(q=params.get("q", "")[:200], category=category, merchant_id=_int(params.get("merchant")),
                        min_price=_price(params.get("min_price")), max_price=_price(params.get("max_price")),
                        sort=sort, page=_int(params.get("page"), 1) or 1)
    result = search(query)
    keep = params.copy()
    keep.pop("page", None)
    context = {"result": result, "query": query, "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
               "keep": keep.urlencode(), "tree": queries.category_tree(), **extra}
    return render(request, template, context)


@require_GET
@catalog_page
def home(request):
    return render(request, "storefront/home.html", {"categories": list(queries.top_categories()),
                                                    "newest": queries.newest_products(12)})


@require_GET
@catalog_page
def category(request, slug: str):
    found = queries.category_by_slug(slug)
    if found is None:
        raise Http404(_("No such category."))
    return _search_page(request, category=found, template="storefront/catalog/category.html",
                        extra={"category": found})


@require_GET
@catalog_page
def search_page(request):
    category_id = _int(request.GET.get("category"))
    found = Category.objects.filter(pk=category_id).first() if category_id else None
    return _search_page(request, category=found, template="storefront/catalog/search.html",
                        extra={"category": found})


@require_GET
@catalog_page
def product(request, product_id: int, slug: str):
    try:
        found = access.get_shop_product(product_id)
    except NotFound as exc:
        raise Http404(_("No such product.")) from exc
    if slug != found.slug:
        return redirect("storefront:product", product_id=found.pk, slug=found.slug, permanent=True)
    variants = found.active_variants
    chosen = next((v for v in variants if v.pk == _int(request.GET.get("variant"))), variants[0] if variants else None)
    return render(request, "storefront/catalog/product.html",
                  {"product": found, "variants": variants, "chosen": chosen})
