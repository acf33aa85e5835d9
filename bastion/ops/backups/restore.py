"""Restore: rebuild a database file from a full backup plus its differential and incrementals.

Nothing is written until the whole chain verifies. The file is rebuilt next to its destination
under a hidden temporary name, page by page in chain order (each backup's pages overwrite its
parents', then the file is cut to that backup's page count). Before it takes the destination
name, three checks must pass: every page hashes to the target manifest's list (the file is the
exact copy that was backed up), PRAGMA integrity_check, and row counts per table.

Replacing an existing file needs force=True; its -wal, -shm and -journal files are removed
first, because SQLite would otherwise replay the old database's log into the restored one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bastion.ops.backups import pages as pg
from bastion.ops.backups.engine import describe_os_error
from bastion.ops.backups.errors import BackupError, CorruptBackup, Finding
from bastion.ops.backups.facts import integrity_problems, read_facts
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import Manifest
from bastion.ops.backups.media import BackupMedia, fsync_dir
from bastion.ops.backups.sealing import SealError
from bastion.ops.backups.verify import data_key_of, load_chain, read_chunk, verify_chain

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class RestoreResult:
    backup_id: str
    kind: str
    parent: str | None
    into: Path
    chain: list[str]
    pages: int
    bytes: int
    row_counts: dict[str, int]


RestoreRecord = Callable[[RestoreResult, Callable[[], None]], None]


def _publish_only(result: RestoreResult, publish: Callable[[], None]) -> None:
    publish()


def _rebuild(fd: int, chain: list[Manifest], media: BackupMedia, keys: BackupKeys,
             progress: pg.Progress | None) -> None:
    total, done = sum(len(m.chunks) for m in chain), 0
    for manifest in chain:
        data_key = data_key_of(manifest, keys)
        for chunk in manifest.chunks:
            try:
                plain = read_chunk(media, manifest, data_key, chunk)
            except SealError as exc:  # changed since verification
                raise CorruptBackup([Finding(manifest.id, chunk.file, str(exc))]) from exc
            offset = 0
            for first, last in chunk.ranges:
                length = (last - first + 1) * manifest.page_size
                os.pwrite(fd, plain[offset:offset + length], (first - 1) * manifest.page_size)
                offset += length
            done += 1
            if progress:
                progress("restore", done, total)
        os.ftruncate(fd, manifest.database_bytes)
    os.fsync(fd)


def _check(path: Path, target: Manifest, keys: BackupKeys) -> None:
    hashes = pg.hash_pages(path, key=keys.page_hash_key, page_size=target.page_size, page_count=target.page_count)
    for pgno, (got, want) in enumerate(zip(hashes, target.page_hashes, strict=True), start=1):
        if got != want:
            raise BackupError(f"restored file differs from backup {target.id} at page {pgno}")
    if problems := integrity_problems(path):
        raise BackupError(f"restored database fails PRAGMA integrity_check: {'; '.join(problems[:3])}")
    counts = read_facts(path)["row_counts"]
    if counts != target.row_counts:
        differ = sorted(t for t in set(counts) | set(target.row_counts) if counts.get(t) != target.row_counts.get(t))
        raise BackupError(f"restored row counts differ from backup {target.id} in {', '.join(differ)}")


def _publish(temp: Path, into: Path, *, force: bool) -> None:
    if force:
        for suffix in SIDE_FILES:
            Path(f"{into}{suffix}").unlink(missing_ok=True)
        os.replace(temp, into)
    else:
        os.link(temp, into)  # fails if the file appeared since we looked
        temp.unlink()
    fsync_dir(into.parent)


def _remove(temp: Path) -> None:
    for path in (temp, *(Path(f"{temp}{suffix}") for suffix in SIDE_FILES)):
        path.unlink(missing_ok=True)


def restore_backup(*, media: BackupMedia, keys: BackupKeys, to_id: str, into: Path, force: bool = False,
                   progress: pg.Progress | None = None, record: RestoreRecord = _publish_only) -> RestoreResult:
    """Rebuild the database as it was at backup `to_id` into the file `into`."""
    into = Path(into).absolute()
    if into.is_dir():
        raise BackupError(f"{into} is a folder; give the path of the database file to create")
    if into.exists() and not force:
        raise BackupError(f"{into} exists; restore replaces an existing file only when forced (--force)")
    if not into.parent.is_dir():
        raise BackupError(f"folder {into.parent} does not exist")
    with media.locked():
        to_id = media.resolve(to_id)
        report = verify_chain(media=media, keys=keys, backup_id=to_id, progress=progress)
        if not report.ok:
            raise CorruptBackup(report.findings)
        chain, _ = load_chain(media, keys, to_id)
        target = chain[-1]
        temp = into.with_name(f".{into.name}.restore-{secrets.token_hex(4)}")
        try:
            fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                _rebuild(fd, chain, media, keys, progress)
            finally:
                os.close(fd)
            _check(temp, target, keys)
            result = RestoreResult(backup_id=target.id, kind=target.kind, parent=target.parent, into=into,
                                   chain=[m.id for m in chain], pages=target.page_count,
                                   bytes=target.database_bytes, row_counts=target.row_counts)
            record(result, lambda: _publish(temp, into, force=force))
        except BaseException as exc:
            _remove(temp)
            if isinstance(exc, OSError):
                raise BackupError(f"restore of {to_id} failed: {describe_os_error(exc, f'writing {into}')}; "
                                  "nothing was replaced") from exc
            raise
    return result
