"""Request-wide middleware: request ids for tracing, a body size limit, problem+json for the API."""

from __future__ import annotations

import contextvars
import logging
import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from bastion.core.errors import PROBLEM_CONTENT_TYPE, Problem, problem_response

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Every request gets an id, echoed in X-Request-ID and in every error body and log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else secrets.token_hex(8)
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class PayloadTooLarge(Problem):
    status, code, title = 413, "payload_too_large", "The request body is too large"


class BodySizeLimitMiddleware:
    """Refuse an oversized body before anything reads it (uploads get their own, larger limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.MAX_UPLOAD_BYTES if is_upload else settings.MAX_BODY_BYTES
        if length > limit:
            return problem_response(request, PayloadTooLarge(f"The body has {length} bytes; the limit is {limit}."))
        return self.get_response(request)


class ApiProblemMiddleware:
    """API answers given before any API view runs are problem+json too, as the contract says.

    Django answers a path under /api/ that matches no route with its HTML 404 page, and
    django-ninja answers a method the route lacks with a plain-text 405; a client that parses
    every error as a problem document would choke on both. Problem documents pass unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code in (404, 405)
                and not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)):
            if response.status_code == 404:
                problem = Problem("No API operation has this path.", status=404, code="not_found",
                                  title="Not found")
            else:
                allowed = response.get("Allow", "")
                problem = Problem(f"{request.method} is not allowed here; allowed: {allowed or 'none'}.",
                                  status=405, code="method_not_allowed", title="Method not allowed",
                                  headers={"Allow": allowed} if allowed else None)
            return problem_response(request, problem)
        return response
