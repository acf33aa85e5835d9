"""The operations and security console: a landing page per staff role, people and roles, API keys."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from huey.contrib.djhuey import HUEY

from bastion.accounts import access, queries
from bastion.accounts.actions import api_keys as key_actions
from bastion.accounts.actions import roles as role_actions
from bastion.accounts.actor import Actor
from bastion.audit.queries import recent_entries
from bastion.audit.verify import verify_ledger
from bastion.console.guards import staff_page
from bastion.core.errors import Problem
from bastion.core.roles import Perm, RoleName
from bastion.merchants.models import Merchant
from bastion.ops.monitors import series, sparkline
from bastion.ops.readiness import check_components
from bastion.storefront.labels import role_label


@staff_page
def home(request, actor: Actor):
    if not any(g.merchant_id is None for g in actor.grants):
        return redirect("seller:home")  # merchant people work in the seller portal
    context: dict = {"roles": sorted({role_label(g.role) for g in actor.grants if g.merchant_id is None})}
    if actor.can(Perm.OPS_VIEW):
        context["components"] = check_components()
        context["queue_pending"] = HUEY.pending_count()
        context["queue_scheduled"] = HUEY.scheduled_count()
    if actor.can(Perm.SECURITY_VIEW):
        context["failures"] = AccessFailureLog.objects.order_by("-attempt_time")[:20]
        context["lockouts"] = AccessAttempt.objects.order_by("-attempt_time")[:20]
        context["mfa"] = queries.staff_mfa_coverage()
    if actor.can(Perm.AUDIT_VIEW):
        context["ledger"] = recent_entries(limit=20)
        context["chain"] = verify_ledger()  # chain, Merkle roots, checkpoint signatures, witness
    if actor.can(Perm.ROLES_ASSIGN):
        context["role_counts"] = queries.count_by_role()
    return render(request, "console/home.html", context)


MONITORED = [("server", "cpu_percent", "%"), ("server", "memory_used_percent", "%"),
             ("server", "disk_used_percent", "%"), ("server", "disk_free_bytes", "bytes"), ("server", "load_1m", ""),
             ("server", "open_files", ""), ("database", "query_latency_ms", "ms"), ("database", "size_bytes", "bytes"),
             ("database", "wal_bytes", "bytes"), ("database", "connections", ""), ("database", "lock_waits", "")]


@staff_page
def monitors(request, actor: Actor):
    actor.require(Perm.OPS_VIEW)
    charts = []
    for component, metric, unit in MONITORED:
        points = series(metric, hours=24)
        if points:
            values = [v for _, v in points]
            charts.append({"component": component, "metric": metric, "unit": unit, "latest": values[-1],
                           "low": min(values), "high": max(values), "since": points[0][0], "count": len(points),
                           "line": sparkline(points)})
    return render(request, "console/monitors.html", {"charts": charts})


@staff_page
def people(request, actor: Actor):
    actor.require(Perm.ROLES_ASSIGN)
    search = request.GET.get("q", "")[:100]
    return render(request, "console/people.html", {
        "people": queries.people_with_roles(search)[:100], "q": search,
        "roles": [r for r in RoleName if r != RoleName.SHOPPER], "merchants": Merchant.objects.all(),
    })


@staff_page
@require_POST
def grant(request, actor: Actor, user_id: int):
    user = access.get_user_for_role_admin(actor, user_id)
    merchant_id = request.POST.get("merchant") or None
    merchant = Merchant.objects.filter(pk=merchant_id).first() if merchant_id and merchant_id.isdigit() else None
    try:
        role_actions.grant_role(actor=actor, user=user, role=request.POST.get("role", ""), merchant=merchant)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Role granted to %(email)s. Their sessions have ended.") % {"email": user.email})
    return redirect("console:people")


@staff_page
@require_POST
def revoke(request, actor: Actor, user_id: int, grant_id: int):
    user = access.get_user_for_role_admin(actor, user_id)
    try:
        role_actions.revoke_role(actor=actor, grant=access.get_role_grant_for(actor, user, grant_id))
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Role removed from %(email)s.") % {"email": user.email})
    return redirect("console:people")


@staff_page
@require_http_methods(["GET", "POST"])
def api_keys(request, actor: Actor):
    actor.require(Perm.APIKEYS_MANAGE)
    issued = None
    if request.method == "POST":
        try:
            issued = key_actions.create_api_key(actor=actor, name=request.POST.get("name", ""))
        except Problem as problem:
            messages.error(request, problem.detail)
    keys = access.api_keys_visible_to(actor).filter(merchant__isnull=True)
    return render(request, "console/api_keys.html", {"keys": keys, "issued": issued})


@staff_page
@require_POST
def revoke_key(request, actor: Actor, key_id: int):
    key = access.get_api_key_for(actor, key_id)
    try:
        key_actions.revoke_api_key(actor=actor, key=key)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Key %(prefix)s revoked.") % {"prefix": key.prefix})
    return redirect("console:api_keys")
