"""Idle and absolute session timeouts, on top of Django's cookie expiry."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout

from bastion.accounts.signin import AUTH_AT_KEY
from bastion.core import clock

SEEN_AT_KEY = "bastion.seen_at"
# Writing the session on every request would cost a write each time; a minute's precision is enough.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            auth_at = request.session.get(AUTH_AT_KEY, now)
            seen_at = request.session.get(SEEN_AT_KEY, now)
            idle = now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_old = now - auth_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_old:
                logout(request)
                request.session_expired = True
            else:
                request.session.setdefault(AUTH_AT_KEY, now)
                if now - seen_at >= SEEN_RESOLUTION_SECONDS or SEEN_AT_KEY not in request.session:
                    request.session[SEEN_AT_KEY] = now
        return self.get_response(request)
