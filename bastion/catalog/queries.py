"""Read-only catalog querysets, N+1-safe: what a listing shows is fetched with it."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from bastion.catalog.models import Category, Product, Variant


def active_variants() -> Prefetch:
    return Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("price", "id"),
                    to_attr="active_variants")


def shop_products() -> QuerySet[Product]:
    """Products shoppers may see: published and not deleted, with merchant, category and variants."""
    return (Product.objects.filter(status=Product.Status.PUBLISHED, deleted_at__isnull=True)
            .select_related("merchant", "category").prefetch_related(active_variants()))


def products_of_merchant(merchant_id: int, *, status: str | None = None) -> QuerySet[Product]:
    """A merchant's live products for the seller portal, newest first, with their variant counts."""
    products = (Product.objects.filter(merchant_id=merchant_id, deleted_at__isnull=True)
                .select_related("category").annotate(variant_count=Count("variants")))
    if status:
        products = products.filter(status=status)
    return products.order_by("-created_at", "-id")


def product_with_variants(product: Product) -> list[Variant]:
    return list(Variant.objects.filter(product=product).order_by("id"))


def newest_products(limit: int = 12) -> list[Product]:
    return list(shop_products().order_by("-created_at", "-id")[:limit])


def category_tree() -> list[Category]:
    """Every category with `children` lists filled in, in display order: two queries at most."""
    categories = list(Category.objects.order_by("position", "name"))
    by_id = {c.pk: c for c in categories}
    for category in categories:
        category.child_list = []
    roots = []
    for category in categories:
        parent = by_id.get(category.parent_id)
        (parent.child_list if parent else roots).append(category)
    return roots


def descendant_ids(category: Category) -> list[int]:
    """The category and every category under it (one query; the tree is small)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, to_visit = [], [category.pk]
    while to_visit:
        pk = to_visit.pop()
        found.append(pk)
        to_visit.extend(children.get(pk, []))
    return sorted(found)


def top_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).order_by("position", "name")


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.select_related("parent").filter(slug=slug).first()


def visible_filter() -> Q:
    return Q(status=Product.Status.PUBLISHED, deleted_at__isnull=True)
