"""The hash-chained ledger: appending in the caller's transaction, and naming the first bad entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import transaction

from bastion.audit.actions import append_entry
from bastion.audit.chain import GENESIS_HASH, canonical_json, entry_hash
from bastion.audit.models import LedgerEntry, LedgerHead
from bastion.audit.verify import verify_chain
from bastion.core.clock import use_clock
from bastion.testing.ledger import ledger_unlocked

T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)


def _append(n: int) -> list[LedgerEntry]:
    entries = []
    with transaction.atomic():
        for i in range(n):
            entries.append(append_entry(actor=f"user:{i}", action="thing.done", subject=f"thing:{i}",
                                        payload={"n": i, "name": "Tèa ☕"}))
    return entries


def _edit(filters: dict, **values) -> None:
    """Change rows as an intruder with the table owner's rights would (append-only triggers dropped)."""
    with ledger_unlocked():
        assert LedgerEntry.objects.filter(**filters).update(**values) >= 1


def _delete(**filters) -> None:
    with ledger_unlocked():
        assert LedgerEntry.objects.filter(**filters).delete()[0] >= 1


def test_append_outside_a_transaction_is_refused():
    # No database marker: the refusal must come before any query.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        append_entry(actor="user:1", action="thing.done", subject="thing:1")


@pytest.mark.django_db
def test_entries_are_chained_from_genesis():
    with use_clock(lambda: T0):
        first, second = _append(2)
    assert (first.seq, first.prev_hash, second.seq, second.prev_hash) == (1, GENESIS_HASH, 2, first.entry_hash)
    assert first.entry_hash == entry_hash(seq=1, recorded_at=T0, actor="user:0", action="thing.done",
                                          subject="thing:0", payload='{"n":0,"name":"Tèa ☕"}',
                                          prev_hash=GENESIS_HASH)
    head = LedgerHead.objects.get(id=1)
    assert (head.seq, head.entry_hash) == (2, second.entry_hash)


@pytest.mark.django_db
def test_stored_payload_is_canonical_json():
    with transaction.atomic():
        entry = append_entry(actor="system:test", action="thing.done", subject="thing:1",
                             payload={"b": 1, "a": [1, 2], "when": T0})
    stored = LedgerEntry.objects.get(pk=entry.pk).payload
    assert stored == '{"a":[1,2],"b":1,"when":"2026-03-01 09:00:00.123456+00:00"}'
    assert json.loads(stored)["a"] == [1, 2]


def test_canonical_json_is_one_text_for_one_value():
    assert canonical_json({"b": 1, "a": {"d": 2, "c": "é"}}) == canonical_json({"a": {"c": "é", "d": 2}, "b": 1})
    assert canonical_json({"a": "é"}) == '{"a":"é"}'


@pytest.mark.django_db
def test_an_entry_rolls_back_with_the_change_it_records():
    _append(1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        append_entry(actor="user:1", action="thing.done", subject="thing:2")
        1 / 0  # noqa: B018
    assert list(LedgerEntry.objects.values_list("seq", flat=True)) == [1]
    assert LedgerHead.objects.get(id=1).seq == 1
    assert verify_chain().ok


@pytest.mark.django_db
def test_an_intact_chain_verifies():
    _append(5)
    report = verify_chain(batch_size=2)
    assert (report.entries, report.ok, report.first_bad_seq, report.reason) == (5, True, None, "")


@pytest.mark.django_db
def test_an_empty_ledger_verifies():
    report = verify_chain()
    assert (report.entries, report.ok) == (0, True)


@pytest.mark.django_db
def test_time_from_a_clock_in_another_zone_still_verifies():
    # The instant is what counts: the database gives it back in UTC.
    shanghai = timezone(timedelta(hours=8))
    with use_clock(lambda: datetime(2026, 3, 1, 17, 0, tzinfo=shanghai)):
        _append(2)
    assert verify_chain().ok


@pytest.mark.django_db
def test_edited_payload_is_found():
    _append(4)
    _edit({"seq": 3}, payload='{"n":300,"name":"Tèa ☕"}')
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.entries) == (False, 3, 2)
    assert report.reason == "its content does not match its hash"


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [
    ("actor", "user:999"), ("action", "thing.undone"), ("subject", "thing:999"),
])
def test_any_edited_field_is_found(field, value):
    _append(3)
    _edit({"seq": 2}, **{field: value})
    report = verify_chain()
    assert (report.ok, report.first_bad_seq) == (False, 2)


@pytest.mark.django_db
def test_edited_time_is_found():
    _append(3)
    _edit({"seq": 1}, recorded_at=T0 - timedelta(days=1))
    assert (verify_chain().ok, verify_chain().first_bad_seq) == (False, 1)


@pytest.mark.django_db
def test_rehashed_edit_breaks_the_next_link():
    # An intruder who recomputes the edited entry's hash still breaks the link of the one after it.
    entries = _append(4)
    victim = entries[1]
    forged = entry_hash(seq=2, recorded_at=victim.recorded_at, actor=victim.actor, action=victim.action,
                        subject=victim.subject, payload='{"n":1,"name":"forged"}', prev_hash=victim.prev_hash)
    _edit({"seq": 2}, payload='{"n":1,"name":"forged"}', entry_hash=forged)
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 3, "its link to the previous entry is broken")


@pytest.mark.django_db
def test_deleted_entry_is_found():
    _append(5)
    _delete(seq=3)
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.entries) == (False, 3, 2)
    assert report.reason == "entry #3 is missing (found #4)"


@pytest.mark.django_db
def test_deleted_last_entry_is_found_through_the_head():
    _append(3)
    _delete(seq=3)
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.entries) == (False, 3, 2)


@pytest.mark.django_db
def test_broken_prev_link_is_found():
    _append(4)
    _edit({"seq": 2}, prev_hash="f" * 64)
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.reason) == (False, 2, "its link to the previous entry is broken")


@pytest.mark.django_db
def test_the_first_of_several_bad_entries_is_named():
    _append(6)
    _edit({"seq__in": [2, 5]}, subject="thing:forged")
    assert verify_chain().first_bad_seq == 2
