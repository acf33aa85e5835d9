"""How API requests authenticate: the browser session (with CSRF) or an API key (Bearer)."""

from __future__ import annotations

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from bastion.accounts.actions.api_keys import authenticate_api_key
from bastion.accounts.actor import actor_for_request, actor_for_user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_name = "session"

    def _get_key(self, request):
        # Only a request that carries a session is held to CSRF; without one there is nothing to
        # forge, and a caller with a bad API key must hear 401, not a CSRF complaint.
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            request.actor = actor_for_request(request)
            return request.actor
        return None


class ApiKeyAuth(HttpBearer):
    openapi_name = "apiKey"

    def authenticate(self, request, token):
        key = authenticate_api_key(token)
        if key is None:
            return None
        # Issuing a key needs a verified second factor, so the key carries that verification.
        request.actor = actor_for_user(key.owner, mfa_verified=True, api_key_prefix=key.prefix,
                                       merchant_id=key.merchant_id)
        return request.actor


AUTH = [ApiKeyAuth(), SessionAuth()]
