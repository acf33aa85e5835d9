"""HTTP caching of the shop's catalog pages for anonymous visitors.

An anonymous visitor's catalog page is the same for everyone who reads the same language, so it
is sent with `Cache-Control: public, max-age=60` and an ETag made of the catalog version
(bastion/catalog/version.py, bumped after every price, publication or deletion commit), the
language and the URL. A revalidation whose ETag still matches is answered 304 before any
database query. Signed-in visitors see their own header, so their pages are private; so are the
pages of a visitor who carries a session or flash messages (after signing out, a failed sign-in),
since those pages may show something meant for them alone.

`Vary: Cookie, Accept-Language` keeps a shared cache from serving one visitor's page (with its
CSRF token for the language form) to another: Django also marks a response that sets the CSRF
cookie, and caches such as nginx do not store responses that set cookies.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from bastion.catalog import version

MAX_AGE = 60


def etag_for(request) -> str:
    key = f"{version.current()}|{get_language()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _shareable(request) -> bool:
    cookies = request.COOKIES
    return (not request.user.is_authenticated and settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies)


def catalog_page(view):
    @wraps(view)
    def cached(request, *args, **kwargs):
        anonymous = _shareable(request)
        etag = etag_for(request) if anonymous else None
        if etag and etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = view(request, *args, **kwargs)
        if anonymous and response.status_code in (200, 304):
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return cached
