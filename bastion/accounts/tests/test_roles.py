"""Granting and revoking roles: administrators via /users, merchant owners via /merchants/{id}/staff."""

from __future__ import annotations

import pytest

from bastion.accounts.models import RoleGrant
from bastion.accounts.tests.apicalls import call, get, ledger_head, ledger_since, ok, post, problem, state
from bastion.accounts.tests.factories import UserFactory, grant
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return client_for(world.administrator)


def _grant(client, user, **body):
    return post(client, f"/users/{user.pk}/roles", body)


def _revoke(client, grant_obj):
    return call(client, "DELETE", f"/users/{grant_obj.user_id}/roles/{grant_obj.pk}")


def test_administrator_grants_a_global_role_and_it_is_audited(world, admin):
    person = UserFactory(email="lin@example.com")
    head = ledger_head()
    body = ok(_grant(admin, person, role="auditor"), 201)
    assert {k: body[k] for k in ("role", "merchant_id", "merchant_name")} == {
        "role": "auditor", "merchant_id": None, "merchant_name": None}
    grant_row = RoleGrant.objects.get(user=person)
    assert (grant_row.pk, grant_row.role, grant_row.granted_by_id) == (body["id"], "auditor", world.administrator.pk)
    assert ledger_since(head) == [("role.granted", f"user:{world.administrator.pk}", f"user:{person.pk}",
                                   {"role": "auditor", "merchant": None})]
    person.refresh_from_db()
    assert person.session_generation == 1


def test_administrator_grants_a_merchant_role_with_its_merchant(world, admin):
    person = UserFactory(email="lin@example.com")
    head = ledger_head()
    body = ok(_grant(admin, person, role="merchant_owner", merchant_id=world.merchant_b.pk), 201)
    assert (body["merchant_id"], body["merchant_name"]) == (world.merchant_b.pk, "Beta Bikes")
    assert ledger_since(head)[0][3] == {"role": "merchant_owner", "merchant": world.merchant_b.pk}


@pytest.mark.parametrize("body,status,code", [
    ({"role": "wizard"}, 422, "role_unknown"),
    ({"role": "shopper"}, 422, "role_not_grantable"),
    ({"role": "merchant_staff"}, 422, "merchant_required"),
    ({"role": "operator", "merchant_id": "A"}, 422, "merchant_not_allowed"),
    ({"role": "merchant_staff", "merchant_id": 999_999}, 404, "merchant_not_found"),
    ({"role": "auditor", "extra": 1}, 422, "validation_failed"),
])
def test_invalid_grant_is_refused_and_changes_nothing(world, admin, body, status, code):
    if body.get("merchant_id") == "A":
        body = {**body, "merchant_id": world.merchant_a.pk}
    person = UserFactory(email="lin@example.com")
    before = state()
    problem(_grant(admin, person, **body), status, code)
    assert state() == before


def test_duplicate_grant_is_a_conflict(world, admin):
    before = state()
    problem(_grant(admin, world.staff_a, role="merchant_staff", merchant_id=world.merchant_a.pk),
            409, "role_already_granted")
    assert state() == before


def test_grant_to_an_unknown_person_is_not_found(admin):
    before = state()
    problem(post(admin, "/users/999999/roles", {"role": "auditor"}), 404, "user_not_found")
    assert state() == before


def test_administrator_revokes_a_role_and_it_is_audited(world, admin):
    grant_row = world.auditor.role_grants.get()
    head = ledger_head()
    response = _revoke(admin, grant_row)
    assert (response.status_code, response.content) == (204, b"")
    assert not RoleGrant.objects.filter(pk=grant_row.pk).exists()
    assert ledger_since(head) == [("role.revoked", f"user:{world.administrator.pk}", f"user:{world.auditor.pk}",
                                   {"role": "auditor", "merchant": None})]


def test_the_last_administrator_cannot_be_removed(world, admin):
    before = state()
    body = problem(_revoke(admin, world.administrator.role_grants.get()), 409, "last_administrator")
    assert body["detail"] == "This is the last administrator; grant the role to someone else first."
    assert state() == before


def test_an_administrator_cannot_remove_their_own_role(world, admin):
    ok(_grant(admin, world.operator, role="administrator"), 201)
    before = state()
    problem(_revoke(admin, world.administrator.role_grants.get()), 403, "self_demotion")
    assert state() == before


def test_one_administrator_may_remove_another(world, admin):
    second = grant(UserFactory(email="second-admin@example.com"), "administrator")
    assert _revoke(admin, second).status_code == 204
    assert list(RoleGrant.objects.filter(role="administrator").values_list("user_id", flat=True)) == [
        world.administrator.pk]


def test_grant_id_of_another_person_is_not_found(world, admin):
    before = state()
    response = call(admin, "DELETE", f"/users/{world.shopper.pk}/roles/{world.auditor.role_grants.get().pk}")
    problem(response, 404, "role_grant_not_found")
    assert state() == before


@pytest.mark.parametrize("who", ["owner_a", "operator", "security_officer", "auditor", "shopper"])
def test_only_administrators_assign_roles(world, who):
    before = state()
    problem(_grant(client_for(world.person(who)), world.shopper, role="auditor"), 403, "permission_denied")
    problem(_revoke(client_for(world.person(who)), world.auditor.role_grants.get()), 403, "permission_denied")
    assert state() == before


def test_administrator_without_second_factor_is_refused(world):
    before = state()
    problem(_grant(client_for(world.administrator, mfa=False), world.shopper, role="auditor"), 403, "mfa_required")
    assert state() == before


# --- merchant owners and their staff ------------------------------------------------------------


def _staff_path(merchant, grant_id=None) -> str:
    return f"/merchants/{merchant.pk}/staff" + (f"/{grant_id}" if grant_id else "")


def test_owner_adds_staff_to_own_merchant(world):
    person = UserFactory(email="lin@example.com")
    head = ledger_head()
    body = ok(post(client_for(world.owner_a), _staff_path(world.merchant_a), {"email": "LIN@example.com"}), 201)
    grant_row = RoleGrant.objects.get(user=person)
    assert body == {"grant_id": grant_row.pk, "user_id": person.pk, "email": "lin@example.com",
                    "full_name": person.full_name, "role": "merchant_staff"}
    assert ledger_since(head) == [("role.granted", f"user:{world.owner_a.pk}", f"user:{person.pk}",
                                   {"role": "merchant_staff", "merchant": world.merchant_a.pk})]


def test_owner_cannot_add_an_unconfirmed_account(world):
    UserFactory(email="lin@example.com", email_verified_at=None)
    before = state()
    problem(post(client_for(world.owner_a), _staff_path(world.merchant_a), {"email": "lin@example.com"}),
            404, "user_not_found")
    assert state() == before


def test_owner_removes_staff_of_own_merchant(world):
    head = ledger_head()
    staff_grant = world.staff_a.role_grants.get()
    response = call(client_for(world.owner_a), "DELETE", _staff_path(world.merchant_a, staff_grant.pk))
    assert response.status_code == 204
    assert ledger_since(head) == [("role.revoked", f"user:{world.owner_a.pk}", f"user:{world.staff_a.pk}",
                                   {"role": "merchant_staff", "merchant": world.merchant_a.pk})]


def test_owner_cannot_remove_an_owner_of_own_merchant(world):
    co_owner = grant(UserFactory(email="co-owner@example.com"), "merchant_owner", world.merchant_a)
    before = state()
    problem(call(client_for(world.owner_a), "DELETE", _staff_path(world.merchant_a, co_owner.pk)),
            403, "permission_denied")
    problem(call(client_for(world.owner_a), "DELETE", _staff_path(world.merchant_a, world.owner_a.role_grants.get().pk)),
            403, "permission_denied")
    assert state() == before


def test_owner_cannot_touch_another_merchants_staff(world):
    owner_a = client_for(world.owner_a)
    before = state()
    problem(get(owner_a, _staff_path(world.merchant_b)), 404, "merchant_not_found")
    problem(post(owner_a, _staff_path(world.merchant_b), {"email": world.shopper.email}), 404, "merchant_not_found")
    problem(call(owner_a, "DELETE", _staff_path(world.merchant_b, world.staff_b.role_grants.get().pk)),
            404, "merchant_not_found")
    # A grant of merchant B named under merchant A's path is not A's staff.
    problem(call(owner_a, "DELETE", _staff_path(world.merchant_a, world.staff_b.role_grants.get().pk)),
            404, "role_grant_not_found")
    assert state() == before


def test_owner_cannot_grant_roles_through_the_administrator_routes(world):
    before = state()
    problem(_grant(client_for(world.owner_a), world.shopper, role="merchant_staff", merchant_id=world.merchant_a.pk),
            403, "permission_denied")
    assert state() == before


def test_staff_cannot_manage_staff(world):
    before = state()
    problem(post(client_for(world.staff_a), _staff_path(world.merchant_a), {"email": world.shopper.email}),
            403, "permission_denied")
    assert state() == before
