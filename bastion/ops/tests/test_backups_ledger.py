"""Every backup, restore and retention deletion is in the ledger, with exact payloads; a failure is not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bastion.audit.chain import canonical_json
from bastion.audit.models import LedgerEntry
from bastion.core.clock import use_clock
from bastion.ops.backups import actions
from bastion.ops.backups.errors import BackupError, NoFullBackup
from bastion.ops.backups.media import BackupMedia
from bastion.ops.tests.backup_shop import KEY_B64, T0, FullDisk, ShopFile, rows_of


@pytest.fixture
def shop(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEY = KEY_B64
    shop = ShopFile(tmp_path / "shop.sqlite3")
    shop.place_orders(6)
    yield shop
    shop.close()


def _entries():
    return list(LedgerEntry.objects.order_by("seq").values_list("action", "subject", "actor", "payload"))


def _stored_bytes(media: BackupMedia, backup_id: str) -> int:
    return sum(p.stat().st_size for p in media.path_of(backup_id).glob("chunk-*.bin"))


def test_backup_and_restore_entries_have_exact_payloads(db, shop, tmp_path):
    media = actions.configured_media()
    pages_at_full = shop.page_count()
    full = actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    shop.place_orders(1)
    incr = actions.run_backup(kind="incr", actor="system:test", db_path=shop.path)
    into = tmp_path / "elsewhere" / "restored.sqlite3"
    into.parent.mkdir()
    actions.restore_backup(to_id=incr.id, into=into, actor="user:7")

    incr_on_disk, _ = media.load(incr.id, actions.configured_keys())
    assert _entries() == [
        ("backup.created", f"backup:{full.id}", "system:test", canonical_json(
            {"type": "full", "parent": None, "pages": pages_at_full, "bytes": _stored_bytes(media, full.id)})),
        ("backup.created", f"backup:{incr.id}", "system:test", canonical_json(
            {"type": "incr", "parent": full.id, "pages": incr_on_disk.pages_stored,
             "bytes": _stored_bytes(media, incr.id)})),
        ("backup.restored", f"backup:{incr.id}", "user:7", canonical_json(
            {"type": "incr", "parent": full.id, "pages": shop.page_count(), "bytes": shop.page_count() * 4096,
             "into": str(into)})),
    ]
    assert rows_of(into) == shop.rows()


def test_a_failed_backup_records_nothing(db, shop, monkeypatch, tmp_path):
    with pytest.raises(NoFullBackup):
        actions.run_backup(kind="diff", actor="system:test", db_path=shop.path)
    monkeypatch.setattr(actions, "configured_media",
                        lambda: FullDisk(tmp_path / "backups", fails_on=lambda name: name == "manifest.json"))
    with pytest.raises(BackupError, match="no space left on device"):
        actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    assert _entries() == []
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [".lock"]


def test_no_backup_is_published_when_its_ledger_entry_fails(db, shop, monkeypatch, tmp_path):
    def broken_ledger(**kwargs):
        raise RuntimeError("ledger is read-only")

    monkeypatch.setattr(actions, "append_entry", broken_ledger)
    with pytest.raises(RuntimeError, match="ledger is read-only"):
        actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    assert actions.list_backups() == []
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [".lock"]


def test_a_refused_restore_records_nothing(db, shop, tmp_path):
    full = actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"precious")
    with pytest.raises(BackupError, match="exists"):
        actions.restore_backup(to_id=full.id, into=existing, actor="system:test")
    assert [e[0] for e in _entries()] == ["backup.created"]
    assert existing.read_bytes() == b"precious"


def test_retention_deletes_with_one_entry_per_backup(db, shop, settings):
    settings.BACKUP_KEEP_FULL, settings.BACKUP_KEEP_DAYS = 1, 14
    made = []
    for hours, kind in ((0, "full"), (1, "incr"), (2, "full")):
        with use_clock(lambda h=hours: T0 + timedelta(hours=h)):
            made.append(actions.run_backup(kind=kind, actor="system:test", db_path=shop.path))
    old_full, old_incr, new_full = made
    with use_clock(lambda: T0 + timedelta(days=30)):
        plan = actions.apply_retention(actor="system:retention")
    assert plan.delete == (old_incr.id, old_full.id)
    assert [b.id for b in actions.list_backups()] == [new_full.id]
    assert _entries()[3:] == [
        ("backup.deleted", f"backup:{old_incr.id}", "system:retention", canonical_json(
            {"type": "incr", "parent": old_full.id, "pages": old_incr.pages_stored, "bytes": old_incr.bytes_stored,
             "reason": "retention"})),
        ("backup.deleted", f"backup:{old_full.id}", "system:retention", canonical_json(
            {"type": "full", "parent": None, "pages": old_full.pages_stored, "bytes": old_full.bytes_stored,
             "reason": "retention"})),
    ]


def test_a_restore_into_the_live_database_is_recorded_after_it_takes_its_place(transactional_db, shop, monkeypatch,
                                                                               tmp_path):
    full = actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    live = tmp_path / "live.sqlite3"
    live.write_bytes(b"a damaged live database")
    monkeypatch.setattr(actions, "live_database_path", lambda: live)
    actions.restore_backup(to_id=full.id, into=live, actor="user:1", force=True)
    assert rows_of(live) == shop.rows()
    assert [(e[0], e[1]) for e in _entries()] == [("backup.created", f"backup:{full.id}"),
                                                  ("backup.restored", f"backup:{full.id}")]
