"""`bastion backup …` and `bastion restore`: summary lines, one-line errors, exit codes; and the schedule."""

from __future__ import annotations

import pytest
from rich.console import Console

from bastion import cli
from bastion.audit.models import LedgerEntry
from bastion.cli import main
from bastion.ops import tasks
from bastion.ops.backups import actions, commands
from bastion.ops.tests.backup_shop import KEY_B64, ShopFile


@pytest.fixture
def live_shop(settings, tmp_path, monkeypatch):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEY = KEY_B64
    shop = ShopFile(tmp_path / "shop.sqlite3")
    shop.place_orders(5)
    monkeypatch.setattr(actions, "live_database_path", lambda: shop.path)
    monkeypatch.setattr(cli, "_setup_django", lambda: None)  # pytest-django did it; again would re-bind logging
    # A wide terminal: rich wraps at the console width, and tmp paths are long.
    monkeypatch.setattr(commands, "out", Console(width=400))
    monkeypatch.setattr(cli, "console", Console(stderr=True, width=400))
    yield shop
    shop.close()


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _error(text: str) -> str:
    """The error output, which must be exactly one line."""
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text.rstrip("\n")


def test_backup_list_verify_restore(db, live_shop, capsys, tmp_path):
    assert main(["backup", "run", "--type", "full"]) == 0
    [full] = actions.list_backups()
    pages = full.manifest.page_count
    out = _lines(capsys.readouterr().out)
    assert out[-1].startswith(f"backup {full.id} written: full, {pages} of {pages} pages, ")

    live_shop.place_orders(1)
    assert main(["backup", "run", "--type", "incr"]) == 0
    incr = actions.list_backups()[-1]
    assert _lines(capsys.readouterr().out)[-1].startswith(f"backup {incr.id} written: incr on {full.id}, ")

    assert main(["backup", "list"]) == 0
    listing = capsys.readouterr().out
    assert full.id in listing and incr.id in listing and _lines(listing)[-1].startswith("2 backups, ")

    assert main(["backup", "verify", "000002"]) == 0
    assert _lines(capsys.readouterr().out)[-1].startswith(
        f"backup {incr.id} verified: {len(full.manifest.chunks) + len(incr.manifest.chunks)} chunks, ")

    into = tmp_path / "restored.sqlite3"
    assert main(["restore", "--to", incr.id, "--into", str(into)]) == 0
    assert _lines(capsys.readouterr().out)[-1].startswith(f"restored {incr.id} into {into}: ")
    assert LedgerEntry.objects.filter(action="backup.restored", actor="system:cli").count() == 1

    assert main(["restore", "--to", incr.id, "--into", str(into)]) == 1
    assert _error(capsys.readouterr().err) == (
        f"bastion restore: error: {into} exists; restore replaces an existing file only when forced (--force)")
    assert main(["restore", "--to", incr.id, "--into", str(into), "--force"]) == 0


def test_a_damaged_backup_fails_verification_with_exit_1(db, live_shop, capsys):
    main(["backup", "run", "--type", "full"])
    [full] = actions.list_backups()
    chunk = actions.configured_media().path_of(full.id) / "chunk-00000.bin"
    chunk.write_bytes(chunk.read_bytes()[:-3])
    capsys.readouterr()
    assert main(["backup", "verify", full.id]) == 1
    captured = capsys.readouterr()
    assert _lines(captured.out)[0].startswith(f"damaged {full.id}/chunk-00000.bin: truncated or extended")
    assert _error(captured.err) == f"bastion backup: error: {full.id} failed verification: 1 problems in {full.id}"


def test_errors_are_one_line(db, live_shop, capsys):
    assert main(["backup", "run", "--type", "diff"]) == 1
    assert _error(capsys.readouterr().err) == (
        "bastion backup: error: no full backup to base a differential backup on; take a full backup first")
    assert main(["backup", "verify", "000042"]) == 1
    assert _error(capsys.readouterr().err).startswith("bastion backup: error: no backup '000042' in ")


def test_scheduled_jobs_start_with_a_full_backup_and_apply_retention(db, live_shop, settings):
    first = tasks.hourly_incremental_backup.call_local()
    assert first.startswith("000001-full-")
    live_shop.place_orders(1)
    assert tasks.daily_differential_backup.call_local().startswith("000002-diff-")
    assert tasks.weekly_full_backup.call_local().startswith("000003-full-")
    settings.BACKUP_KEEP_FULL = 1
    assert tasks.daily_backup_retention.call_local() == "kept 3, deleted 0"  # the diff is recent: keeps its full
    assert set(LedgerEntry.objects.values_list("action", "actor")) == {("backup.created", "system:scheduler")}


def test_scheduled_jobs_skip_when_the_database_is_not_sqlite(monkeypatch, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    monkeypatch.setattr(actions, "live_database_path", lambda: None)
    for job in (tasks.weekly_full_backup, tasks.daily_differential_backup, tasks.hourly_incremental_backup,
                tasks.daily_backup_retention):
        assert job.call_local() == "skipped: the database is not SQLite (pgBackRest backs up PostgreSQL)"
    assert not (tmp_path / "backups").exists()
