"""The seller portal: the merchants a person works for, their staff and integration keys."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bastion.accounts import access, queries
from bastion.accounts.actions import api_keys as key_actions
from bastion.accounts.actions import roles as role_actions
from bastion.accounts.actions.registration import normalise_email
from bastion.accounts.actor import Actor
from bastion.accounts.models import User
from bastion.console.guards import render_problem, staff_page
from bastion.core.errors import NotFound, Problem
from bastion.core.roles import Perm, RoleName
from bastion.merchants.queries import merchants_by_ids


def _my_merchants(actor: Actor):
    return merchants_by_ids({g.merchant_id for g in actor.grants if g.merchant_id})


@staff_page
def home(request, actor: Actor):
    merchants = list(_my_merchants(actor))
    if len(merchants) == 1:
        return redirect("seller:merchant", merchant_id=merchants[0].pk)
    if not merchants:
        return render_problem(request, NotFound(_("You do not work for any merchant."),
                                                title=_("Page not found")))
    return render(request, "seller/choose.html", {"merchants": merchants})


@staff_page
def merchant_home(request, actor: Actor, merchant_id: int):
    merchant = access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_VIEW)
    can_manage_staff = actor.can(Perm.MERCHANT_MANAGE_STAFF, merchant.pk)
    context = {
        "merchant": merchant, "merchants": _my_merchants(actor), "can_manage_staff": can_manage_staff,
        "can_manage_catalog": actor.can(Perm.MERCHANT_MANAGE_CATALOG, merchant.pk),
        "my_roles": [g.role for g in actor.grants if g.merchant_id == merchant.pk],
        "staff": queries.staff_of_merchant(merchant.pk),
    }
    if actor.can(Perm.APIKEYS_MANAGE, merchant.pk):
        context["keys"] = access.api_keys_visible_to(actor).filter(merchant=merchant)
        context["issued"] = request.session.pop("bastion.issued_key", None)
    return render(request, "seller/merchant.html", context)


@staff_page
@require_POST
def add_staff(request, actor: Actor, merchant_id: int):
    merchant = access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_STAFF)
    try:
        email = normalise_email(request.POST.get("email", ""))
        user = User.objects.filter(email=email, is_active=True, email_verified_at__isnull=False).first()
        if user is None:
            raise NotFound(_("No confirmed account has that address; ask the person to sign up first."))
        role_actions.grant_role(actor=actor, user=user, role=RoleName.MERCHANT_STAFF, merchant=merchant)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("%(email)s now works for %(merchant)s.") % {"email": email,
                                                                                "merchant": merchant.name})
    return redirect("seller:merchant", merchant_id=merchant.pk)


@staff_page
@require_POST
def remove_staff(request, actor: Actor, merchant_id: int, grant_id: int):
    merchant = access.get_merchant_for(actor, merchant_id, Perm.MERCHANT_MANAGE_STAFF)
    grant = access.get_staff_grant_for(actor, merchant, grant_id)
    try:
        role_actions.revoke_role(actor=actor, grant=grant)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Removed %(email)s.") % {"email": grant.user.email})
    return redirect("seller:merchant", merchant_id=merchant.pk)


@staff_page
@require_POST
def create_key(request, actor: Actor, merchant_id: int):
    merchant = access.get_merchant_for(actor, merchant_id, Perm.APIKEYS_MANAGE)
    try:
        issued = key_actions.create_api_key(actor=actor, name=request.POST.get("name", ""), merchant=merchant)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        # Shown once on the next page, then gone from the session.
        request.session["bastion.issued_key"] = issued.secret
    return redirect("seller:merchant", merchant_id=merchant.pk)


@staff_page
@require_POST
def revoke_key(request, actor: Actor, merchant_id: int, key_id: int):
    merchant = access.get_merchant_for(actor, merchant_id, Perm.APIKEYS_MANAGE)
    key = access.get_api_key_for(actor, key_id)
    if key.merchant_id != merchant.pk:
        raise NotFound(_("No such API key."), code="api_key_not_found", title=_("Page not found"))
    try:
        key_actions.revoke_api_key(actor=actor, key=key)
    except Problem as problem:
        messages.error(request, problem.detail)
    return redirect("seller:merchant", merchant_id=merchant.pk)
