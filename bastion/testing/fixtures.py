"""Fixtures shared by every app's tests (loaded by the root conftest)."""

from __future__ import annotations

import pytest
from django.test import Client

from bastion.testing.world import World, build_world, client_for


@pytest.fixture
def world(db) -> World:
    """Two merchants and one person for every role, staff with a confirmed authenticator."""
    return build_world()


@pytest.fixture
def signed_in():
    """signed_in(user) -> a test client with that person signed in and MFA verified when they have it."""
    return client_for


@pytest.fixture
def anon() -> Client:
    return Client()


@pytest.fixture(autouse=True, scope="session")
def _ledger_triggers_survive_flush():
    """Transactional tests end with a flush of every table, which the ledger's append-only
    triggers refuse; the flush drops and re-creates them in its own transaction."""
    from bastion.testing.ledger import flush_keeps_ledger_triggers

    with flush_keeps_ledger_triggers():
        yield


@pytest.fixture(autouse=True)
def _ledger_witness_file(settings, tmp_path):
    """Each test has its own ledger witness file, as it has its own database state."""
    settings.AUDIT_WITNESS_FILE = tmp_path / "ledger-witness.log"


@pytest.fixture(autouse=True)
def _forget_maintenance_state():
    """Maintenance mode is cached per process for a few seconds; no test may see another's switch."""
    from bastion.ops import maintenance

    maintenance._cached = (0.0, None)
    yield
    maintenance._cached = (0.0, None)
