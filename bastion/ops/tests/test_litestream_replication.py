"""Litestream really replicates a SQLite file, and a restore to a time brings back exactly what was
replicated by then (system test: starts the real litestream binary)."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from bastion.audit.models import LedgerEntry
from bastion.ops import litestream

pytestmark = [pytest.mark.system, pytest.mark.django_db]


def _ltx_files(replica: Path) -> int:
    return len(list((replica / "ltx" / "0").glob("*.ltx"))) if (replica / "ltx" / "0").is_dir() else 0


def _wait_for_sync(replica: Path, count: int, timeout: float = 15) -> datetime:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ltx_files(replica) >= count:
            return datetime.now(UTC)
        time.sleep(0.05)
    raise AssertionError(f"litestream did not write LTX file #{count} within {timeout} s")


def test_restore_to_a_time_returns_exactly_the_rows_replicated_by_then(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("Litestream replicates SQLite; PostgreSQL uses pgBackRest")
    source, replica = tmp_path / "shop.sqlite3", tmp_path / "replica"
    db = sqlite3.connect(source, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT)")
    process = subprocess.Popen([litestream.binary(), "replicate", str(source), f"file://{replica}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # seen[k]: a moment after the k-th replicated transaction and before the next one was made.
    try:
        seen = [_wait_for_sync(replica, 1)]
        for n in range(1, 4):
            time.sleep(1.1)  # Litestream stamps its files to the second; keep transactions apart
            db.execute("INSERT INTO orders (note) VALUES (?)", (f"order {n}",))
            seen.append(_wait_for_sync(replica, n + 1))
    finally:
        process.terminate()
        process.wait(timeout=10)
        db.close()
    with override_settings(LITESTREAM_REPLICA_URL=f"file://{replica}"):
        # Every moment but the last lies inside the replicated history; the newest state is "latest".
        for rows_then, moment in enumerate([*seen[:-1], None]):
            into = tmp_path / f"restored-{rows_then}.sqlite3"
            restored = litestream.restore_to_time(timestamp=moment, into=into, actor="system:test")
            rows = sqlite3.connect(restored.path).execute("SELECT note FROM orders ORDER BY id").fetchall()
            assert rows == [(f"order {n}",) for n in range(1, rows_then + 1)], f"restore to {moment}"
        for unreachable in (seen[0] - timedelta(hours=1), seen[-1] + timedelta(hours=1)):
            with pytest.raises(litestream.Problem) as refused:
                litestream.restore_to_time(timestamp=unreachable, into=tmp_path / "no.sqlite3", actor="system:test")
            assert refused.value.code == "restore_failed"
            assert "reachable times run from" in refused.value.detail
            assert not (tmp_path / "no.sqlite3").exists()
    assert LedgerEntry.objects.filter(action="replica.restored").count() == 4


def test_refuses_a_naive_time_an_existing_target_and_the_live_database(tmp_path):
    existing = tmp_path / "there.sqlite3"
    existing.write_bytes(b"")
    with override_settings(LITESTREAM_REPLICA_URL=f"file://{tmp_path / 'replica'}"):
        if not litestream.enabled():
            with pytest.raises(litestream.ReplicationUnavailable):
                litestream.restore_to_time(timestamp=None, into=tmp_path / "x", actor="system:test")
            return
        with pytest.raises(litestream.Invalid) as naive:
            litestream.restore_to_time(timestamp=datetime(2026, 1, 1), into=tmp_path / "x", actor="system:test")
        assert naive.value.code == "timestamp_without_zone"
        with pytest.raises(litestream.Invalid) as exists:
            litestream.restore_to_time(timestamp=None, into=existing, actor="system:test")
        assert exists.value.code == "restore_target_exists"
    assert not LedgerEntry.objects.filter(action="replica.restored").exists()
