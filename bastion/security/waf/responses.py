"""What a blocked client sees: a problem+json document on /api/, a short page elsewhere; never a trace.

The page is rendered without the request context: the WAF runs before sessions and
authentication, so nothing that needs a user or a session may be touched here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from bastion.core.errors import Problem, problem_response
from bastion.security.waf.inspection import Verdict


class WafBlocked(Problem):
    status, code, title = 403, "waf_blocked", "The request was blocked by the web application firewall"


class MalformedBody(Problem):
    status, code, title = 400, "malformed_body", "The request body could not be parsed"


def _problem(verdict: Verdict) -> Problem:
    if verdict.malformed_body:
        return MalformedBody("Send a well-formed body that matches its Content-Type.")
    return WafBlocked("This request looks like an attack and was refused. If you think this is a "
                      "mistake, contact support and quote the request id.")


def blocked_response(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    problem = _problem(verdict)
    if request.path.startswith("/api/"):
        response = problem_response(request, problem)
    else:
        # LocaleMiddleware has not run yet: choose the language from the cookie or Accept-Language.
        with translation.override(translation.get_language_from_request(request)):
            html = render_to_string("security/waf_blocked.html",
                                    {"problem": problem, "request_id": getattr(request, "request_id", "")})
        response = HttpResponse(html, status=problem.status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
