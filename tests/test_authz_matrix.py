"""Runs every app's authorization matrix and refuses API routes that have none."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

import bastion
from bastion.api import api
from bastion.audit.models import LedgerEntry
from bastion.testing.authz import PERSONAS, Case
from bastion.testing.world import client_for


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(bastion.__path__):
        try:
            found = importlib.import_module(f"bastion.{module.name}.tests.authz_cases")
        except ModuleNotFoundError:
            continue
        cases.extend(found.CASES)
    return cases


CASES = _all_cases()


def _api_routes() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path.removeprefix("/api/v1")) for path, operations in schema["paths"].items()
            for method in operations}


def test_every_api_route_has_a_matrix_case():
    covered = {case.route for case in CASES}
    missing = sorted(_api_routes() - covered)
    assert not missing, f"API routes without an authorization matrix case: {missing}"
    stale = sorted(covered - _api_routes())
    assert not stale, f"matrix cases for routes that do not exist: {stale}"


def test_cases_are_unique():
    routes = [case.route for case in CASES]
    assert len(routes) == len(set(routes))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
@pytest.mark.django_db
def test_matrix(case: Case, world):
    for persona in PERSONAS:
        name = case.person_for(persona)
        user = world.person(name) if name else None
        call = case.prepare(world, user)
        before = (LedgerEntry.objects.count(), case.snapshot(world) if case.snapshot else None)
        client = client_for(user)
        body = json.dumps(call.json) if call.json is not None else None
        response = client.generic(case.method, "/api/v1" + case.path.format(**call.path_params), data=body or "",
                                  content_type="application/json")
        expected = case.expect[persona]
        assert response.status_code == expected, (
            f"{persona}: {case.method} {case.path} answered {response.status_code}, expected {expected}: "
            f"{response.content[:300]!r}")
        if expected >= 400:
            assert response["Content-Type"] == "application/problem+json"
            after = (LedgerEntry.objects.count(), case.snapshot(world) if case.snapshot else None)
            assert after == before, f"{persona}: a refused {case.method} {case.path} changed something"
