"""The operations and security console: sections by role, people and roles, API keys."""

from __future__ import annotations

import pytest

from bastion.accounts.models import ApiKey, RoleGrant, User
from bastion.audit.models import LedgerEntry
from bastion.storefront.tests.pages import csrf_token_of, post_forms, text_of_id
from bastion.testing.ledger import ledger_unlocked
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db

SECTIONS = {"ops-overview": "System readiness", "security-overview": "Sign-in security",
            "audit-overview": "Ledger", "admin-overview": "Roles"}


def _sections(html: bytes) -> set[str]:
    return {section for section in SECTIONS if text_of_id(html, section) is not None}


def _state():
    return (sorted(RoleGrant.objects.values_list("id", "user_id", "role", "merchant_id")),
            sorted(ApiKey.objects.values_list("id", "revoked_at")), LedgerEntry.objects.count())


@pytest.mark.parametrize(("person", "expected"), [
    ("operator", {"ops-overview"}),
    ("security_officer", {"security-overview", "audit-overview"}),
    ("auditor", {"ops-overview", "security-overview", "audit-overview"}),
    ("administrator", {"ops-overview", "security-overview", "audit-overview", "admin-overview"}),
])
def test_console_home_shows_the_sections_of_each_role(world, person, expected):
    response = client_for(world.person(person)).get("/console/")
    assert response.status_code == 200
    assert _sections(response.content) == expected
    for section in expected:
        assert f"<h2>{SECTIONS[section]}</h2>".encode() in response.content


def test_operator_sees_system_readiness(world):
    response = client_for(world.operator).get("/console/")
    readiness = text_of_id(response.content, "ops-overview")
    assert "System readiness" in readiness
    assert "database" in readiness and "migrations" in readiness and "task queue" in readiness
    assert "failing" not in readiness
    assert "People and roles" not in response.content.decode()


def test_security_officer_sees_sign_in_security_with_failures(world, anon):
    anon.post("/signin/", {"email": "shopper@example.com", "password": "a wrong password"})
    response = client_for(world.security_officer).get("/console/")
    security = text_of_id(response.content, "security-overview")
    assert "Sign-in security" in security
    assert "8 of 8 staff have two-step sign-in." in security
    assert "shopper@example.com" in security  # the failed sign-in is listed


def test_auditor_sees_the_ledger_with_a_verified_chain(world):
    # Something on the ledger first: a role granted by the administrator.
    client_for(world.administrator).post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"})
    entries = LedgerEntry.objects.count()
    assert entries >= 1
    response = client_for(world.auditor).get("/console/")
    ledger = text_of_id(response.content, "audit-overview")
    assert "Ledger" in ledger
    assert f"Ledger verified: {entries} entries, 0 signed checkpoints, 0 in the witness file." in ledger
    assert "role.granted" in ledger


def test_auditor_sees_a_broken_chain(world):
    client_for(world.administrator).post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"})
    with ledger_unlocked():  # someone with database access rewrites history
        LedgerEntry.objects.filter(seq=1).update(payload='{"tampered": true}')
    ledger = text_of_id(client_for(world.auditor).get("/console/").content, "audit-overview")
    assert "Ledger damaged: entry #1" in ledger
    assert "Ledger verified" not in ledger


def test_administrator_manages_people_and_roles(world):
    client = client_for(world.administrator)
    home = client.get("/console/")
    assert b'href="/console/people/"' in home.content
    page = client.get("/console/people/")
    assert page.status_code == 200
    people = text_of_id(page.content, "people")
    for person in ("shopper", "owner_a", "operator", "administrator"):
        assert f"{person}@example.com" in people
    found = client.get("/console/people/", {"q": "owner_"})
    found_people = text_of_id(found.content, "people")
    assert "owner_a@example.com" in found_people and "owner_b@example.com" in found_people
    assert "shopper@example.com" not in found_people


def test_administrator_grants_and_revokes_a_role(world):
    client = client_for(world.administrator)
    before = LedgerEntry.objects.count()
    response = client.post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"}, follow=True)
    assert response.redirect_chain == [("/console/people/", 302)]
    assert b"Role granted to shopper@example.com. Their sessions have ended." in response.content
    new_grant = RoleGrant.objects.get(user=world.shopper)
    assert (new_grant.role, new_grant.merchant_id, new_grant.granted_by_id) == ("auditor", None,
                                                                                 world.administrator.pk)
    response = client.post(f"/console/people/{world.shopper.pk}/roles/{new_grant.pk}/revoke/", follow=True)
    assert b"Role removed from shopper@example.com." in response.content
    assert not RoleGrant.objects.filter(user=world.shopper).exists()
    assert list(LedgerEntry.objects.filter(seq__gt=before).values_list("action", flat=True)) == [
        "role.granted", "role.revoked"]


def test_a_refused_grant_shows_why_and_changes_nothing(world):
    client = client_for(world.administrator)
    before = _state()
    cases = [({"role": "merchant_staff"}, b"This role belongs to a merchant: name the merchant."),
             ({"role": "wizard"}, b"Unknown role"),
             ({"role": "operator"}, b"This person already holds that role."),
             ({"role": "auditor", "merchant": str(world.merchant_a.pk)}, b"This role is not tied to a merchant.")]
    for data, message in cases:
        person = world.operator if data["role"] == "operator" else world.shopper
        response = client.post(f"/console/people/{person.pk}/roles/", data, follow=True)
        assert message in response.content, data
    admin_grant = RoleGrant.objects.get(user=world.administrator)
    response = client.post(f"/console/people/{world.administrator.pk}/roles/{admin_grant.pk}/revoke/", follow=True)
    assert b"This is the last administrator" in response.content
    assert _state() == before


@pytest.mark.parametrize("person", ["operator", "security_officer", "auditor"])
def test_other_staff_cannot_manage_people(world, person):
    client = client_for(world.person(person))
    before = _state()
    assert client.get("/console/people/").status_code == 403
    assert client.post(f"/console/people/{world.shopper.pk}/roles/", {"role": "administrator"}).status_code == 403
    grant = RoleGrant.objects.get(user=world.operator)
    assert client.post(f"/console/people/{world.operator.pk}/roles/{grant.pk}/revoke/").status_code == 403
    assert _state() == before


def test_a_shopper_gets_403_on_the_console(world):
    client = client_for(world.shopper)
    before = _state()
    for path in ("/console/", "/console/people/", "/console/api-keys/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert b"This page is for staff." in response.content
    assert client.post(f"/console/people/{world.shopper.pk}/roles/", {"role": "administrator"}).status_code == 403
    assert client.post("/console/api-keys/", {"name": "mine"}).status_code == 403
    assert _state() == before
    assert not RoleGrant.objects.filter(user=world.shopper).exists()


def test_anonymous_is_sent_to_sign_in(world, anon):
    response = anon.get("/console/people/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=%2Fconsole%2Fpeople%2F%3Fq%3Dx"


def test_staff_without_verified_mfa_are_sent_to_mfa(world):
    client = client_for(world.administrator, mfa=False)
    before = _state()
    for path in ("/console/", "/console/people/", "/console/api-keys/"):
        assert client.get(path)["Location"] == "/account/mfa/", path
    assert client.post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"})["Location"] == \
        "/account/mfa/"
    assert _state() == before


def test_merchant_people_are_sent_to_the_seller_portal(world):
    response = client_for(world.owner_a).get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/seller/"


def test_operator_creates_and_revokes_an_api_key(world):
    client = client_for(world.operator)
    response = client.post("/console/api-keys/", {"name": "metrics scraper"})
    assert response.status_code == 200
    key = ApiKey.objects.get(owner=world.operator)
    assert key.merchant_id is None and key.name == "metrics scraper"
    assert text_of_id(response.content, "new-secret").startswith(f"bst_{key.prefix}_")
    assert text_of_id(client.get("/console/api-keys/").content, "new-secret") is None
    response = client.post(f"/console/api-keys/{key.pk}/revoke/", follow=True)
    assert f"Key {key.prefix} revoked.".encode() in response.content
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_key_of_someone_else_cannot_be_revoked(world):
    client_for(world.operator).post("/console/api-keys/", {"name": "ops key"})
    key = ApiKey.objects.get(owner=world.operator)
    before = _state()
    assert client_for(world.administrator).post(f"/console/api-keys/{key.pk}/revoke/").status_code == 404
    assert _state() == before


def test_a_staff_member_without_key_permission_gets_403(world):
    client = client_for(world.auditor)
    before = _state()
    assert client.get("/console/api-keys/").status_code == 403
    assert client.post("/console/api-keys/", {"name": "k"}).status_code == 403
    assert _state() == before


def test_every_post_form_of_the_console_carries_a_csrf_token(world):
    client = client_for(world.administrator, enforce_csrf_checks=True)
    for path in ("/console/", "/console/people/", "/console/api-keys/"):
        page = client.get(path)
        assert page.status_code == 200
        for form in post_forms(page.content):
            assert form.inputs.get("csrfmiddlewaretoken"), f"{path}: {form.action}"
    before = _state()
    assert client.post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"}).status_code == 403
    assert client.post("/console/api-keys/", {"name": "k"}).status_code == 403
    assert _state() == before
    token = csrf_token_of(client.get("/console/people/").content)
    accepted = client.post(f"/console/people/{world.shopper.pk}/roles/",
                           {"role": "auditor", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert RoleGrant.objects.filter(user=world.shopper, role="auditor").exists()


def test_a_granted_role_ends_the_persons_sessions(world):
    shopper_client = client_for(world.shopper)
    assert shopper_client.get("/account/").status_code == 200
    client_for(world.administrator).post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"})
    response = shopper_client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/account/"
    assert User.objects.get(pk=world.shopper.pk).session_generation == 1


def test_auditor_sees_signed_and_witnessed_checkpoints(world):
    from bastion.audit.actions import write_checkpoint

    client_for(world.administrator).post(f"/console/people/{world.shopper.pk}/roles/", {"role": "auditor"})
    write_checkpoint()
    entries = LedgerEntry.objects.count()
    ledger = text_of_id(client_for(world.auditor).get("/console/").content, "audit-overview")
    assert f"Ledger verified: {entries} entries, 1 signed checkpoints, 1 in the witness file." in ledger
