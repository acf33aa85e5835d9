"""The backup key: where it comes from, and the separate keys derived from it.

One 32-byte secret (BACKUP_KEY as base64, or a 0600 BACKUP_KEY_FILE) is stretched with HKDF
into independent keys, one per purpose, so the key that wraps data keys is never also the key
that authenticates manifests or hashes pages. The key id lets verification say "wrong key"
instead of the vaguer "manifest tampered".

Development and test create a key file on first use; production refuses to invent one, because
a backup encrypted with a key nobody has kept is not a backup.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bastion.ops.backups.errors import BackupKeyError

KEY_BYTES = 32


def _derive(key: bytes, purpose: str, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None,
                info=f"bastion-backup/1 {purpose}".encode()).derive(key)


@dataclass(frozen=True, repr=False)
class BackupKeys:
    """Purpose-bound keys derived from the backup key; repr never shows key material."""

    key_id: str
    wrap_key: bytes
    manifest_key: bytes
    page_hash_key: bytes

    @classmethod
    def derive(cls, key: bytes) -> BackupKeys:
        if len(key) != KEY_BYTES:
            raise BackupKeyError(f"the backup key must be {KEY_BYTES} bytes, not {len(key)}")
        return cls(key_id=_derive(key, "key-id", 8).hex(), wrap_key=_derive(key, "wrap"),
                   manifest_key=_derive(key, "manifest"), page_hash_key=_derive(key, "page-hash"))

    def __repr__(self) -> str:
        return f"BackupKeys(key_id={self.key_id!r})"


def decode_key(text: str, *, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupKeyError(f"{source} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise BackupKeyError(f"{source} must decode to {KEY_BYTES} bytes, not {len(key)}")
    return key


def _read_key_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if stat.S_IMODE(mode) & 0o077:
        raise BackupKeyError(f"backup key file {path} is readable by others "
                             f"(mode {stat.S_IMODE(mode):04o}); run chmod 600 {path}")
    return decode_key(path.read_text(), source=f"backup key file {path}")


def _create_key_file(path: Path) -> None:
    """Write a new key without a window where a half-written or world-readable file exists.

    The key goes to a private temporary file first and is then hard-linked into place, which
    fails if another process won the race; both then read the same, complete key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()


def load_backup_key(*, env_key: str, key_file: Path | None, may_generate: bool) -> bytes:
    """The backup key from BACKUP_KEY, else BACKUP_KEY_FILE, else (not in production) a new file."""
    if env_key:
        return decode_key(env_key, source="BACKUP_KEY")
    if key_file is not None and key_file.exists():
        return _read_key_file(key_file)
    if not may_generate or key_file is None:
        raise BackupKeyError("no backup key: set BACKUP_KEY (base64 of 32 bytes) or BACKUP_KEY_FILE "
                             "(a 0600 file); production never writes an unencrypted backup")
    _create_key_file(key_file)
    return _read_key_file(key_file)
