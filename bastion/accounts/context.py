"""Navigation by role for every page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bastion.accounts.actor import actor_for_request
from bastion.core.roles import Perm


def navigation(request) -> dict:
    actor = actor_for_request(request)
    items = [(_("Home"), reverse("storefront:home"))]
    if actor.is_authenticated:
        items.append((_("My account"), reverse("storefront:profile")))
        if any(g.merchant_id for g in actor.grants):
            items.append((_("Seller portal"), reverse("seller:home")))
        if any(g.merchant_id is None for g in actor.grants):
            items.append((_("Console"), reverse("console:home")))
        if actor.can(Perm.ADMIN_SITE):
            items.append((_("Admin"), reverse("admin:index")))
    return {"nav_items": items, "actor": actor}
