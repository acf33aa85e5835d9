"""Every WAF rule match, in block or detect mode, becomes a SecurityEvent row and a log line.

Recording never decides the outcome: if the database cannot take the rows, the request is still
blocked (or let through) as the verdict says, and the failure is logged.
"""

from __future__ import annotations

import ipaddress
import logging

from django.db import transaction
from django.http import HttpRequest

from bastion.core import clock
from bastion.core.clientip import client_ip
from bastion.security.masking import mask_personal_data, printable, truncate
from bastion.security.models import SecurityEvent
from bastion.security.waf.inspection import Verdict

logger = logging.getLogger("bastion.security.waf")

# One hostile request can match dozens of rules; the first ones say what it was.
MAX_EVENTS_PER_REQUEST = 20
_SEVERITIES = list(SecurityEvent.Severity.values)  # index = ModSecurity severity 0-7


def _severity(level: int) -> str:
    return _SEVERITIES[level] if 0 <= level < len(_SEVERITIES) else SecurityEvent.Severity.NOTICE


def _address(request: HttpRequest) -> str | None:
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def record_waf_events(request: HttpRequest, verdict: Verdict, *, action: str) -> None:
    """Store the verdict's matches and log one summary line (masked, like the rows)."""
    occurred_at = clock.now()
    path = truncate(mask_personal_data(request.path, limit=500), 500)
    request_id = getattr(request, "request_id", "") or ""
    rows = [
        SecurityEvent(
            occurred_at=occurred_at, kind=SecurityEvent.Kind.WAF, rule_id=match.rule_id,
            message=truncate(printable(match.message), 300), matched_data=mask_personal_data(match.data),
            client_address=_address(request), method=printable(request.method or "")[:16], path=path,
            request_id=request_id[:64], action=action, severity=_severity(match.severity))
        for match in verdict.matches[:MAX_EVENTS_PER_REQUEST]
    ]
    # In detect mode, say which requests block mode would have refused: that is what tuning needs.
    would_have = " (block mode would refuse it)" if verdict.would_block and not verdict.disrupted else ""
    logger.warning("WAF %s %s %s from %s: rules %s%s", action, printable(request.method or ""), path,
                   _address(request), ", ".join(str(match.rule_id) for match in verdict.matches) or "-", would_have)
    try:
        # A savepoint: a failed insert must not poison a transaction the caller may hold open.
        with transaction.atomic():
            SecurityEvent.objects.bulk_create(rows)
    except Exception:  # evidence lost is logged, but never turns a block into a pass or a 500
        logger.exception("WAF events for request %s could not be stored", request_id)
