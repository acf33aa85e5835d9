"""Rate limits on abuse-prone flows, with the `limits` library (sliding window).

Counters live in Redis when REDIS_URL is set, so every server process and node shares them;
in the embedded mode they live in each process's memory (a limit then holds per process).
Rules are strings such as "10/hour", configured in settings.RATE_LIMITS by name.
"""

from __future__ import annotations

import hashlib
import math
import time
from functools import cache

from django.conf import settings
from limits import parse, storage, strategies

from bastion.core.errors import TooManyRequests


@cache
def _limiter() -> strategies.SlidingWindowCounterRateLimiter:
    uri = settings.REDIS_URL or "memory://"
    return strategies.SlidingWindowCounterRateLimiter(storage.storage_from_string(uri))


def _key(value: str) -> str:
    # Keys may hold an email address; the store keeps only a digest of it.
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def enforce(rule_name: str, *values: str) -> None:
    """Count one hit of `rule_name` for each value (e.g. client address, email); refuse past the limit."""
    rule = settings.RATE_LIMITS.get(rule_name)
    if not rule:
        return
    item = parse(rule)
    limiter = _limiter()
    keys = [(rule_name, _key(v)) for v in values if v]
    for namespace, key in keys:
        if not limiter.test(item, namespace, key):
            reset_at, _remaining = limiter.get_window_stats(item, namespace, key)
            retry = max(1, math.ceil(reset_at - time.time()))
            raise TooManyRequests(f"Too many requests of this kind; try again in {retry} seconds.",
                                  code="rate_limited", headers={"Retry-After": str(retry)})
    for namespace, key in keys:
        limiter.hit(item, namespace, key)
