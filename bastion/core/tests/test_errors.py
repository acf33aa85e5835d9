"""problem+json documents, request ids and the body size limit, through the real middleware."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.test import Client, RequestFactory

from bastion.core.errors import Conflict, Invalid, Problem, problem_body, problem_response
from bastion.core.middleware import ApiProblemMiddleware, BodySizeLimitMiddleware


def test_problem_body_is_rfc9457_with_a_stable_code():
    request = RequestFactory().get("/api/v1/things/7")
    request.request_id = "abcdef0123456789"
    body = problem_body(request, Invalid("The name is missing.", code="name_missing", extra={"field": "name"}))
    assert body == {
        "type": "urn:bastion:problem:name_missing", "title": "The request is not valid", "status": 422,
        "detail": "The name is missing.", "code": "name_missing", "instance": "/api/v1/things/7",
        "request_id": "abcdef0123456789", "field": "name",
    }


def test_problem_without_detail_uses_its_title():
    problem = Conflict()
    assert (problem.status, problem.code, problem.detail) == (409, "conflict", problem.title)
    assert problem_body(None, problem) == {"type": "urn:bastion:problem:conflict", "title": problem.title,
                                           "status": 409, "detail": problem.title, "code": "conflict"}


def test_problem_response_carries_content_type_and_headers():
    response = problem_response(None, Problem("Slow down.", status=429, code="too_many_requests",
                                              headers={"Retry-After": "60"}))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "60"
    assert json.loads(response.content)["detail"] == "Slow down."


@pytest.mark.django_db
def test_a_valid_incoming_request_id_is_echoed():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abcd_EF")
    assert response["X-Request-ID"] == "lb-1234.abcd_EF"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "short", "has space in it", "x" * 65, "bad\nnewline-1234"])
def test_an_unusable_request_id_is_replaced(incoming):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 16
    int(response["X-Request-ID"], 16)


@pytest.mark.django_db
def test_errors_carry_the_request_id_of_the_response():
    response = Client().get("/api/v1/me", HTTP_X_REQUEST_ID="trace-0000-1111")
    assert response.status_code == 401
    assert response.json()["request_id"] == "trace-0000-1111" == response["X-Request-ID"]


@pytest.mark.django_db
def test_unknown_api_route_is_a_problem_document():
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    response = Client().put("/api/v1/auth/csrf")
    assert (response.status_code, response["Content-Type"]) == (405, "application/problem+json")


def _behind_api_problems(response: HttpResponse, path: str, method: str = "GET"):
    middleware = ApiProblemMiddleware(lambda request: response)
    request = RequestFactory().generic(method, path)
    request.request_id = "abcdef0123456789"
    return middleware(request)


def test_html_404_under_the_api_becomes_a_problem_document():
    response = _behind_api_problems(HttpResponseNotFound("<h1>Not Found</h1>"), "/api/v1/nothing")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert json.loads(response.content) == {
        "type": "urn:bastion:problem:not_found", "title": "Not found", "status": 404,
        "detail": "No API operation has this path.", "code": "not_found", "instance": "/api/v1/nothing",
        "request_id": "abcdef0123456789"}


def test_plain_405_under_the_api_becomes_a_problem_document_with_allow():
    response = _behind_api_problems(HttpResponseNotAllowed(["GET", "POST"], content=b"Method not allowed"),
                                    "/api/v1/me", method="PUT")
    assert (response.status_code, response["Content-Type"], response["Allow"]) == (
        405, "application/problem+json", "GET, POST")
    body = json.loads(response.content)
    assert (body["code"], body["detail"]) == ("method_not_allowed", "PUT is not allowed here; allowed: GET, POST.")


def test_problem_documents_and_pages_outside_the_api_pass_unchanged():
    problem = problem_response(None, Problem("No such address.", status=404, code="address_not_found"))
    assert _behind_api_problems(problem, "/api/v1/me/addresses/9") is problem
    page = HttpResponseNotFound("<h1>Not Found</h1>")
    assert _behind_api_problems(page, "/no-such-page/") is page
    ok = HttpResponse("fine")
    assert _behind_api_problems(ok, "/api/v1/docs") is ok


@pytest.mark.django_db
def test_body_over_the_limit_is_refused_before_anything_reads_it():
    size = settings.MAX_BODY_BYTES + 1
    response = Client().post("/api/v1/auth/login", data=b"x" * size, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert response.json()["detail"] == f"The body has {size} bytes; the limit is {settings.MAX_BODY_BYTES}."


@pytest.mark.django_db
def test_body_at_the_limit_is_read():
    response = Client().post("/api/v1/auth/login", data=b"x" * settings.MAX_BODY_BYTES,
                             content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_uploads_have_their_own_larger_limit(settings):
    settings.MAX_BODY_BYTES, settings.MAX_UPLOAD_BYTES = 100, 1000
    limit = BodySizeLimitMiddleware(lambda request: HttpResponse("reached the view"))
    multipart = "multipart/form-data; boundary=x"

    def post(size: int, content_type: str):
        return limit(RequestFactory().generic("POST", "/upload", data=b"y" * size, content_type=content_type))

    assert post(500, multipart).content == b"reached the view"
    assert post(1000, multipart).content == b"reached the view"
    too_big = post(1001, multipart)
    assert too_big.status_code == 413
    assert json.loads(too_big.content)["detail"] == "The body has 1001 bytes; the limit is 1000."
    assert post(101, "application/json").status_code == 413


def test_unreadable_content_length_is_left_to_the_body_reader():
    limit = BodySizeLimitMiddleware(lambda request: HttpResponse("reached the view"))
    request = RequestFactory().post("/x", data=b"{}", content_type="application/json")
    request.META["CONTENT_LENGTH"] = "lots"
    assert limit(request).content == b"reached the view"
