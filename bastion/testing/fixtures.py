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
