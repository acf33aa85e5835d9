"""A small shop database in a real SQLite file (WAL, like production), for the backup tests.

Tests write rows through plain sqlite3 between backups and compare what a restore gives back
with what was committed. Kept tiny: a few dozen orders spread over a handful of pages.
"""

from __future__ import annotations

import base64
import errno
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bastion.ops.backups.engine import take_backup
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import Manifest
from bastion.ops.backups.media import BackupMedia

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEY_B64 = base64.b64encode(KEY).decode()
T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)

SCHEMA = """
CREATE TABLE orders (id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, total_minor INTEGER NOT NULL,
                     currency TEXT NOT NULL DEFAULT 'CNY', status TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT);
CREATE TABLE audit_ledgerhead (id INTEGER PRIMARY KEY, seq INTEGER, entry_hash TEXT);
INSERT INTO django_migrations (app, name, applied) VALUES
    ('orders', '0001_initial', '2025-01-01'), ('audit', '0001_initial', '2025-01-01'),
    ('orders', '0002_status', '2025-01-02');
INSERT INTO audit_ledgerhead (id, seq, entry_hash) VALUES (1, 7, 'ab');
"""


class ShopFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(SCHEMA)
        self.next_order = 1

    def place_orders(self, n: int) -> None:
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for _ in range(n):
                i = self.next_order
                self.conn.execute("INSERT INTO orders (number, total_minor, status, note) VALUES (?, ?, 'placed', ?)",
                                  (f"BST-{i:05d}", 1999 * i, f"order {i} " + "x" * 300))
                self.next_order += 1

    def execute(self, sql: str, params: tuple = ()) -> None:
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute(sql, params)

    def rows(self) -> dict[str, list[tuple]]:
        """Every committed row, as the live database shows it."""
        return _rows(self.conn)

    def page_count(self) -> int:
        return self.conn.execute("PRAGMA page_count").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


class FullDisk(BackupMedia):
    """Backup media whose disk fills up at the first write of a matching file, half-way through it."""

    def __init__(self, root, *, fails_on) -> None:
        super().__init__(root)
        self.fails_on = fails_on

    def write_file(self, path, data) -> None:
        if self.fails_on(path.name):
            with path.open("xb") as f:
                f.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        super().write_file(path, data)


def _rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def rows_of(path: Path) -> dict[str, list[tuple]]:
    """Every row of a restored file, read without touching it (no -wal/-shm files created)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return _rows(conn)
    finally:
        conn.close()


@dataclass
class BackupWorld:
    shop: ShopFile
    media: BackupMedia
    keys: BackupKeys
    clock: datetime = T0

    def take(self, kind: str, *, chunk_pages: int = 4, media: BackupMedia | None = None, **kwargs) -> Manifest:
        """A backup one hour after the previous one, in chunks of a few pages so there are several."""
        self.clock += timedelta(hours=1)
        return take_backup(db_path=self.shop.path, media=media or self.media, keys=self.keys, kind=kind,
                           now=self.clock, chunk_pages=chunk_pages, **kwargs)


def backup_world(tmp_path: Path) -> BackupWorld:
    return BackupWorld(shop=ShopFile(tmp_path / "shop.sqlite3"), media=BackupMedia(tmp_path / "backups"),
                       keys=BackupKeys.derive(KEY))
