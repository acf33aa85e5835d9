"""Database triggers that make the ledger append-only, on SQLite and PostgreSQL.

Why in the database: every code path (ORM, raw SQL, an admin action, a shell) goes through it.
It stops mistakes and the application's own bugs; it does not stop someone who may drop
triggers (the table owner can). The hash chain, the signed checkpoints and the witness file
are what catch that person; `bastion audit verify` also reports missing triggers.

Refused: UPDATE, DELETE (and TRUNCATE on PostgreSQL) of ledger entries and checkpoints, and
DELETE of the head. The head may only advance by one, to the entry just appended under it.
There is no bypass marker: the production schema always refuses. The test suite, whose
transactional tests flush every table, drops and re-creates the triggers in the same
transaction as the flush (bastion/testing/ledger.py), so no other session ever sees them gone.

One definition serves the migration and the tests. SQLite's "remake table" migrations drop a
table's triggers: a future migration that alters these tables must call install again
(tests/test_append_only_triggers.py checks they exist after all migrations).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

REFUSED = "is append-only"
_ENTRY, _CHECKPOINT, _HEAD = "audit_ledgerentry", "audit_checkpoint", "audit_ledgerhead"
_HEAD_RULE = "audit_ledgerhead only advances to the entry just appended"
_HEAD_ADVANCES = (
    "NEW.id = OLD.id AND NEW.seq = OLD.seq + 1 AND EXISTS (SELECT 1 FROM audit_ledgerentry e "
    "WHERE e.seq = NEW.seq AND e.entry_hash = NEW.entry_hash AND e.prev_hash = OLD.entry_hash)"
)


def _sqlite_refuse(table: str, op: str) -> tuple[str, str, str]:
    name = f"{table}_refuse_{op.lower()}"
    return name, table, (f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                         f"BEGIN SELECT RAISE(ABORT, '{table} {REFUSED}: {op} refused'); END")


SQLITE_TRIGGERS: list[tuple[str, str, str]] = [
    _sqlite_refuse(_ENTRY, "UPDATE"), _sqlite_refuse(_ENTRY, "DELETE"),
    _sqlite_refuse(_CHECKPOINT, "UPDATE"), _sqlite_refuse(_CHECKPOINT, "DELETE"),
    _sqlite_refuse(_HEAD, "DELETE"),
    ("audit_ledgerhead_advances", _HEAD,
     f"CREATE TRIGGER audit_ledgerhead_advances BEFORE UPDATE ON {_HEAD} WHEN NOT ({_HEAD_ADVANCES}) "
     f"BEGIN SELECT RAISE(ABORT, '{_HEAD_RULE}'); END"),
]

POSTGRES_FUNCTIONS = [
    # restrict_violation (23001) so Django raises IntegrityError on both engines.
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
    MESSAGE = TG_TABLE_NAME || ' {REFUSED}: ' || TG_OP || ' refused';
END $$""",
    f"""CREATE OR REPLACE FUNCTION audit_head_advances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {_HEAD_ADVANCES} THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{_HEAD_RULE}';
END $$""",
]


def _pg(name: str, table: str, when: str, level: str, function: str) -> tuple[str, str, str]:
    return name, table, f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH {level} EXECUTE FUNCTION {function}()"


POSTGRES_TRIGGERS: list[tuple[str, str, str]] = [
    _pg("audit_ledgerentry_append_only", _ENTRY, "UPDATE OR DELETE", "ROW", "audit_refuse_change"),
    _pg("audit_ledgerentry_no_truncate", _ENTRY, "TRUNCATE", "STATEMENT", "audit_refuse_change"),
    _pg("audit_checkpoint_append_only", _CHECKPOINT, "UPDATE OR DELETE", "ROW", "audit_refuse_change"),
    _pg("audit_checkpoint_no_truncate", _CHECKPOINT, "TRUNCATE", "STATEMENT", "audit_refuse_change"),
    _pg("audit_ledgerhead_advances", _HEAD, "UPDATE", "ROW", "audit_head_advances"),
    _pg("audit_ledgerhead_no_delete", _HEAD, "DELETE", "ROW", "audit_refuse_change"),
    _pg("audit_ledgerhead_no_truncate", _HEAD, "TRUNCATE", "STATEMENT", "audit_refuse_change"),
]


def _triggers(connection: BaseDatabaseWrapper) -> list[tuple[str, str, str]]:
    if connection.vendor == "sqlite":
        return SQLITE_TRIGGERS
    if connection.vendor == "postgresql":
        return POSTGRES_TRIGGERS
    # settings.py accepts only SQLite and PostgreSQL; any other engine is a configuration error.
    raise ImproperlyConfigured(f"the ledger supports SQLite and PostgreSQL, not {connection.vendor}")


def install_append_only_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) every trigger; idempotent."""
    drop_append_only_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in POSTGRES_FUNCTIONS:
                cursor.execute(sql)
        for _, _, sql in _triggers(connection):
            cursor.execute(sql)


def drop_append_only_triggers(connection: BaseDatabaseWrapper, *, functions: bool = False) -> None:
    with connection.cursor() as cursor:
        for name, table, _ in _triggers(connection):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" if connection.vendor == "sqlite"
                           else f"DROP TRIGGER IF EXISTS {name} ON {table}")
        if functions and connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS audit_refuse_change(), audit_head_advances()")


def missing_append_only_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the triggers that are absent (or disabled, on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        present = {row[0] for row in cursor.fetchall()}
    return [name for name, _, _ in _triggers(connection) if name not in present]
