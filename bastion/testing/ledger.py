"""Test helpers for the append-only ledger (bastion/audit/immutability.py).

The production schema refuses UPDATE, DELETE and TRUNCATE of ledger rows with no bypass. Two
kinds of test still need to remove rows:

* every transactional test (live_server, transaction=True) ends with Django's `flush`, which
  empties every table (SQLite: DELETE FROM, PostgreSQL: TRUNCATE);
* tamper tests play an attacker who has database access.

Both do what such an attacker would do, drop the triggers, but inside one transaction that
re-creates them before it commits: other sessions never see the ledger unlocked, and an error
part-way rolls the drop back with everything else. Every other test runs with the triggers on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from bastion.audit.immutability import drop_append_only_triggers, install_append_only_triggers


@contextlib.contextmanager
def ledger_unlocked(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within this block (one transaction, or a savepoint inside a test's), ledger rows can be
    changed and deleted; the triggers are back when it ends, however it ends."""
    connection = connections[using]
    with transaction.atomic(using=using):
        drop_append_only_triggers(connection)
        yield
        install_append_only_triggers(connection)


@contextlib.contextmanager
def flush_keeps_ledger_triggers() -> Iterator[None]:
    """Run Django's `flush` command inside ledger_unlocked, for as long as the block lasts."""
    original = flush.Command.handle

    def handle(self, *args, **options):
        with ledger_unlocked(options.get("database") or DEFAULT_DB_ALIAS):
            return original(self, *args, **options)

    flush.Command.handle = handle
    try:
        yield
    finally:
        flush.Command.handle = original
