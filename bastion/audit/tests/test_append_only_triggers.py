"""The database itself refuses to change or remove ledger rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import IntegrityError, connection, transaction

from bastion.audit.actions import write_checkpoint
from bastion.audit.immutability import missing_append_only_triggers
from bastion.audit.models import Checkpoint, LedgerEntry, LedgerHead
from bastion.audit.tests.ledger_rows import append_entries
from bastion.testing.ledger import ledger_unlocked

pytestmark = pytest.mark.django_db


def _rows():
    return (list(LedgerEntry.objects.values_list("seq", "actor", "payload", "entry_hash")),
            list(Checkpoint.objects.values_list("tree_size", "root_hash", "signature")),
            list(LedgerHead.objects.values_list("seq", "entry_hash")))


def _refused(change, match: str = "append-only") -> None:
    """`change` fails in the database, and nothing changed."""
    before = _rows()
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        change()
    assert _rows() == before


@pytest.fixture
def ledger():
    append_entries(3)
    write_checkpoint()
    return LedgerEntry.objects.get(seq=2)


def test_every_trigger_is_installed_by_the_migrations():
    assert missing_append_only_triggers(connection) == []


def test_orm_updates_of_entries_are_refused(ledger):
    _refused(lambda: LedgerEntry.objects.filter(seq=2).update(payload='{"forged":true}'))
    ledger.actor = "user:forged"
    _refused(ledger.save)


def test_orm_deletes_of_entries_are_refused(ledger):
    _refused(lambda: LedgerEntry.objects.filter(seq=2).delete())
    _refused(ledger.delete)
    _refused(lambda: LedgerEntry.objects.all().delete())


def test_raw_sql_updates_and_deletes_of_entries_are_refused(ledger):
    def execute(sql):
        return lambda: connection.cursor().execute(sql)

    _refused(execute("UPDATE audit_ledgerentry SET action = 'thing.undone' WHERE seq = 2"))
    _refused(execute("UPDATE audit_ledgerentry SET seq = seq + 100"))
    _refused(execute("DELETE FROM audit_ledgerentry WHERE seq = 3"))
    _refused(execute("DELETE FROM audit_ledgerentry"))


def test_checkpoints_cannot_be_changed_or_removed(ledger):
    checkpoint = Checkpoint.objects.get()
    _refused(lambda: Checkpoint.objects.update(root_hash="0" * 64))
    _refused(lambda: connection.cursor().execute("UPDATE audit_checkpoint SET tree_size = 1"))
    _refused(checkpoint.delete)
    _refused(lambda: connection.cursor().execute("DELETE FROM audit_checkpoint"))


def test_the_head_only_advances_to_the_entry_just_appended(ledger):
    rule = "only advances"
    _refused(lambda: LedgerHead.objects.update(seq=2, entry_hash=ledger.entry_hash), rule)
    _refused(lambda: LedgerHead.objects.update(seq=4, entry_hash="a" * 64), rule)
    _refused(lambda: connection.cursor().execute("UPDATE audit_ledgerhead SET seq = 3, entry_hash = 'x'"), rule)
    _refused(lambda: LedgerHead.objects.all().delete())
    append_entries(1, start=3)  # the one legitimate change still works
    assert LedgerHead.objects.get().seq == 4


def test_the_flush_sql_is_refused_without_the_test_helper(ledger):
    _refused(lambda: connection.ops.execute_sql_flush(sql_flush(no_style(), connection)))


@pytest.mark.postgres
def test_truncate_is_refused_on_postgres(ledger):
    for table in ("audit_ledgerentry", "audit_checkpoint", "audit_ledgerhead"):
        _refused(lambda table=table: connection.cursor().execute(f"TRUNCATE {table} CASCADE"))


def test_the_unlock_helper_puts_the_triggers_back_even_when_its_block_fails(ledger):
    with pytest.raises(ZeroDivisionError), ledger_unlocked():
        assert missing_append_only_triggers(connection)
        LedgerEntry.objects.filter(seq=3).delete()
        1 / 0  # noqa: B018
    assert missing_append_only_triggers(connection) == []
    assert LedgerEntry.objects.count() == 3  # the delete rolled back with the failed block
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=3).update(actor="user:forged")
    assert missing_append_only_triggers(connection) == []
    _refused(lambda: LedgerEntry.objects.filter(seq=3).update(actor="user:again"))


@pytest.mark.django_db(transaction=True)
def test_a_transactional_tests_flush_empties_the_ledger_and_keeps_the_triggers():
    """What pytest-django does after every live_server or transaction=True test."""
    append_entries(2)
    call_command("flush", interactive=False, verbosity=0)
    assert (LedgerEntry.objects.count(), LedgerHead.objects.count()) == (0, 0)
    assert missing_append_only_triggers(connection) == []
    append_entries(1)
    with pytest.raises(IntegrityError, match="append-only"):
        LedgerEntry.objects.update(actor="user:forged")
