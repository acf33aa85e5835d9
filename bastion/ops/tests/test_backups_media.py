"""Atomic publishing: a failed backup (full disk, crash, failed ledger entry) leaves no trace."""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest

from bastion.ops.backups.errors import BackupError, NoFullBackup
from bastion.ops.backups.media import BackupMedia
from bastion.ops.backups.restore import restore_backup
from bastion.ops.backups.verify import verify_chain
from bastion.ops.tests.backup_shop import FullDisk, backup_world, rows_of


def _visible(media: BackupMedia) -> list[str]:
    return sorted(p.name for p in media.root.iterdir())


@pytest.mark.parametrize("fails_on", [lambda name: name.startswith("chunk-"), lambda name: name == "manifest.json"],
                         ids=["chunk", "manifest"])
def test_full_disk_leaves_earlier_backups_untouched_and_nothing_half_written(tmp_path, fails_on):
    w = backup_world(tmp_path)
    w.shop.place_orders(10)
    full = w.take("full")
    before = {p.name: p.read_bytes() for p in w.media.path_of(full.id).iterdir()}
    w.shop.place_orders(10)
    with pytest.raises(BackupError) as excinfo:
        w.take("incr", media=FullDisk(w.media.root, fails_on=fails_on))
    assert "no space left on device while writing it to the backup media" in str(excinfo.value)
    assert "earlier backups are untouched" in str(excinfo.value)
    assert _visible(w.media) == [".lock", full.id]
    assert {p.name: p.read_bytes() for p in w.media.path_of(full.id).iterdir()} == before
    assert verify_chain(media=w.media, keys=w.keys, backup_id=full.id).ok
    incr = w.take("incr")  # the next run works and numbers on from the last published backup
    assert incr.parent == full.id and incr.seq == 2


def test_a_failure_after_publishing_removes_the_backup(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(3)

    def record(manifest, publish):
        publish()
        raise RuntimeError("ledger unavailable")

    with pytest.raises(RuntimeError, match="ledger unavailable"):
        w.take("full", record=record)
    assert _visible(w.media) == [".lock"]


def test_leftovers_of_an_interrupted_run_are_swept(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(3)
    w.media.root.mkdir()
    (w.media.root / ".tmp-000001-full-20250301T030000Z").mkdir()
    (w.media.root / ".tmp-000001-full-20250301T030000Z" / "chunk-00000.bin").write_bytes(b"half")
    full = w.take("full")
    assert _visible(w.media) == [".lock", full.id]


def test_differential_or_incremental_needs_a_full_backup(tmp_path):
    w = backup_world(tmp_path)
    for kind, article in (("diff", "a differential"), ("incr", "an incremental")):
        with pytest.raises(NoFullBackup, match=f"no full backup to base {article} backup on"):
            w.take(kind)
    assert not w.media.root.exists() or _visible(w.media) == [".lock"]


def test_an_incremental_is_not_built_on_a_damaged_backup(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(3)
    full = w.take("full")
    (w.media.path_of(full.id) / "manifest.json").write_text("{}")
    with pytest.raises(BackupError, match=f"cannot base an incremental backup on {full.id}: unreadable manifest"):
        w.take("incr")
    w.take("full")  # a new full backup does not depend on it


def test_missing_database_is_reported(tmp_path):
    w = backup_world(tmp_path)
    w.shop.path = tmp_path / "nope.sqlite3"
    with pytest.raises(BackupError, match=r"nope\.sqlite3 does not exist"):
        w.take("full")
    assert not (tmp_path / "nope.sqlite3").exists()


def test_restore_refuses_to_overwrite_unless_forced(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(4)
    full = w.take("full")
    into = tmp_path / "existing.sqlite3"
    into.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists; restore replaces an existing file only when forced"):
        restore_backup(media=w.media, keys=w.keys, to_id=full.id, into=into)
    assert into.read_bytes() == b"keep me"

    stale_wal = tmp_path / "existing.sqlite3-wal"
    stale_wal.write_bytes(b"old log that must not be replayed")
    restore_backup(media=w.media, keys=w.keys, to_id=full.id, into=into, force=True)
    assert not stale_wal.exists()
    assert rows_of(into) == w.shop.rows()
    conn = sqlite3.connect(into)  # opens as a normal database afterwards
    assert conn.execute("SELECT COUNT(*) FROM orders").fetchone() == (4,)
    conn.close()


def test_backup_ids_resolve_from_a_prefix(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(2)
    full = w.take("full")
    assert w.media.resolve("000001") == full.id
    with pytest.raises(BackupError, match="no backup '000009'"):
        w.media.resolve("000009")
    with pytest.raises(BackupError, match="is not a backup id"):
        w.media.path_of("../etc")


def test_backup_files_are_private(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(2)
    full = w.take("full")
    folder = w.media.path_of(full.id)
    assert folder.stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in folder.iterdir())


def test_a_full_disk_during_restore_leaves_no_file_behind(tmp_path, monkeypatch):
    w = backup_world(tmp_path)
    w.shop.place_orders(10)
    full = w.take("full")
    into = tmp_path / "restore-here" / "shop.sqlite3"
    into.parent.mkdir()
    real_pwrite, calls = os.pwrite, []

    def pwrite(fd, data, offset):
        calls.append(offset)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    with pytest.raises(BackupError) as excinfo:
        restore_backup(media=w.media, keys=w.keys, to_id=full.id, into=into)
    assert str(excinfo.value) == (f"restore of {full.id} failed: no space left on device while writing {into}; "
                                  "nothing was replaced")
    assert list(into.parent.iterdir()) == []
