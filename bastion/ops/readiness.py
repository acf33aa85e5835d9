"""Is every part the shop needs reachable and current? Used by /readyz, `bastion check` and the console."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Component:
    name: str
    ok: bool
    detail: str
    latency_ms: float | None = None


def _timed(name: str, probe) -> Component:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:  # a readiness probe reports any failure, it never raises
        return Component(name, False, f"{type(exc).__name__}: {exc}"[:200])
    return Component(name, True, detail, round((time.perf_counter() - started) * 1000, 2))


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.vendor} reachable"


def _migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied; run `bastion migrate`")
    return "all applied"


def _redis() -> str:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    client.ping()
    return "reachable"


def _waf() -> str:
    # A degraded WAF still passes traffic in development, so it is reported, loudly, as failing.
    from bastion.security.waf.status import waf_status

    status = waf_status()
    if not status.ready:
        raise RuntimeError(f"{status.state}: {status.degraded_reason}")
    return f"{status.state}: {status.rules_loaded} rules, paranoia level {status.paranoia_level}"


def check_components() -> list[Component]:
    components = [_timed("database", _database)]
    if components[0].ok:
        components.append(_timed("migrations", _migrations))
    if settings.REDIS_URL:
        components.append(_timed("redis", _redis))
    components.append(_timed("waf", _waf))
    return components
