"""The witness file: every checkpoint, one JSON line each, kept outside the database.

Why: someone who can rewrite the database (and has the signing key, which sits on the same
machine) can rewrite entries, checkpoints and signatures consistently. They cannot un-write
what was already appended here, fsynced, and ideally shipped off the machine. `verify` then
requires every witnessed checkpoint to be in the database unchanged and the database's tree to
extend the last witnessed one.

Lines are canonical JSON with tree_size, root_hash, signed_at, signature and key_id, appended
with O_APPEND under an exclusive lock and fsynced before the writer returns.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from bastion.audit.chain import canonical_json
from bastion.audit.signing import format_signed_at

FIELDS = ("tree_size", "root_hash", "signed_at", "signature", "key_id")


class WitnessError(Exception):
    """The witness file cannot be read as a list of checkpoints."""


@dataclass(frozen=True)
class WitnessRecord:
    line: int
    tree_size: int
    root_hash: str
    signed_at: str
    signature: str
    key_id: str

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FIELDS}


def witness_path() -> Path:
    return Path(settings.AUDIT_WITNESS_FILE)


@contextlib.contextmanager
def exclusive() -> Iterator[None]:
    """Serialise checkpoint writers on this machine, so the file stays in tree-size order."""
    path = witness_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def append(record: dict[str, object]) -> None:
    """Append one line and fsync it (and the directory, when the file is new)."""
    path = witness_path()
    created = not path.exists()
    line = canonical_json({name: record[name] for name in FIELDS}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _parse(number: int, text: str) -> WitnessRecord:
    try:
        value = json.loads(text)
        record = WitnessRecord(number, *(value[name] for name in FIELDS))
    except (ValueError, KeyError, TypeError) as exc:
        raise WitnessError(f"line {number} of the witness file {witness_path()} is not a checkpoint") from exc
    if not isinstance(record.tree_size, int) or isinstance(record.tree_size, bool) or record.tree_size < 1 or not all(
            isinstance(getattr(record, name), str) for name in FIELDS[1:]):
        raise WitnessError(f"line {number} of the witness file {witness_path()} is not a checkpoint")
    return record


def read() -> list[WitnessRecord] | None:
    """Every record in file order; None when there is no witness file."""
    path = witness_path()
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as file:
        return [_parse(number, text) for number, text in enumerate(file, start=1) if text.strip()]


def last_tree_size() -> int:
    """The tree size of the last line (0 when none or unreadable: the writer then witnesses again)."""
    path = witness_path()
    if not path.exists():
        return 0
    with open(path, "rb") as file:
        file.seek(0, os.SEEK_END)
        file.seek(max(0, file.tell() - 8192))
        lines = [line for line in file.read().splitlines() if line.strip()]
    try:
        return _parse(0, lines[-1].decode()).tree_size if lines else 0
    except (WitnessError, UnicodeDecodeError):
        return 0


def checkpoint_record(checkpoint) -> dict[str, object]:
    """A checkpoint row as the witness (and an exported proof) writes it."""
    return {"tree_size": checkpoint.tree_size, "root_hash": checkpoint.root_hash,
            "signed_at": format_signed_at(checkpoint.signed_at), "signature": checkpoint.signature,
            "key_id": checkpoint.key_id}
