"""One ModSecurity transaction per request: request line, headers, then body, as a server would feed them.

Django reads the body here (request.body caches it), so views and ninja still parse it afterwards.
A body larger than Django's own limits is not read: BodySizeLimitMiddleware refuses it next.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.request import RawPostDataException

from bastion.core.clientip import client_ip
from bastion.security.waf.engine import CompiledWaf

# CRS's bookkeeping rules: the anomaly-score verdict (949xxx) and correlation (980xxx) repeat what
# the attack rules already said; only their score is kept.
_SCORING_RULES = range(949000, 950000)
_CORRELATION_RULES = range(980000, 981000)
_BLOCKING_EVALUATION = 949110
# A malformed body (rules 200002-200004) is answered like the API answers one: 400, not 403.
_MALFORMED_BODY_STATUS = 400


@dataclass(frozen=True)
class Match:
    rule_id: int
    message: str
    data: str
    severity: int


@dataclass(frozen=True)
class Verdict:
    matches: tuple[Match, ...] = ()
    disrupted: bool = False  # ModSecurity asked to block (only in block mode)
    would_block: bool = False  # the anomaly score reached the threshold (block or detect mode)
    status: int = 403

    @property
    def malformed_body(self) -> bool:
        return self.status == _MALFORMED_BODY_STATUS


def _request_target(request: HttpRequest) -> str:
    # Servers that keep the raw request target say so (gunicorn RAW_URI, uWSGI REQUEST_URI);
    # Granian does not, and Django's full path re-encodes the decoded path the same way.
    return request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or request.get_full_path()


def _http_version(request: HttpRequest) -> str:
    protocol = request.META.get("SERVER_PROTOCOL", "HTTP/1.1")
    return protocol.partition("/")[2] or "1.1"


def _headers(request: HttpRequest) -> list[tuple[str, str]]:
    headers = list(request.headers.items())
    if not request.META.get("CONTENT_LENGTH"):
        # No body. wsgiref (Django's runserver and live test server) invents CONTENT_TYPE
        # "text/plain" and CONTENT_LENGTH "" for every bodiless request; the client sent neither,
        # and without a body they describe nothing Django will read.
        headers = [(name, value) for name, value in headers if name not in {"Content-Type", "Content-Length"}]
    if "Host" not in request.headers:
        # WSGI guarantees SERVER_NAME, and Django answers a Host-less request for it: inspect what
        # Django will act on (rule 920280 "missing Host" cannot fire; the HTTP server owns that check).
        headers.append(("Host", request.META.get("SERVER_NAME", "")))
    return headers


def _body(request: HttpRequest, waf: CompiledWaf) -> bytes:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
    if length <= 0 or length > (waf.config.upload_limit if is_upload else waf.config.body_limit):
        return b""
    try:
        return request.body
    except (RequestDataTooBig, RawPostDataException):
        return b""


def _port(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _text(message, field: str) -> str:
    # The bindings decode ModSecurity's bytes as strict UTF-8; a hostile request's bytes may not be.
    try:
        return getattr(message, field) or ""
    except UnicodeDecodeError:
        return "[bytes that are not UTF-8]"


def _verdict(transaction, *, disrupted: bool, status: int) -> Verdict:
    matches, would_block = [], False
    for message in transaction.get_rule_messages():
        if message.rule_id == _BLOCKING_EVALUATION:
            would_block = True
        if message.rule_id in _SCORING_RULES or message.rule_id in _CORRELATION_RULES:
            continue
        matches.append(Match(rule_id=message.rule_id, message=_text(message, "message"),
                             data=_text(message, "data") or _text(message, "match"), severity=message.severity))
    if disrupted and status != _MALFORMED_BODY_STATUS:
        status = 403
    return Verdict(matches=tuple(matches), disrupted=disrupted, would_block=would_block or disrupted, status=status)


def inspect_request(waf: CompiledWaf, request: HttpRequest) -> Verdict:
    """Run the request through ModSecurity and say what matched and whether to block."""
    request_id = getattr(request, "request_id", None)
    meta = request.META
    with waf.engine.transaction(waf.rules, request_id) as transaction:
        transaction.process_connection(client_ip(request), _port(meta.get("REMOTE_PORT")),
                                       meta.get("SERVER_ADDR", "0.0.0.0"), _port(meta.get("SERVER_PORT")))  # noqa: S104
        transaction.process_uri(_request_target(request), request.method or "GET", _http_version(request))
        for name, value in _headers(request):
            transaction.add_request_header(name, value)
        steps = (transaction.process_request_headers, lambda: _process_body(transaction, request, waf))
        for step in steps:
            step()
            intervention = transaction.intervention()
            if intervention is not None and intervention.disruptive:
                return _verdict(transaction, disrupted=True, status=intervention.status)
        return _verdict(transaction, disrupted=False, status=403)


def _process_body(transaction, request: HttpRequest, waf: CompiledWaf) -> None:
    body = _body(request, waf)
    if body:
        transaction.append_request_body(body)
    # Always run phase 2: CRS decides on the anomaly score there, even for a request without a body.
    transaction.process_request_body()
