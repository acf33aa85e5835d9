"""What every API router shares: problem+json errors, strict input schemas, documented errors."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ConfigDict

from bastion.core.errors import PROBLEM_CONTENT_TYPE, NotAuthenticated, NotFound, Problem, problem_response

logger = logging.getLogger("bastion.api")


class StrictIn(Schema):
    """Input schemas refuse unknown fields, so a typo is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)


def responses(ok: dict[int, Any] | Any, *errors: int) -> dict[int, Any]:
    """Response map for an operation: its success schema(s) and the problems it can answer."""
    result = dict(ok) if isinstance(ok, dict) else {200: ok}
    for status in errors or ERROR_STATUSES:
        result[status] = ProblemOut
    return result


_HTTP_CODES = {400: "malformed_body", 401: "not_authenticated", 403: "csrf_failed", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 429: "too_many_requests"}


def _refusals_before_the_view(operation: dict[str, Any]) -> dict[str, str]:
    """Problems any operation can answer before its view runs, whatever the view itself lists."""
    statuses = {"403": "Forbidden"}  # the web application firewall refuses a request that looks hostile
    if operation.get("parameters") or "requestBody" in operation:
        statuses["422"] = "Unprocessable Content"  # parameters or body do not match the schema
    if "requestBody" in operation:
        statuses["400"] = "Bad Request"  # the body is not JSON
        statuses["413"] = "Content Too Large"  # the body is over MAX_BODY_BYTES
    return statuses


class BastionAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        problem = {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                # ninja keys responses by int; JSON turns them into strings, so use strings throughout.
                responses = {str(status): response for status, response in operation.get("responses", {}).items()}
                # Errors are RFC 9457 documents; say so in the contract.
                for status, response in responses.items():
                    if int(status) >= 400 and "application/json" in response.get("content", {}):
                        response["content"] = {PROBLEM_CONTENT_TYPE: response["content"]["application/json"]}
                for status, description in _refusals_before_the_view(operation).items():
                    responses.setdefault(status, {"description": description,
                                                  "content": {PROBLEM_CONTENT_TYPE: problem}})
                operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        if schema.get("paths"):
            schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
                "ProblemOut", ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        return schema


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Problem)
    def _problem(request: HttpRequest, exc: Problem):
        return problem_response(request, exc)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError):
        errors = [{"loc": [str(part) for part in e.get("loc", [])], "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors]
        first = errors[0] if errors else {"loc": [], "msg": ""}
        field = first["loc"][-1] if first["loc"] else None
        return problem_response(request, Problem(
            f"{'.'.join(first['loc'][1:]) or 'body'}: {first['msg']}", status=422, code="validation_failed",
            title="The request is not valid", extra={"errors": errors, "field": field}))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return problem_response(request, NotAuthenticated("Sign in, or send an API key as a Bearer token."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError):
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem_response(request, Problem(str(exc), status=exc.status_code, code=code, title=str(exc)))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        return problem_response(request, NotFound())

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception):
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return problem_response(request, Problem(
            "Something went wrong on our side; the request id identifies it in our logs.",
            status=500, code="internal_error", title="Internal error"))
