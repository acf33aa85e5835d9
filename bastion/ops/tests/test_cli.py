"""The `bastion` command: createstaff and seed-demo, called as `bastion.cli.main([...])`."""

from __future__ import annotations

import io
import json
import sys

import pytest

from bastion import cli
from bastion.accounts.models import Address, RoleGrant, User
from bastion.audit.models import LedgerEntry
from bastion.audit.verify import verify_chain
from bastion.merchants.models import Merchant
from bastion.merchants.tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db

PASSPHRASE = "tangerine lighthouse at dusk 1987"


def _createstaff(monkeypatch, *args: str, password: str = PASSPHRASE) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return cli.main(["createstaff", "--password-stdin", *args])


def _counts() -> dict[str, int]:
    return {"users": User.objects.count(), "merchants": Merchant.objects.count(),
            "addresses": Address.objects.count(), "grants": RoleGrant.objects.count(),
            "ledger": LedgerEntry.objects.count()}


def test_createstaff_creates_a_confirmed_staff_account(monkeypatch, capsys):
    assert _createstaff(monkeypatch, "--email", "Ops@Example.com", "--role", "operator", "--name", "Wang Lei") == 0
    user = User.objects.get()
    assert (user.email, user.full_name, user.is_email_verified) == ("ops@example.com", "Wang Lei", True)
    assert user.check_password(PASSPHRASE)
    assert list(user.role_grants.values_list("role", "merchant_id")) == [("operator", None)]
    entry = LedgerEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, json.loads(entry.payload)) == (
        "system:createstaff", "role.granted", f"user:{user.pk}", {"role": "operator", "merchant": None})
    assert "ops@example.com is operator." in capsys.readouterr().err


def test_createstaff_gives_a_merchant_role_for_the_named_merchant(monkeypatch):
    merchant = MerchantFactory(slug="jade-river")
    assert _createstaff(monkeypatch, "--email", "owner@jade.example", "--role", "merchant_owner",
                        "--merchant", "jade-river") == 0
    assert list(RoleGrant.objects.values_list("user__email", "role", "merchant_id")) == [
        ("owner@jade.example", "merchant_owner", merchant.pk)]


def test_createstaff_twice_grants_once(monkeypatch):
    _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "operator")
    before = _counts()
    assert _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "operator") == 0
    assert _counts() == before


def test_createstaff_adds_a_role_to_an_existing_account_without_touching_its_password(monkeypatch):
    _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "operator")
    assert _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "auditor",
                        password="a different passphrase 99") == 0
    user = User.objects.get()
    assert user.check_password(PASSPHRASE)
    assert sorted(user.role_grants.values_list("role", flat=True)) == ["auditor", "operator"]


@pytest.mark.parametrize("args,message", [
    (["--role", "wizard"], "unknown role 'wizard'"),
    (["--role", "shopper"], "everyone is a shopper"),
    (["--role", "merchant_staff"], "merchant_staff needs --merchant"),
    (["--role", "merchant_staff", "--merchant", "nowhere"], "no merchant with slug 'nowhere'"),
    (["--role", "operator", "--merchant", "nowhere"], "operator is not a merchant role"),
])
def test_createstaff_refuses_with_exit_code_1_and_changes_nothing(monkeypatch, capsys, args, message):
    before = _counts()
    assert _createstaff(monkeypatch, "--email", "ops@example.com", *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("bastion createstaff: error: ")
    assert message in " ".join(err.split())
    assert _counts() == before


def test_createstaff_refuses_a_weak_password(monkeypatch, capsys):
    assert _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "operator", password="Password123!") == 1
    assert "bastion createstaff: error: " in capsys.readouterr().err
    assert User.objects.count() == 0


def test_createstaff_error_is_exactly_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cli.console, "_width", 80)  # a common terminal; the message is longer
    assert _createstaff(monkeypatch, "--email", "ops@example.com", "--role", "wizard") == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_seed_demo_twice_is_idempotent(capsys):
    assert cli.main(["seed-demo"]) == 0
    first = _counts()
    assert first == {"users": 13, "merchants": 3, "addresses": 3, "grants": 10,
                     "ledger": 3 + 10}  # three merchant.created and ten role.granted
    assert cli.main(["seed-demo"]) == 0
    assert _counts() == first
    assert verify_chain().ok
    out = capsys.readouterr().out
    assert "admin@bastion.example" in out and "li.wei@example.com" in out


def test_seed_demo_people_can_sign_in(client):
    from bastion.demo import DEMO_PASSWORD

    cli.main(["seed-demo"])
    response = client.post("/api/v1/auth/login", {"email": "li.wei@example.com", "password": DEMO_PASSWORD},
                           content_type="application/json")
    assert response.json() == {"signed_in": True, "mfa_required": False, "detail": "Signed in."}
    assert Address.objects.get(user__email="li.wei@example.com").is_default
