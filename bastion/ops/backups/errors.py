"""What can go wrong with a backup, as exceptions whose message is the one line an operator reads.

BackupError is the only type interfaces need to catch: the CLI prints its message and exits 1,
the periodic tasks log it. CorruptBackup carries every finding of a verification, so a failed
restore can say which chunk of which backup is damaged.
"""

from __future__ import annotations

from dataclasses import dataclass


class BackupError(Exception):
    """A backup, verification, restore or retention step failed; nothing half-done is visible."""


class BackupKeyError(BackupError):
    """The backup key is missing, unreadable, badly protected or not 32 bytes."""


class NoFullBackup(BackupError):
    """A differential or incremental was asked for before any full backup exists."""


@dataclass(frozen=True)
class Finding:
    """One problem found by verification: which backup, which file in it, what is wrong."""

    backup_id: str
    file: str
    problem: str

    def __str__(self) -> str:
        return f"{self.backup_id}/{self.file}: {self.problem}"


class CorruptBackup(BackupError):
    """Verification found problems; the message names the first, `findings` holds them all."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        more = f" (and {len(findings) - 1} more problems)" if len(findings) > 1 else ""
        super().__init__(f"{findings[0]}{more}" if findings else "backup is damaged")
