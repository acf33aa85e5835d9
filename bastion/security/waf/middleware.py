"""WafMiddleware: every request through ModSecurity + OWASP CRS before Django acts on it.

Sits right after RequestIdMiddleware, so a block carries the request id and nothing else
(sessions, CSRF, authentication, views) has run on hostile input.

Modes (settings.WAF_MODE): "block" refuses a request whose anomaly score reaches the threshold;
"detect" records the same events and lets it through (to tune new rules on live traffic);
"off" does nothing. Every rule match is recorded either way.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from bastion.security.models import SecurityEvent
from bastion.security.waf.config import waf_config
from bastion.security.waf.engine import compiled_waf
from bastion.security.waf.events import record_waf_events
from bastion.security.waf.inspection import inspect_request
from bastion.security.waf.responses import blocked_response


class WafMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Compile now, at start-up: an invalid setting or (in production) missing rules refuse
        # to start instead of failing on the first customer's request.
        compiled_waf(waf_config())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Cached per configuration: cheap, and a test's override_settings takes effect.
        waf = compiled_waf(waf_config())
        if not waf.inspecting:
            return self.get_response(request)
        try:
            verdict = inspect_request(waf, request)
        except OSError as exc:  # the client went away mid-body: nobody can read it, the app neither
            raise BadRequest("The request body could not be read.") from exc
        if verdict.matches or verdict.disrupted:
            action = SecurityEvent.Action.BLOCKED if verdict.disrupted else SecurityEvent.Action.DETECTED
            record_waf_events(request, verdict, action=action)
        if verdict.disrupted:
            return blocked_response(request, verdict)
        return self.get_response(request)
