"""Periodic operations jobs (huey): snapshot backups of the embedded SQLite database.

Weekly full, daily differential, hourly incremental, daily retention, at staggered minutes so
they rarely queue on the backup lock. On PostgreSQL every job returns at once: pgBackRest owns
those backups. A scheduled differential or incremental that finds no full backup yet (a new
shop) takes a full one, so the first week is never without a backup.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bastion.ops.backups import actions
from bastion.ops.backups.errors import NoFullBackup

ACTOR = "system:scheduler"
log = logging.getLogger(__name__)


def _embedded_sqlite() -> bool:
    return actions.live_database_path() is not None


def scheduled_backup(kind: str) -> str:
    if not _embedded_sqlite():
        return "skipped: the database is not SQLite (pgBackRest backs up PostgreSQL)"
    try:
        manifest = actions.run_backup(kind=kind, actor=ACTOR)
    except NoFullBackup:
        log.warning("no full backup yet: taking a full backup instead of %s", kind)
        manifest = actions.run_backup(kind="full", actor=ACTOR)
    return f"{manifest.id}: {manifest.pages_stored} pages, {manifest.bytes_stored} bytes"


def scheduled_retention() -> str:
    if not _embedded_sqlite():
        return "skipped: the database is not SQLite (pgBackRest backs up PostgreSQL)"
    plan = actions.apply_retention(actor=ACTOR)
    return f"kept {len(plan.keep)}, deleted {len(plan.delete)}"


@db_periodic_task(crontab(day_of_week="0", hour="1", minute="5"))
def weekly_full_backup() -> str:
    return scheduled_backup("full")


@db_periodic_task(crontab(hour="1", minute="35"))
def daily_differential_backup() -> str:
    return scheduled_backup("diff")


@db_periodic_task(crontab(minute="50"))
def hourly_incremental_backup() -> str:
    return scheduled_backup("incr")


@db_periodic_task(crontab(hour="3", minute="20"))
def daily_backup_retention() -> str:
    return scheduled_retention()


@db_periodic_task(crontab(minute="*"))
def take_monitor_readings() -> int:
    from bastion.ops.monitors import record_readings

    return record_readings()
