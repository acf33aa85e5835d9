"""Liveness and readiness probes for load balancers and supervisors."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bastion.ops.readiness import check_components


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answering; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database reachable, migrations applied, Redis reachable when configured."""
    components = check_components()
    ready = all(c.ok for c in components)
    body = {
        "status": "ready" if ready else "not_ready",
        "components": {c.name: {"ok": c.ok, "detail": c.detail, "latency_ms": c.latency_ms} for c in components},
    }
    return JsonResponse(body, status=200 if ready else 503)
