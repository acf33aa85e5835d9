"""Retention: which backups to delete. A pure function, so its rules are tested without files.

Kept: the newest `keep_full` full backups, every differential and incremental younger than
`keep_days`, and (the rule that matters) every backup any kept backup depends on, transitively.
So a recent incremental keeps its whole chain, even a full older than the newest `keep_full`.
Everything else is deleted, newest first, so an interrupted run never leaves a kept-looking
backup without its parent. Damaged backups are not passed in and are never deleted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class BackupRef:
    id: str
    kind: str
    parent: str | None
    created_at: datetime
    seq: int


@dataclass(frozen=True)
class RetentionPlan:
    keep: frozenset[str]
    delete: tuple[str, ...]  # children before parents


def plan_retention(backups: Iterable[BackupRef], *, keep_full: int, keep_days: int,
                   now: datetime) -> RetentionPlan:
    if keep_full < 1:
        raise ValueError("keep_full must be at least 1: retention never deletes the last full backup")
    if keep_days < 0:
        raise ValueError("keep_days cannot be negative")
    by_id = {b.id: b for b in backups}
    newest_first = sorted(by_id.values(), key=lambda b: b.seq, reverse=True)
    fulls = [b for b in newest_first if b.kind == "full"][:keep_full]
    cutoff = now - timedelta(days=keep_days)
    recent = [b for b in newest_first if b.kind != "full" and b.created_at >= cutoff]
    keep: set[str] = set()
    for b in (*fulls, *recent):
        current: BackupRef | None = b
        while current is not None and current.id not in keep:
            keep.add(current.id)
            current = by_id.get(current.parent) if current.parent else None
    delete = tuple(b.id for b in newest_first if b.id not in keep)
    return RetentionPlan(keep=frozenset(keep), delete=delete)
