"""Suite-wide setup: which database this run uses, and the fixtures every app's tests share.

`make test` runs the suite twice: on SQLite, then with DATABASE_URL=postgres://… and REDIS_URL.
When those services are unreachable the second run skips every test with the reason, unless
BASTION_REQUIRE_SERVICES=1 (CI), where an unreachable service is a failure.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

pytest_plugins = ["bastion.testing.fixtures"]


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _services_problem() -> str | None:
    db, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if db.startswith(("postgres://", "postgresql://")) and not _reachable(db, 5432):
        return f"PostgreSQL at {urlparse(db).hostname}:{urlparse(db).port or 5432} is not reachable"
    if redis_url and not _reachable(redis_url, 6379):
        return f"Redis at {urlparse(redis_url).hostname}:{urlparse(redis_url).port or 6379} is not reachable"
    return None


def pytest_configure(config):
    problem = _services_problem()
    if problem and os.environ.get("BASTION_REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"{problem}, and BASTION_REQUIRE_SERVICES=1 requires it")
    config._bastion_services_problem = problem


def pytest_report_header(config):
    db = os.environ.get("DATABASE_URL", "sqlite (default)")
    return [f"bastion database: {db.split('@')[-1]}; redis: {os.environ.get('REDIS_URL') or 'not used'}"]


def pytest_collection_modifyitems(config, items):
    problem = getattr(config, "_bastion_services_problem", None)
    if problem:
        skip = pytest.mark.skip(reason=f"{problem}: the PostgreSQL + Redis run is skipped")
        for item in items:
            item.add_marker(skip)
        return
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if not on_postgres:
        skip_pg = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL + Redis pass of make test")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip_pg)
