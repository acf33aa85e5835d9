"""API keys through /api/v1/api-keys: a secret shown once, only its hash kept, scoped, revocable, audited."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from bastion.accounts.models import ApiKey
from bastion.accounts.tests.apicalls import call, get, ledger_head, ledger_since, ok, post, problem, state
from bastion.accounts.tests.factories import grant
from bastion.core import clock
from bastion.core.clock import use_clock
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _create(client, name="warehouse sync", **fields):
    return post(client, "/api-keys", {"name": name, **fields})


def _issue(world, **fields) -> dict:
    return ok(_create(client_for(world.owner_a), merchant_id=world.merchant_a.pk, **fields), 201)


def test_created_key_answers_once_with_its_secret(world):
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with use_clock(lambda: now):
        body = _issue(world)
    key = ApiKey.objects.get()
    assert body == {"id": key.pk, "name": "warehouse sync", "prefix": key.prefix, "merchant_id": world.merchant_a.pk,
                    "owner_id": world.owner_a.pk, "created_at": "2026-03-01T09:00:00Z", "expires_at": None,
                    "revoked_at": None, "last_used_at": None, "secret": body["secret"]}
    assert body["secret"].startswith(f"bst_{key.prefix}_")
    listed = ok(get(client_for(world.owner_a), "/api-keys"))
    assert [k["id"] for k in listed] == [key.pk]
    assert "secret" not in listed[0]


def test_only_a_hash_of_the_secret_is_stored(world):
    secret = _issue(world)["secret"]
    key = ApiKey.objects.get()
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiKey.objects.values_list().get()]
    assert not any(secret in value or secret.rsplit("_", 1)[1] in value for value in stored)


def test_secret_works_as_a_bearer_token(world):
    secret = _issue(world)["secret"]
    with use_clock(lambda: datetime(2026, 3, 1, 9, 5, tzinfo=UTC)):
        me = ok(get(Client(), "/me", **_bearer(secret)))
    assert (me["id"], me["email"], me["mfa_verified"]) == (world.owner_a.pk, "owner_a@example.com", True)
    assert ApiKey.objects.get().last_used_at == datetime(2026, 3, 1, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),
    lambda s: s.replace("bst_", "xyz_"),
    lambda s: s.rsplit("_", 1)[0],
    lambda s: "",
])
def test_wrong_secret_is_refused(world, mangle):
    secret = _issue(world)["secret"]
    problem(get(Client(), "/me", **_bearer(mangle(secret))), 401, "not_authenticated")


def test_revoked_key_is_refused_and_revocation_is_audited(world):
    issued = _issue(world)
    owner = client_for(world.owner_a)
    head = ledger_head()
    revoked = ok(call(owner, "DELETE", f"/api-keys/{issued['id']}"))
    assert revoked["revoked_at"] is not None
    problem(get(Client(), "/me", **_bearer(issued["secret"])), 401, "not_authenticated")
    assert ledger_since(head) == [("api_key.revoked", f"user:{world.owner_a.pk}", f"api_key:{issued['id']}",
                                   {"prefix": issued["prefix"]})]
    before = state()
    problem(call(owner, "DELETE", f"/api-keys/{issued['id']}"), 409, "api_key_revoked")
    assert state() == before


def test_expired_key_is_refused(world):
    expires = clock.now() + timedelta(days=30)
    secret = _issue(world, expires_at=expires.isoformat())["secret"]
    with use_clock(lambda: expires - timedelta(seconds=1)):
        ok(get(Client(), "/me", **_bearer(secret)))
    with use_clock(lambda: expires):
        problem(get(Client(), "/me", **_bearer(secret)), 401, "not_authenticated")


def test_expiry_in_the_past_is_refused(world):
    before = state()
    body = problem(_create(client_for(world.owner_a), merchant_id=world.merchant_a.pk,
                           expires_at=(clock.now() - timedelta(minutes=1)).isoformat()), 422, "api_key_expiry_invalid")
    assert body["field"] == "expires_at"
    assert state() == before


def test_key_of_a_deactivated_owner_is_refused(world):
    secret = _issue(world)["secret"]
    world.owner_a.is_active = False
    world.owner_a.save(update_fields=["is_active"])
    problem(get(Client(), "/me", **_bearer(secret)), 401, "not_authenticated")


def test_merchant_bound_key_has_only_that_merchants_permissions(world):
    grant(world.owner_a, "merchant_owner", world.merchant_b)  # owner of both shops
    world.owner_a.refresh_from_db()
    secret = _issue(world)["secret"]
    key = Client(**_bearer(secret))
    me = ok(get(key, "/me"))
    assert me["permissions"] == sorted(f"{p}@merchant:{world.merchant_a.pk}" for p in (
        "apikeys.manage", "merchant.manage_catalog", "merchant.manage_orders", "merchant.manage_staff",
        "merchant.manage_stock", "merchant.view"))
    assert len(ok(get(key, f"/merchants/{world.merchant_a.pk}/staff"))) == 2
    problem(get(key, f"/merchants/{world.merchant_b.pk}/staff"), 404, "merchant_not_found")
    # The same person's session reaches both shops.
    ok(get(client_for(world.owner_a), f"/merchants/{world.merchant_b.pk}/staff"))


def test_an_api_key_cannot_create_api_keys(world):
    secret = _issue(world)["secret"]
    before = state()
    body = problem(_create(Client(**_bearer(secret)), merchant_id=world.merchant_a.pk), 403, "session_required")
    assert body["detail"] == "An API key cannot create API keys; use a signed-in session."
    assert state() == before


def test_an_api_key_cannot_change_the_password_or_end_sessions(world):
    secret = _issue(world)["secret"]
    before = state()
    problem(post(Client(**_bearer(secret)), "/me/password",
                 {"current_password": "x", "new_password": "tangerine dusk 1987"}), 403, "session_required")
    problem(post(Client(**_bearer(secret)), "/me/sessions/revoke-all"), 403, "session_required")
    assert state() == before


def test_creation_is_audited_with_its_exact_payload(world):
    expires = datetime(2027, 1, 1, tzinfo=UTC)
    head = ledger_head()
    issued = _issue(world, name="  nightly export ", expires_at=expires.isoformat())
    assert issued["name"] == "nightly export"
    assert ledger_since(head) == [("api_key.created", f"user:{world.owner_a.pk}", f"api_key:{issued['id']}",
                                   {"prefix": issued["prefix"], "name": "nightly export",
                                    "merchant": world.merchant_a.pk, "expires_at": "2027-01-01 00:00:00+00:00"})]


def test_operator_key_without_merchant_is_audited_with_no_merchant(world):
    head = ledger_head()
    issued = ok(_create(client_for(world.operator), name="metrics"), 201)
    assert ledger_since(head) == [("api_key.created", f"user:{world.operator.pk}", f"api_key:{issued['id']}",
                                   {"prefix": issued["prefix"], "name": "metrics", "merchant": None,
                                    "expires_at": None})]


def test_merchant_owner_needs_to_name_the_merchant(world):
    before = state()
    problem(_create(client_for(world.owner_a)), 403, "permission_denied")
    assert state() == before


def test_owner_cannot_issue_a_key_for_another_merchant(world):
    before = state()
    problem(_create(client_for(world.owner_a), merchant_id=world.merchant_b.pk), 404, "merchant_not_found")
    assert state() == before


def test_staff_without_the_permission_cannot_issue_keys(world):
    before = state()
    problem(_create(client_for(world.staff_a), merchant_id=world.merchant_a.pk), 403, "permission_denied")
    problem(_create(client_for(world.owner_a, mfa=False), merchant_id=world.merchant_a.pk), 403, "mfa_required")
    assert state() == before


@pytest.mark.parametrize("name", ["", "   "])
def test_key_needs_a_name(world, name):
    before = state()
    body = problem(_create(client_for(world.owner_a), name=name, merchant_id=world.merchant_a.pk), 422,
                   "api_key_name_invalid")
    assert body["field"] == "name"
    assert state() == before


def test_owner_sees_and_revokes_keys_of_own_merchant_only(world):
    ours = _issue(world)
    theirs = ok(_create(client_for(world.owner_b), merchant_id=world.merchant_b.pk), 201)
    owner_a = client_for(world.owner_a)
    assert [k["id"] for k in ok(get(owner_a, "/api-keys"))] == [ours["id"]]
    before = state()
    problem(call(owner_a, "DELETE", f"/api-keys/{theirs['id']}"), 404, "api_key_not_found")
    assert state() == before
    ok(get(Client(), "/me", **_bearer(theirs["secret"])))


def test_owner_without_second_factor_is_told_to_use_it_when_listing_keys(world):
    problem(get(client_for(world.owner_a, mfa=False), "/api-keys"), 403, "mfa_required")
    problem(get(client_for(world.staff_a), "/api-keys"), 403, "permission_denied")


def test_active_keys_are_limited_but_expired_ones_do_not_count(world):
    from bastion.accounts.actions.api_keys import MAX_ACTIVE_KEYS, hash_secret

    soon = clock.now() + timedelta(days=1)
    ApiKey.objects.bulk_create([
        ApiKey(owner=world.owner_a, merchant=world.merchant_a, name=f"k{n}", prefix=f"p{n:06d}",
               secret_hash=hash_secret(f"s{n}"), created_at=clock.now(), expires_at=soon)
        for n in range(MAX_ACTIVE_KEYS)])
    before = state()
    body = problem(_create(client_for(world.owner_a), merchant_id=world.merchant_a.pk), 409, "api_key_limit")
    assert body["detail"] == f"You already have {MAX_ACTIVE_KEYS} active keys; revoke one first."
    assert state() == before
    with use_clock(lambda: soon):
        ok(_create(client_for(world.owner_a), merchant_id=world.merchant_a.pk), 201)
