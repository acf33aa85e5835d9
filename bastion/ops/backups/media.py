"""The backup media folder: one directory per backup, published atomically, listed as a catalog.

A backup is written into `.tmp-<id>/` in the same folder, every file and the directory are
fsynced, and only then is it renamed to `<id>/`: a crash or a full disk leaves at most a hidden
temporary directory, never a half-written backup. Deletion renames to `.trash-<id>/` first for
the same reason. One lock file serialises writers (scheduled jobs, the CLI, retention), so
"the previous backup" is well defined; hidden leftovers are swept while holding it.

Writes go through `write_file`, the one place a test replaces to simulate a full disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bastion.ops.backups.errors import BackupError
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import (
    BACKUP_ID,
    MANIFEST_FILE,
    Manifest,
    ManifestError,
    digest,
    open_manifest,
)

LOCK_FILE = ".lock"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class CatalogEntry:
    """One backup folder: its manifest when it reads back, or why it does not."""

    id: str
    manifest: Manifest | None
    manifest_digest: str | None
    size_bytes: int
    problem: str | None = None


class BackupMedia:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- locking and leftovers ------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.sweep_leftovers()
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def sweep_leftovers(self) -> None:
        """Remove temporary and trash directories of interrupted runs (only called under the lock)."""
        for path in self.root.iterdir():
            if path.is_dir() and path.name.startswith((".tmp-", ".trash-")):
                shutil.rmtree(path, ignore_errors=True)

    # -- writing ------------------------------------------------------------------------------
    def staging_dir(self, backup_id: str) -> Path:
        path = self.root / f".tmp-{backup_id}"
        path.mkdir(mode=0o700)
        return path

    def write_file(self, path: Path, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)

    def publish(self, staging: Path, backup_id: str) -> None:
        fsync_dir(staging)
        os.rename(staging, self.root / backup_id)  # fails rather than replace an existing backup
        fsync_dir(self.root)

    def discard(self, staging: Path, backup_id: str) -> None:
        """Undo a staged (or just published, when its ledger entry failed) backup."""
        published = self.root / backup_id
        if published.exists() and not staging.exists():
            self.delete(backup_id)
        shutil.rmtree(staging, ignore_errors=True)

    def delete(self, backup_id: str) -> None:
        trash = self.root / f".trash-{backup_id}"
        os.rename(self.root / self._checked(backup_id), trash)
        fsync_dir(self.root)
        shutil.rmtree(trash)

    # -- reading ------------------------------------------------------------------------------
    def _checked(self, backup_id: str) -> str:
        if not BACKUP_ID.match(backup_id):
            raise BackupError(f"{backup_id!r} is not a backup id")
        return backup_id

    def path_of(self, backup_id: str) -> Path:
        return self.root / self._checked(backup_id)

    def ids(self) -> list[str]:
        """Published backup ids, oldest first (ids start with a sequence number)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and BACKUP_ID.match(p.name))

    def resolve(self, text: str) -> str:
        """A full id, or an unambiguous prefix of one such as its sequence number."""
        ids = self.ids()
        if text in ids:
            return text
        matches = [i for i in ids if i.startswith(text)] if text else []
        if len(matches) == 1:
            return matches[0]
        raise BackupError(f"no backup {text!r} in {self.root}" if not matches
                          else f"{text!r} matches {len(matches)} backups; give the full id")

    def read_chunk(self, backup_id: str, file: str) -> bytes:
        return (self.path_of(backup_id) / file).read_bytes()

    def load(self, backup_id: str, keys: BackupKeys) -> tuple[Manifest, str]:
        """The authenticated manifest of one backup and the SHA-256 of its file."""
        path = self.path_of(backup_id) / MANIFEST_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ManifestError("manifest.json is missing") from exc
        return open_manifest(data, keys, expected_id=backup_id), digest(data)

    def catalog(self, keys: BackupKeys) -> list[CatalogEntry]:
        entries = []
        for backup_id in self.ids():
            folder = self.root / backup_id
            size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
            try:
                manifest, manifest_digest = self.load(backup_id, keys)
            except (ManifestError, OSError) as exc:
                entries.append(CatalogEntry(backup_id, None, None, size, str(exc)))
            else:
                entries.append(CatalogEntry(backup_id, manifest, manifest_digest, size))
        return entries
