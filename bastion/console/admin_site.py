"""Django admin for administrators only, and only with a verified second factor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bastion.accounts.actor import actor_for_request
from bastion.core.roles import Perm


def _has_permission(request) -> bool:
    actor = actor_for_request(request)
    return request.user.is_active and actor.can(Perm.ADMIN_SITE)


def _login(request, extra_context=None):
    # One sign-in for the whole site: ours, with its lockout and MFA.
    target = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{reverse('storefront:signin')}?{urlencode({'next': target})}")


def protect_admin(site: AdminSite) -> None:
    site.has_permission = _has_permission
    site.login = _login
    site.site_header = _("Bastion administration")
    site.site_title = _("Bastion admin")
