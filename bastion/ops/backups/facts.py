"""Facts about a database copy that a restore is checked against, read from the copy itself.

Reading them from the consistent copy (not the live database) means the row counts, schema
version and ledger head describe exactly the pages that were stored, so a restore can compare
them one for one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bastion.ops.backups.pages import open_copy


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY name").fetchall()
    return [name for (name,) in rows]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]  # noqa: S608 (quoted name)
            for table in _tables(conn)}


def schema_version(conn: sqlite3.Connection, tables: list[str]) -> dict[str, str]:
    """The latest applied migration of each app, from django_migrations when there is one."""
    if "django_migrations" not in tables:
        return {}
    rows = conn.execute("SELECT app, name FROM django_migrations WHERE id IN "
                        "(SELECT MAX(id) FROM django_migrations GROUP BY app) ORDER BY app").fetchall()
    return dict(rows)


def ledger_head(conn: sqlite3.Connection, tables: list[str]) -> dict[str, Any] | None:
    if "audit_ledgerhead" not in tables:
        return None
    row = conn.execute("SELECT seq, entry_hash FROM audit_ledgerhead ORDER BY id LIMIT 1").fetchone()
    return {"seq": row[0], "entry_hash": row[1]} if row else None


def read_facts(path: Path) -> dict[str, Any]:
    """schema, row_counts and ledger_head of a copy nobody writes."""
    conn = open_copy(path)
    try:
        tables = _tables(conn)
        return {"schema": schema_version(conn, tables), "row_counts": row_counts(conn),
                "ledger_head": ledger_head(conn, tables)}
    finally:
        conn.close()


def integrity_problems(path: Path) -> list[str]:
    """PRAGMA integrity_check of a copy: an empty list when SQLite finds the file sound."""
    conn = open_copy(path)
    try:
        rows = [message for (message,) in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows
