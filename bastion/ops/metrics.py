"""Prometheus metrics at /metrics: request rate, latency and errors by route, plus shop gauges.

Granian runs several worker processes; with PROMETHEUS_MULTIPROC_DIR set (`bastion serve` sets
it) every process writes its counters to files there and a scrape adds them up, so a scrape
answered by any worker reports the whole server.
"""

from __future__ import annotations

import hmac
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from bastion.accounts.actor import actor_for_request
from bastion.core.errors import Forbidden, NotAuthenticated, problem_response
from bastion.core.roles import Perm

REQUESTS = Counter("bastion_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("bastion_http_request_duration_seconds", "Time to answer a request", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    # The URL pattern, not the path: ids in paths would make one series per object.
    return match.route if match is not None and match.route else "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response


class ShopCollector:
    """Gauges read at scrape time from the database and the backup media."""

    def collect(self):
        from bastion.audit.models import LedgerEntry
        from bastion.ops import maintenance
        from bastion.security.models import SecurityEvent

        ledger = GaugeMetricFamily("bastion_ledger_entries", "Entries in the tamper-evident ledger")
        ledger.add_metric([], LedgerEntry.objects.count())
        yield ledger
        waf = GaugeMetricFamily("bastion_waf_events", "WAF matches stored, by action", labels=["action"])
        for action in ("blocked", "detected"):
            waf.add_metric([action], SecurityEvent.objects.filter(kind="waf", action=action).count())
        yield waf
        size = GaugeMetricFamily("bastion_database_size_bytes", "Size of the database")
        size.add_metric([], _database_size())
        yield size
        closed = GaugeMetricFamily("bastion_maintenance_mode", "1 while the shop is closed for maintenance")
        closed.add_metric([], 1 if maintenance.current().enabled else 0)
        yield closed
        age = _newest_backup_age()
        if age is not None:
            backup = GaugeMetricFamily("bastion_backup_age_seconds", "Age of the newest snapshot backup")
            backup.add_metric([], age)
            yield backup


def _database_size() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    name = settings.DATABASES["default"]["NAME"]
    path = Path(str(name))
    return path.stat().st_size if path.is_file() else 0


def _newest_backup_age() -> float | None:
    from bastion.core import clock
    from bastion.ops.backups.actions import list_backups

    try:
        manifests = [e.manifest for e in list_backups() if e.manifest is not None]
    except Exception:  # an unreadable media is reported by its own monitor, not by failing a scrape
        return None
    if not manifests:
        return None
    return (clock.now() - max(m.created_at for m in manifests)).total_seconds()


def _allowed(request) -> None:
    token = settings.METRICS_TOKEN
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and presented and hmac.compare_digest(presented, token):
        return
    actor = actor_for_request(request)
    if not actor.is_authenticated:
        raise NotAuthenticated("Send the metrics token as a Bearer token, or sign in as operations staff.")
    actor.require(Perm.OPS_VIEW)


def metrics_view(request):
    try:
        _allowed(request)
    except (NotAuthenticated, Forbidden) as problem:
        return problem_response(request, problem)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(ShopCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
