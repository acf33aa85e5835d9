"""Taking a backup: consistent copy, page hashes, changed pages, sealed chunks, signed manifest.

full  stores every page;
diff  stores the pages that differ from the newest full backup;
incr  stores the pages that differ from the newest backup of any type.

Changes are found by comparing keyed page hashes of the copy with the list in the parent's
authenticated manifest; nothing relies on file times or on SQLite's change counters.

The caller passes `record(manifest, publish)`, which must call `publish()` exactly once (the
Django layer does it inside the transaction that appends the ledger entry). If anything fails,
before or after publishing, the backup disappears and the error says why.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bastion.ops.backups import pages as pg
from bastion.ops.backups.errors import BackupError, NoFullBackup
from bastion.ops.backups.facts import read_facts
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import (
    KINDS,
    MANIFEST_FILE,
    ChunkRecord,
    Manifest,
    ManifestError,
    backup_id_for,
    chunk_file,
    seal_manifest,
    seq_of,
)
from bastion.ops.backups.media import BackupMedia, CatalogEntry
from bastion.ops.backups.sealing import new_data_key, seal_chunk, wrap_data_key

DEFAULT_CHUNK_PAGES = 256  # 1 MiB of 4 KiB pages before compression
Record = Callable[[Manifest, Callable[[], None]], None]
KIND_NAMES = {"full": "a full", "diff": "a differential", "incr": "an incremental"}


def _publish_only(manifest: Manifest, publish: Callable[[], None]) -> None:
    publish()


def kind_of(backup_id: str) -> str:
    return backup_id.split("-")[1]


def choose_parent(kind: str, ids: list[str]) -> str | None:
    """The id a new backup of `kind` is based on, from the published ids (oldest first)."""
    if kind == "full":
        return None
    fulls = [i for i in ids if kind_of(i) == "full"]
    if not fulls:
        raise NoFullBackup(f"no full backup to base {KIND_NAMES[kind]} backup on; take a full backup first")
    return ids[-1] if kind == "incr" else fulls[-1]


def load_parent(media: BackupMedia, keys: BackupKeys, kind: str, parent_id: str) -> CatalogEntry:
    """Only the parent's manifest is read: its page hashes are what the new backup is compared with."""
    try:
        manifest, manifest_digest = media.load(parent_id, keys)
    except (ManifestError, OSError) as exc:
        raise BackupError(f"cannot base {KIND_NAMES[kind]} backup on {parent_id}: {exc}; "
                          "verify it, or take a full backup") from exc
    return CatalogEntry(parent_id, manifest, manifest_digest, 0)


def describe_os_error(exc: OSError, what: str) -> str:
    if exc.errno == errno.ENOSPC:
        return f"no space left on device while {what}"
    return f"{exc.strerror or exc} while {what}"


def _write_chunks(*, media: BackupMedia, staging: Path, snapshot: Path, backup_id: str, data_key: bytes,
                  plan: list[pg.Ranges], page_size: int, progress: pg.Progress | None) -> list[ChunkRecord]:
    chunks = []
    for index, ranges in enumerate(plan):
        sealed = seal_chunk(data_key, backup_id=backup_id, index=index,
                            plaintext=pg.read_ranges(snapshot, ranges, page_size))
        media.write_file(staging / chunk_file(index), sealed.ciphertext)
        chunks.append(ChunkRecord(index=index, file=chunk_file(index), ranges=ranges,
                                  plain_bytes=sealed.plain_bytes, plain_sha256=sealed.plain_sha256,
                                  cipher_bytes=len(sealed.ciphertext), cipher_sha256=sealed.cipher_sha256))
        if progress:
            progress("write", index + 1, len(plan))
    return chunks


def _stage(*, db_path: Path, media: BackupMedia, keys: BackupKeys, kind: str, now: datetime, staging: Path,
           backup_id: str, seq: int, parent: CatalogEntry | None, chunk_pages: int,
           progress: pg.Progress | None) -> Manifest:
    snapshot = staging / "snapshot.sqlite3"
    if progress:
        progress("copy", 0, 1)
    pg.copy_consistent(db_path, snapshot)
    if progress:
        progress("copy", 1, 1)
    page_size, page_count = pg.page_geometry(snapshot)
    hashes = pg.hash_pages(snapshot, key=keys.page_hash_key, page_size=page_size, page_count=page_count,
                           progress=progress)
    parent_manifest = parent.manifest if parent else None
    if parent_manifest and parent_manifest.page_size != page_size:
        raise BackupError(f"page size changed from {parent_manifest.page_size} to {page_size} since "
                          f"{parent_manifest.id}; take a full backup")
    changed = pg.changed_pages(hashes, parent_manifest.page_hashes if parent_manifest else None)
    data_key = new_data_key()
    chunks = _write_chunks(media=media, staging=staging, snapshot=snapshot, backup_id=backup_id, data_key=data_key,
                           plan=pg.plan_chunks(changed, pages_per_chunk=chunk_pages), page_size=page_size,
                           progress=progress)
    facts = read_facts(snapshot)
    snapshot.unlink()
    manifest = Manifest(
        id=backup_id, seq=seq, kind=kind, parent=parent.id if parent else None,
        parent_digest=parent.manifest_digest if parent else None, created_at=now, key_id=keys.key_id,
        wrapped_data_key=wrap_data_key(keys.wrap_key, data_key), page_size=page_size, page_count=page_count,
        page_hashes=hashes, chunks=chunks, schema=facts["schema"], row_counts=facts["row_counts"],
        ledger_head=facts["ledger_head"], source=str(db_path))
    media.write_file(staging / MANIFEST_FILE, seal_manifest(manifest, keys))
    return manifest


def take_backup(*, db_path: Path, media: BackupMedia, keys: BackupKeys, kind: str, now: datetime,
                chunk_pages: int = DEFAULT_CHUNK_PAGES, progress: pg.Progress | None = None,
                record: Record = _publish_only) -> Manifest:
    """Write one backup of `db_path` into `media` and publish it through `record`."""
    if kind not in KINDS:
        raise BackupError(f"backup type must be one of {', '.join(KINDS)}, not {kind!r}")
    if not Path(db_path).is_file():
        raise BackupError(f"database {db_path} does not exist")
    with media.locked():
        ids = media.ids()
        parent_id = choose_parent(kind, ids)
        parent = load_parent(media, keys, kind, parent_id) if parent_id else None
        seq = max((seq_of(i) for i in ids), default=0) + 1
        backup_id = backup_id_for(seq=seq, kind=kind, created_at=now)
        try:
            staging = media.staging_dir(backup_id)
        except OSError as exc:
            raise BackupError(f"backup {backup_id} failed: {describe_os_error(exc, 'creating its folder')}") from exc
        try:
            manifest = _stage(db_path=Path(db_path), media=media, keys=keys, kind=kind, now=now, staging=staging,
                              backup_id=backup_id, seq=seq, parent=parent, chunk_pages=chunk_pages,
                              progress=progress)
            record(manifest, lambda: media.publish(staging, backup_id))
        except BaseException as exc:
            media.discard(staging, backup_id)
            if isinstance(exc, OSError):
                raise BackupError(f"backup {backup_id} failed: {describe_os_error(exc, 'writing it to the backup media')}; "
                                  "earlier backups are untouched") from exc
            if isinstance(exc, (sqlite3.Error, ManifestError)):
                raise BackupError(f"backup {backup_id} failed: {exc}; earlier backups are untouched") from exc
            raise
    return manifest
