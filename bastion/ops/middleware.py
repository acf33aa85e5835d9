"""Closes the shop to everyone but staff while maintenance mode is on."""

from __future__ import annotations

from django.shortcuts import render

from bastion.core.errors import Problem, problem_response
from bastion.ops import maintenance

# Paths that stay open so staff can sign in and probes keep working.
OPEN_PREFIXES = ("/healthz", "/readyz", "/static/", "/signin/", "/signout/", "/console/", "/admin/",
                 "/api/v1/auth/login", "/api/v1/auth/csrf", "/api/v1/payments/webhooks/", "/i18n/")
RETRY_AFTER_SECONDS = "600"


class ShopClosed(Problem):
    status, code, title = 503, "maintenance", "The shop is closed for maintenance"


class MaintenanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Probes and sign-in are decided before any query, so /healthz and /readyz answer even
        # when the database is down or not migrated.
        if request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        state = maintenance.current()
        if not state.enabled or self._is_staff(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return problem_response(request, ShopClosed(state.message or "Please try again a little later.",
                                                        headers={"Retry-After": RETRY_AFTER_SECONDS}))
        response = render(request, "ops/maintenance.html", {"message": state.message}, status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response

    @staticmethod
    def _is_staff(request) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and user.is_staff)
