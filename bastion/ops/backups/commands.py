"""What `bastion backup …` and `bastion restore` print: progress bars, a table, one summary line.

bastion/cli.py only parses arguments and calls these. A BackupError becomes SystemExit with its
message, which the CLI prints as one line before exiting 1.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bastion.ops import litestream
from bastion.ops.backups import actions
from bastion.ops.backups.errors import BackupError
from bastion.ops.backups.pages import Progress as ProgressCallback

ACTOR = "system:cli"
PHASES = {"copy": "Copying a consistent snapshot", "hash": "Hashing pages", "write": "Sealing chunks",
          "verify": "Verifying chunks", "restore": "Writing pages"}
out = Console()
err = Console(stderr=True)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@contextlib.contextmanager
def _bars() -> Iterator[ProgressCallback]:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        tasks: dict[str, int] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(PHASES.get(phase, phase), total=total)
            progress.update(tasks[phase], completed=done, total=total)

        yield update


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    try:
        yield
    except BackupError as exc:
        raise SystemExit(str(exc)) from exc


def backup_run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with _one_line_errors(), _bars() as progress:
        m = actions.run_backup(kind=args.type, actor=ACTOR, progress=progress)
    based = f" on {m.parent}" if m.parent else ""
    out.print(f"backup {m.id} written: {m.kind}{based}, {m.pages_stored} of {m.page_count} pages, "
              f"{_size(m.bytes_stored)} stored, database {_size(m.database_bytes)}, "
              f"{time.monotonic() - started:.1f} s", highlight=False, soft_wrap=True)
    return 0


def backup_list(args: argparse.Namespace) -> int:
    with _one_line_errors():
        entries = actions.list_backups()
    table = Table(title=f"Backups in {actions.configured_media().root}")
    for column in ("id", "type", "parent", "created (UTC)", "size", "pages stored", "state"):
        table.add_column(column, no_wrap=column in {"id", "parent", "created (UTC)"})
    for e in entries:
        m = e.manifest
        if m is None:
            table.add_row(e.id, "?", "?", "?", _size(e.size_bytes), "?", f"[red]{e.problem}[/red]")
        else:
            table.add_row(e.id, m.kind, m.parent or "-", f"{m.created_at:%Y-%m-%d %H:%M:%S}", _size(e.size_bytes),
                          f"{m.pages_stored} / {m.page_count}", "[green]readable[/green]")
    out.print(table)
    damaged = sum(1 for e in entries if e.manifest is None)
    out.print(f"{len(entries)} backups, {_size(sum(e.size_bytes for e in entries))}"
              + (f", {damaged} damaged" if damaged else ""), highlight=False, soft_wrap=True)
    return 0


def backup_verify(args: argparse.Namespace) -> int:
    with _one_line_errors(), _bars() as progress:
        report = actions.verify_backup(backup_id=args.id, progress=progress)
    for finding in report.findings:
        out.print(f"[red]damaged[/red] {finding}", highlight=False, soft_wrap=True)
    chain = " -> ".join(report.chain) or report.backup_id
    if not report.ok:
        raise SystemExit(f"{report.backup_id} failed verification: {len(report.findings)} problems in {chain}")
    out.print(f"backup {report.backup_id} verified: {report.chunks_checked} chunks, "
              f"{_size(report.bytes_checked)} in {chain}", highlight=False, soft_wrap=True)
    return 0


def _as_time(value: str) -> datetime | None:
    """A restore target that reads as a time (2026-11-24T10:15:00Z) rather than a backup id."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else None
    except ValueError:
        return None


def restore(args: argparse.Namespace) -> int:
    started = time.monotonic()
    moment = _as_time(args.to)
    if moment is not None or args.to == "latest":
        # A time (or "latest") is a point-in-time restore from the Litestream replica.
        r = litestream.restore_to_time(timestamp=moment, into=Path(args.into), actor=ACTOR, force=args.force)
        when = r.timestamp.isoformat() if r.timestamp else "the latest replicated transaction"
        out.print(f"restored the replica as of {when} into {r.path}, {time.monotonic() - started:.1f} s",
                  highlight=False, soft_wrap=True)
        return 0
    with _one_line_errors(), _bars() as progress:
        r = actions.restore_backup(to_id=args.to, into=args.into, force=args.force, actor=ACTOR, progress=progress)
    out.print(f"restored {r.backup_id} into {r.into}: {r.pages} pages, {_size(r.bytes)}, "
              f"{sum(r.row_counts.values())} rows in {len(r.row_counts)} tables, integrity ok, "
              f"chain {' -> '.join(r.chain)}, {time.monotonic() - started:.1f} s", highlight=False, soft_wrap=True)
    return 0
