"""Staff pages: signed in, a staff role, a verified second factor, then the permission."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bastion.accounts.actor import actor_for_request
from bastion.core.errors import Forbidden, Problem


def staff_page(view):
    """Every staff page goes through here; the view then checks its own permission with actor.require."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('storefront:signin')}?{query}")
        actor = actor_for_request(request)
        if not actor.is_staff:
            return render_problem(request, Forbidden(_("This page is for staff."),
                                                     title=_("You are not allowed to see this page")))
        if not request.user.is_verified():
            messages.warning(request, _("Staff pages need two-step sign-in. Set it up to continue."))
            return redirect("storefront:mfa")
        try:
            return view(request, actor, *args, **kwargs)
        except Problem as problem:
            return render_problem(request, problem)

    return guarded


def render_problem(request, problem: Problem):
    return render(request, "problem.html", {"problem": problem}, status=problem.status)
