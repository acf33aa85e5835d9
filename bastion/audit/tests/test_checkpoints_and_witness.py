"""Signed checkpoints: when they are written, what they sign, the witness file, the key."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from bastion.audit import merkle, signing, witness
from bastion.audit.actions import LedgerDamaged, checkpoint_due, write_checkpoint, write_checkpoint_if_due
from bastion.audit.chain import entry_leaf_hash
from bastion.audit.models import Checkpoint, LedgerEntry
from bastion.audit.tasks import checkpoint_ledger
from bastion.audit.tests.ledger_rows import append_entries
from bastion.core.clock import use_clock
from bastion.testing.ledger import ledger_unlocked

T0 = datetime(2026, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)


def _witness_lines(settings) -> list[dict]:
    path = settings.AUDIT_WITNESS_FILE
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.django_db
def test_an_empty_ledger_has_nothing_to_sign(settings):
    assert write_checkpoint() == (None, False)
    assert Checkpoint.objects.count() == 0
    assert not settings.AUDIT_WITNESS_FILE.exists()


@pytest.mark.django_db
def test_a_checkpoint_signs_the_merkle_root_of_the_whole_ledger(settings):
    entries = append_entries(3)
    with use_clock(lambda: T0):
        _, created = write_checkpoint()
    assert created
    stored = Checkpoint.objects.get()
    expected_root = merkle.root([entry_leaf_hash(e.entry_hash) for e in entries]).hex()
    key = signing.load_signing_key().public_key()
    assert (stored.tree_size, stored.root_hash, stored.signed_at, stored.key_id) == (
        3, expected_root, T0, signing.key_id(key))
    assert signing.signature_holds(key, tree_size=3, root_hash=expected_root,
                                   signed_at="2026-05-01T12:00:00.250000Z", signature=stored.signature)
    assert not signing.signature_holds(key, tree_size=4, root_hash=expected_root,
                                       signed_at="2026-05-01T12:00:00.250000Z", signature=stored.signature)
    assert _witness_lines(settings) == [{"tree_size": 3, "root_hash": expected_root,
                                         "signed_at": "2026-05-01T12:00:00.250000Z",
                                         "signature": stored.signature, "key_id": stored.key_id}]


@pytest.mark.django_db
def test_no_new_checkpoint_while_the_ledger_has_not_grown(settings):
    append_entries(2)
    first, _ = write_checkpoint()
    again, created = write_checkpoint()
    assert (again.pk, created, Checkpoint.objects.count(), len(_witness_lines(settings))) == (first.pk, False, 1, 1)
    append_entries(1, start=2)
    newer, created = write_checkpoint()
    assert (newer.tree_size, created) == (3, True)
    assert [line["tree_size"] for line in _witness_lines(settings)] == [2, 3]


@pytest.mark.django_db
def test_a_checkpoint_the_witness_missed_is_witnessed_by_the_next_call(settings):
    """A crash between the commit and the witness write leaves the witness behind, not ahead."""
    append_entries(2)
    checkpoint, _ = write_checkpoint()
    settings.AUDIT_WITNESS_FILE.unlink()
    assert write_checkpoint() == (checkpoint, False)
    assert [line["tree_size"] for line in _witness_lines(settings)] == [2]


@pytest.mark.django_db
def test_a_checkpoint_is_its_own_transaction():
    append_entries(1)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        write_checkpoint()
    assert Checkpoint.objects.count() == 0


@pytest.mark.django_db
def test_nothing_is_signed_over_entries_changed_under_the_latest_checkpoint(settings):
    append_entries(3)
    write_checkpoint()
    append_entries(2, start=3)
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=2).update(entry_hash="ab" * 32)
    with pytest.raises(LedgerDamaged, match="first 3 entries no longer match"):
        write_checkpoint()
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [3]
    assert len(_witness_lines(settings)) == 1


@pytest.mark.django_db
def test_nothing_is_signed_over_new_entries_that_do_not_chain():
    append_entries(3)
    write_checkpoint()
    append_entries(2, start=3)
    with ledger_unlocked():
        LedgerEntry.objects.filter(seq=5).update(actor="user:forged")
    with pytest.raises(LedgerDamaged, match="entry #5: its content does not match its hash"):
        write_checkpoint()
    assert Checkpoint.objects.count() == 1


def test_a_checkpoint_is_due_after_enough_entries_or_enough_time():
    def due(size, checkpointed, last, now=T0):
        return checkpoint_due(ledger_size=size, checkpointed_size=checkpointed, last_signed_at=last, now=now,
                              every_entries=100, every_minutes=10)

    assert not due(0, 0, None)
    assert due(1, 0, None)
    assert not due(50, 50, T0 - timedelta(hours=1))          # nothing new, however long ago
    assert not due(99, 0, T0 - timedelta(minutes=9))
    assert due(100, 0, T0 - timedelta(minutes=1))
    assert due(51, 50, T0 - timedelta(minutes=10))


@pytest.mark.django_db
def test_the_periodic_job_writes_a_checkpoint_only_when_due(settings):
    settings.AUDIT_CHECKPOINT_EVERY_ENTRIES, settings.AUDIT_CHECKPOINT_EVERY_MINUTES = 5, 10
    append_entries(2)
    with use_clock(lambda: T0):
        assert checkpoint_ledger.call_local() == 2          # the first one is always due
        append_entries(3, start=2)
        assert checkpoint_ledger.call_local() is None       # 3 new entries, no time passed
    with use_clock(lambda: T0 + timedelta(minutes=10)):
        assert checkpoint_ledger.call_local() == 5
        assert checkpoint_ledger.call_local() is None       # idempotent: nothing new
        append_entries(5, start=5)
        assert write_checkpoint_if_due().tree_size == 10    # enough entries
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [2, 5, 10]
    assert [line["tree_size"] for line in _witness_lines(settings)] == [2, 5, 10]


def test_development_generates_a_private_key_on_first_use(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "ledger.key"
    key = signing.load_signing_key()
    assert stat.S_IMODE(os.stat(settings.AUDIT_SIGNING_KEY_FILE).st_mode) == 0o600
    assert settings.AUDIT_SIGNING_KEY_FILE.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert signing.raw_public_key(signing.load_signing_key().public_key()) == signing.raw_public_key(key.public_key())
    assert list((tmp_path / "keys").iterdir()) == [settings.AUDIT_SIGNING_KEY_FILE]  # no temporary left over


def test_verification_never_generates_a_key(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        signing.load_signing_key(create=False)
    assert not settings.AUDIT_SIGNING_KEY_FILE.exists()


@pytest.mark.django_db
def test_production_refuses_to_sign_without_its_key(settings, tmp_path):
    settings.PRODUCTION, settings.AUDIT_SIGNING_KEY_FILE = True, tmp_path / "ledger.key"
    append_entries(1)
    with pytest.raises(ImproperlyConfigured, match=r"ledger signing key .* does not exist.*openssl genpkey"):
        write_checkpoint()
    assert (Checkpoint.objects.count(), settings.AUDIT_SIGNING_KEY_FILE.exists()) == (0, False)
    assert not settings.AUDIT_WITNESS_FILE.exists()


def test_production_refuses_a_key_other_users_can_read(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    signing.load_signing_key()
    settings.PRODUCTION = True
    settings.AUDIT_SIGNING_KEY_FILE.chmod(0o640)
    with pytest.raises(ImproperlyConfigured, match="readable by other users"):
        signing.load_signing_key()
    settings.AUDIT_SIGNING_KEY_FILE.chmod(0o600)
    assert signing.load_signing_key()


def test_a_key_that_is_not_ed25519_is_refused(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "ledger.key"
    settings.AUDIT_SIGNING_KEY_FILE.write_text("not a key")
    with pytest.raises(ImproperlyConfigured, match="not a PEM private key"):
        signing.load_signing_key()


def test_the_witness_reads_back_what_it_wrote_and_names_a_bad_line(settings):
    record = {"tree_size": 7, "root_hash": "ab" * 32, "signed_at": "2026-05-01T12:00:00.000000Z",
              "signature": "cd" * 64, "key_id": "0123456789abcdef"}
    assert (witness.read(), witness.last_tree_size()) == (None, 0)
    witness.append(record)
    witness.append({**record, "tree_size": 9})
    assert [r.fields() for r in witness.read()] == [record, {**record, "tree_size": 9}]
    assert witness.last_tree_size() == 9
    with open(settings.AUDIT_WITNESS_FILE, "a") as file:
        file.write('{"tree_size": "ten"}\n')
    with pytest.raises(witness.WitnessError, match="line 3 of the witness file"):
        witness.read()
    assert witness.last_tree_size() == 0
