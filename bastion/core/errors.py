"""Errors that interfaces turn into RFC 9457 problem+json (API) or a readable message (HTML).

Every problem has a stable machine code; docs/problems.md lists them. Domain code raises these;
it never builds HTTP responses itself.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        title: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code or self.code
        self.status = status or self.status
        self.title = title or self.title
        self.detail = detail or self.title
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(self.detail)


class Invalid(Problem):
    status, code, title = 422, "invalid", "The request is not valid"


class NotAuthenticated(Problem):
    status, code, title = 401, "not_authenticated", "Authentication is required"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "You are not allowed to do this"


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Conflict(Problem):
    status, code, title = 409, "conflict", "The request conflicts with the current state"


class TooManyRequests(Problem):
    status, code, title = 429, "too_many_requests", "Too many requests"


def problem_body(request: HttpRequest | None, problem: Problem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:bastion:problem:{problem.code}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "code": problem.code,
    }
    if request is not None:
        body["instance"] = request.path
        request_id = getattr(request, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    body.update(problem.extra)
    return body


def problem_response(request: HttpRequest | None, problem: Problem) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem_body(request, problem)),
        status=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response
