"""The seller portal's catalog: a merchant's products, their variants, publication and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from bastion.accounts.access import get_merchant_for
from bastion.accounts.actor import Actor
from bastion.catalog import access, actions, queries
from bastion.catalog.models import Category
from bastion.console.guards import staff_page
from bastion.core.errors import Invalid, Problem
from bastion.core.roles import Perm

PAGE_SIZE = 50


def parse_pairs(text: str, field: str) -> dict[str, str]:
    """ "name: value" lines, as a seller types attributes or options, into a dict."""
    pairs = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise Invalid(_("Write one “name: value” per line."), code=f"{field}_invalid", extra={"field": field})
        pairs[name.strip()] = value.strip()
    return pairs


def pairs_text(pairs: dict) -> str:
    return "\n".join(f"{k}: {v}" for k, v in (pairs or {}).items())


def _merchant(actor: Actor, merchant_id: int):
    return get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_CATALOG)


def _back(merchant_id: int, product_id: int | None = None):
    if product_id is None:
        return redirect("seller:products", merchant_id=merchant_id)
    return redirect("seller:product", merchant_id=merchant_id, product_id=product_id)


@staff_page
def products(request, actor: Actor, merchant_id: int):
    merchant = _merchant(actor, merchant_id)
    status = request.GET.get("status") if request.GET.get("status") in ("draft", "published") else None
    page = Paginator(queries.products_of_merchant(merchant.pk, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "seller/products.html", {"merchant": merchant, "page": page, "status": status,
                                                    "categories": Category.objects.order_by("name")})


@staff_page
@require_POST
def create_product(request, actor: Actor, merchant_id: int):
    merchant = _merchant(actor, merchant_id)
    try:
        product = actions.create_product(
            actor=actor, merchant=merchant, category_id=int(request.POST.get("category_id") or 0),
            title=request.POST.get("title", ""), description=request.POST.get("description", ""),
            attributes=parse_pairs(request.POST.get("attributes", ""), "attributes"))
    except (Problem, ValueError) as problem:
        messages.error(request, getattr(problem, "detail", _("Choose a category.")))
        return _back(merchant.pk)
    messages.success(request, _("Created “%(title)s” as a draft. Add a variant, then publish it.")
                     % {"title": product.title})
    return _back(merchant.pk, product.pk)


@staff_page
def product(request, actor: Actor, merchant_id: int, product_id: int):
    merchant = _merchant(actor, merchant_id)
    found = access.get_product_for(actor, product_id, merchant_id=merchant.pk)
    if request.method == "POST":
        try:
            actions.update_product(
                actor=actor, product=found, title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                category_id=int(request.POST.get("category_id") or 0),
                attributes=parse_pairs(request.POST.get("attributes", ""), "attributes"))
        except (Problem, ValueError) as problem:
            messages.error(request, getattr(problem, "detail", _("Choose a category.")))
        else:
            messages.success(request, _("Saved."))
        return _back(merchant.pk, found.pk)
    variants = [(v, pairs_text(v.options)) for v in queries.product_with_variants(found)]
    return render(request, "seller/product.html", {
        "merchant": merchant, "product": found, "variants": variants, "attributes": pairs_text(found.attributes),
        "categories": Category.objects.order_by("name")})


def _variant_fields(post) -> dict:
    weight = (post.get("weight_grams") or "0").strip()
    if not weight.isdigit():
        raise Invalid(_("The weight is a whole number of grams."), code="weight_invalid")
    return {"sku": post.get("sku", ""), "price": post.get("price", ""), "currency": post.get("currency") or "CNY",
            "options": parse_pairs(post.get("options", ""), "options"), "weight_grams": int(weight),
            "barcode": post.get("barcode", "")}


@staff_page
@require_POST
def add_variant(request, actor: Actor, merchant_id: int, product_id: int):
    merchant = _merchant(actor, merchant_id)
    found = access.get_product_for(actor, product_id, merchant_id=merchant.pk)
    try:
        variant = actions.add_variant(actor=actor, product=found, **_variant_fields(request.POST))
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Added variant %(sku)s.") % {"sku": variant.sku})
    return _back(merchant.pk, found.pk)


@staff_page
@require_POST
def update_variant(request, actor: Actor, merchant_id: int, product_id: int, variant_id: int):
    merchant = _merchant(actor, merchant_id)
    found = access.get_product_for(actor, product_id, merchant_id=merchant.pk)
    variant = access.get_variant_for(actor, found, variant_id)
    try:
        actions.update_variant(actor=actor, variant=variant, is_active=request.POST.get("is_active") == "on",
                               **_variant_fields(request.POST))
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Saved variant %(sku)s.") % {"sku": variant.sku})
    return _back(merchant.pk, found.pk)


def _state_change(action, done: str):
    @staff_page
    @require_POST
    def view(request, actor: Actor, merchant_id: int, product_id: int):
        merchant = _merchant(actor, merchant_id)
        found = access.get_product_for(actor, product_id, merchant_id=merchant.pk)
        try:
            action(actor=actor, product=found)
        except Problem as problem:
            messages.error(request, problem.detail)
            return _back(merchant.pk, found.pk)
        messages.success(request, _(done) % {"title": found.title})
        return _back(merchant.pk, None if action is actions.delete_product else found.pk)

    return view


publish = _state_change(actions.publish_product, gettext_noop("“%(title)s” is in the shop."))
unpublish = _state_change(actions.unpublish_product, gettext_noop("“%(title)s” is no longer in the shop."))
delete = _state_change(actions.delete_product, gettext_noop("Deleted “%(title)s”."))
