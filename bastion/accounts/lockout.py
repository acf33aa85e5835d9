"""What a locked-out client sees: the same for every account, existing or not."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from bastion.core.errors import TooManyRequests, problem_response


def lockout_response(request, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return problem_response(request, TooManyRequests(
            f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password.",
            code="signin_locked", headers={"Retry-After": str(minutes * 60)}))
    response = render(request, "storefront/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
