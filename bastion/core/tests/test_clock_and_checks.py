"""The injectable clock and Bastion's own system checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bastion.core import checks, clock
from bastion.core.clock import use_clock

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_clock_is_utc_and_aware():
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_use_clock_replaces_and_restores_even_after_an_error():
    real = clock.now()
    with pytest.raises(ZeroDivisionError), use_clock(lambda: T0):
        assert clock.now() == T0
        with use_clock(lambda: T0 + timedelta(hours=1)):
            assert clock.now() == T0 + timedelta(hours=1)
        assert clock.now() == T0
        1 / 0  # noqa: B018
    assert clock.now() >= real


def test_debug_in_production_is_an_error(settings):
    settings.PRODUCTION, settings.DEBUG = True, True
    assert [p.id for p in checks.production_mode(None)] == ["bastion.E001"]


def test_console_mail_in_production_is_a_warning(settings):
    settings.PRODUCTION, settings.DEBUG = True, False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [p.id for p in checks.production_mode(None)] == ["bastion.W002"]


def test_development_mode_is_not_checked_for_production_rules(settings):
    settings.PRODUCTION, settings.DEBUG = False, True
    assert checks.production_mode(None) == []


class _Cursor:
    def __init__(self, answers: dict):
        self.answers = answers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql: str):
        self.last = self.answers[sql]
        return self

    def fetchone(self):
        return (self.last,)


class _FakeSqlite:
    """A connection whose PRAGMA answers we choose, to see the durability check judge them."""

    vendor = "sqlite"

    def __init__(self, path: str, journal: str, synchronous: int):
        self.settings_dict = {"NAME": path}
        self.answers = {"PRAGMA journal_mode": journal, "PRAGMA synchronous": synchronous}

    def is_in_memory_db(self) -> bool:
        return False

    def cursor(self) -> _Cursor:
        return _Cursor(self.answers)


@pytest.mark.parametrize("journal,synchronous,expected", [
    ("wal", 2, []),
    ("delete", 2, ["bastion.E010"]),
    ("wal", 1, ["bastion.E011"]),
    ("delete", 0, ["bastion.E010", "bastion.E011"]),
])
def test_sqlite_durability_check(monkeypatch, journal, synchronous, expected):
    monkeypatch.setattr(checks, "connections", {"default": _FakeSqlite("/var/bastion.sqlite3", journal, synchronous)})
    assert [p.id for p in checks.sqlite_durability(None, databases=["default"])] == expected


def test_sqlite_durability_skips_in_memory_databases(monkeypatch):
    monkeypatch.setattr(checks, "connections", {"default": _FakeSqlite(":memory:", "memory", 0)})
    assert checks.sqlite_durability(None, databases=["default"]) == []
