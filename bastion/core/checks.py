"""Bastion's own system checks, run by `bastion check` and `manage.py check [--deploy]`."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections


@register(Tags.security, deploy=True)
def production_mode(app_configs, **kwargs):
    problems = []
    if settings.PRODUCTION and settings.DEBUG:
        problems.append(Error("DEBUG is on in production mode.", id="bastion.E001",
                              hint="Unset DEBUG or set BASTION_ENV=development on a developer machine."))
    if settings.PRODUCTION and "console" in settings.EMAIL_BACKEND:
        problems.append(Warning("Mail goes to the console in production: nobody receives verification mail.",
                                id="bastion.W002"))
    return problems


@register(Tags.database)
def sqlite_durability(app_configs, databases=None, **kwargs):
    """The SQLite file must really be in WAL mode with synchronous=FULL (see settings.py)."""
    problems = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "sqlite" or connection.settings_dict["NAME"] in ("", ":memory:"):
            continue
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        if journal.lower() != "wal" and not connection.is_in_memory_db():
            problems.append(Error(f"SQLite journal_mode is {journal}, not WAL.", id="bastion.E010"))
        if synchronous != 2:
            problems.append(Error(f"SQLite synchronous is {synchronous}, not FULL (2).", id="bastion.E011"))
    return problems
