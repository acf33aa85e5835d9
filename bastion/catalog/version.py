"""The catalog version: a counter in the cache that changes whenever shoppers would see a change.

Catalog actions call `bump_on_commit()` when a price, a publication, a title or a deletion
changes. Storefront pages put the version in their ETag, so a browser's (or a proxy's) copy
stops matching as soon as the catalog changes, and they are cacheable for a short max-age.

With Redis (scaled out) every node shares the counter. With the local-memory cache each worker
holds its own: a worker that did not run the change keeps its old number, so its pages can stay
stale for at most the page's max-age (the ETag still differs from the next worker's version
whenever that worker moved on). The counter starts from the clock, so a restarted worker never
hands out an old version again.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "catalog:version"


def current() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(KEY, 0)
    return int(version)


def bump() -> int:
    try:
        return int(cache.incr(KEY))
    except ValueError:  # not in the cache yet (or evicted)
        current()
        return int(cache.incr(KEY))


def bump_on_commit() -> None:
    transaction.on_commit(bump)
