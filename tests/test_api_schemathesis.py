"""Fuzz every API operation against the app's own OpenAPI document (schemathesis).

Every operation runs a few generated requests (plus the schema's examples and schemathesis'
coverage cases) through the real WSGI application, as three callers: an administrator's API key,
a merchant owner's merchant-bound key, and nobody at all. Each answer must be a documented status,
with the documented content type (problem+json for errors) and body schema, and never a server
error. Half the generated ids are swapped for ids that exist, so the success paths run too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bastion.accounts.actions.api_keys import create_api_key
from bastion.accounts.actor import actor_for_user
from bastion.accounts.models import RoleGrant
from bastion.accounts.tests.factories import AddressFactory
from bastion.api import api
from bastion.catalog.tests.factories import ProductFactory
from bastion.testing.world import build_world
from bastion.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application

# Small and repeatable: a handful of generated cases per operation, the same ones every run.
FUZZ = settings(max_examples=4, derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@dataclass
class Caller:
    headers: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # path parameter -> an id that exists


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection when a request
    ends; inside the test's transaction that would drop it (PostgreSQL). Django's test client avoids
    this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=["administrator", "owner_a"])
def caller(request, db) -> Caller:
    world = build_world()
    person = world.person(request.param)
    actor = actor_for_user(person, mfa_verified=True)
    merchant = world.merchant_a if request.param == "owner_a" else None
    secret = create_api_key(actor=actor, name="fuzzing", merchant=merchant).secret
    spare_key = create_api_key(actor=actor, name="spare", merchant=merchant).key
    if request.param == "owner_a":
        grant = RoleGrant.objects.get(user=world.staff_a, merchant=world.merchant_a)
        user_id = world.shopper.pk
    else:
        grant = RoleGrant.objects.get(user=world.auditor)
        user_id = world.auditor.pk
    product = ProductFactory(merchant=world.merchant_a, price="25.00")
    return Caller(headers={"Authorization": f"Bearer {secret}"}, ids={
        "product_id": product.pk, "variant_id": product.variants.get().pk,
        "user_id": user_id, "grant_id": grant.pk, "merchant_id": world.merchant_a.pk,
        "address_id": AddressFactory(user=person).pk, "key_id": spare_key.pk})


def _use_real_ids(case, ids: dict[str, int]) -> None:
    for name, value in (case.path_parameters or {}).items():
        if name in ids and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = ids[name]


@schema.parametrize()
@FUZZ
def test_api_with_an_api_key(case, caller):
    _use_real_ids(case, caller.ids)
    case.call_and_validate(headers=caller.headers, checks=CHECKS)


@schema.parametrize()
@FUZZ
@pytest.mark.django_db
def test_api_anonymously(case):
    if case.cookies:  # schemathesis fills the session cookie of the security scheme; send none
        case.cookies.pop(django_settings.SESSION_COOKIE_NAME, None)
    case.call_and_validate(checks=CHECKS)


def test_the_schema_documents_problem_responses():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
            assert "403" in operation["responses"], (method, path)  # the firewall may refuse anything
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(operation["responses"]), (method, path)
