"""Backups as an operation of the shop: settings, the live database, and the ledger.

The engine modules know nothing of Django; this module supplies the configured media folder and
key, finds the live SQLite file, and wraps each publish in the transaction that appends the
ledger entry, so a backup or restore exists exactly when its entry does. A restore into another
path is recorded in the live database; a restore into the live database itself is recorded in
the restored database once it has taken the live file's place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.ops.backups.engine import DEFAULT_CHUNK_PAGES, take_backup
from bastion.ops.backups.errors import BackupError
from bastion.ops.backups.keys import BackupKeys, load_backup_key
from bastion.ops.backups.manifest import Manifest
from bastion.ops.backups.media import BackupMedia, CatalogEntry
from bastion.ops.backups.pages import Progress
from bastion.ops.backups.restore import RestoreResult
from bastion.ops.backups.restore import restore_backup as restore_engine
from bastion.ops.backups.retention import BackupRef, RetentionPlan, plan_retention
from bastion.ops.backups.verify import VerifyReport, verify_chain


def configured_media() -> BackupMedia:
    return BackupMedia(Path(settings.BACKUP_DIR))


def configured_keys() -> BackupKeys:
    key_file = Path(settings.BACKUP_KEY_FILE) if settings.BACKUP_KEY_FILE else None
    return BackupKeys.derive(load_backup_key(env_key=settings.BACKUP_KEY, key_file=key_file,
                                             may_generate=not settings.PRODUCTION))


def live_database_path() -> Path | None:
    """The SQLite file the shop runs on, or None on PostgreSQL (pgBackRest backs that up)."""
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"] != "django.db.backends.sqlite3" or not name or ":memory:" in name or "mode=memory" in name:
        return None
    return Path(name)


def run_backup(*, kind: str, actor: str, db_path: Path | None = None, progress: Progress | None = None,
               chunk_pages: int = DEFAULT_CHUNK_PAGES) -> Manifest:
    """Take a backup of the live database (or `db_path`) and record `backup.created`."""
    source = db_path or live_database_path()
    if source is None:
        raise BackupError("the database is not an SQLite file; PostgreSQL is backed up by pgBackRest")

    def record(manifest: Manifest, publish: Callable[[], None]) -> None:
        with transaction.atomic(durable=True):
            append_entry(actor=actor, action="backup.created", subject=f"backup:{manifest.id}",
                         payload={"type": manifest.kind, "parent": manifest.parent,
                                  "pages": manifest.pages_stored, "bytes": manifest.bytes_stored})
            publish()

    return take_backup(db_path=source, media=configured_media(), keys=configured_keys(), kind=kind,
                       now=clock.now(), chunk_pages=chunk_pages, progress=progress, record=record)


def restore_backup(*, to_id: str, into: Path, actor: str, force: bool = False,
                   progress: Progress | None = None) -> RestoreResult:
    """Restore backup `to_id` into the file `into` and record `backup.restored`."""
    live = live_database_path()
    into_live = live is not None and Path(into).resolve() == live.resolve()

    def entry(result: RestoreResult) -> None:
        append_entry(actor=actor, action="backup.restored", subject=f"backup:{result.backup_id}",
                     payload={"type": result.kind, "parent": result.parent, "pages": result.pages,
                              "bytes": result.bytes, "into": str(result.into)})

    def record(result: RestoreResult, publish: Callable[[], None]) -> None:
        if into_live:  # nobody may hold the old file open when it is replaced
            connections.close_all()
            publish()
            with transaction.atomic(durable=True):
                entry(result)
        else:
            with transaction.atomic(durable=True):
                entry(result)
                publish()

    return restore_engine(media=configured_media(), keys=configured_keys(), to_id=to_id, into=Path(into),
                          force=force, progress=progress, record=record)


def verify_backup(*, backup_id: str, progress: Progress | None = None) -> VerifyReport:
    media = configured_media()
    with media.locked():
        return verify_chain(media=media, keys=configured_keys(), backup_id=media.resolve(backup_id),
                            progress=progress)


def list_backups() -> list[CatalogEntry]:
    return configured_media().catalog(configured_keys())


def apply_retention(*, actor: str) -> RetentionPlan:
    """Delete what the retention plan says, one ledger entry (`backup.deleted`) per backup."""
    media, keys = configured_media(), configured_keys()
    with media.locked():
        catalog = [e for e in media.catalog(keys) if e.manifest is not None]
        plan = plan_retention([BackupRef(e.id, e.manifest.kind, e.manifest.parent, e.manifest.created_at,
                                         e.manifest.seq) for e in catalog],
                              keep_full=settings.BACKUP_KEEP_FULL, keep_days=settings.BACKUP_KEEP_DAYS,
                              now=clock.now())
        manifests = {e.id: e.manifest for e in catalog}
        for backup_id in plan.delete:
            m = manifests[backup_id]
            with transaction.atomic(durable=True):
                append_entry(actor=actor, action="backup.deleted", subject=f"backup:{backup_id}",
                             payload={"type": m.kind, "parent": m.parent, "pages": m.pages_stored,
                                      "bytes": m.bytes_stored, "reason": "retention"})
                media.delete(backup_id)
    return plan
