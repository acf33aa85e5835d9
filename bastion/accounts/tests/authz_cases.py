"""Authorization matrix of the accounts API (see bastion/testing/authz.py)."""

from __future__ import annotations

import itertools

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bastion.accounts.actions.registration import make_verification_token
from bastion.accounts.models import Address, ApiKey, RoleGrant, User
from bastion.accounts.tests.factories import PASSWORD, AddressFactory, UserFactory, grant, totp_code
from bastion.core import clock
from bastion.testing.authz import Call, Case, expect

_n = itertools.count()


def _fresh_email() -> str:
    return f"fresh{next(_n)}@example.com"


def _fresh_user(**kwargs) -> User:
    return UserFactory(email=_fresh_email(), **kwargs)


def _address_of_shopper(world, user) -> Call:
    return Call({"address_id": AddressFactory(user=world.shopper).pk}, None)


def _addresses(world):
    return sorted(Address.objects.values_list("id", "recipient", "line1", "is_default"))


def _keys(world):
    return sorted(ApiKey.objects.values_list("id", "revoked_at"))


def _grants(world):
    return sorted(RoleGrant.objects.values_list("id", "user_id", "role", "merchant_id"))


def _key_of_merchant_a(world, user) -> Call:
    from bastion.accounts.actions.api_keys import hash_secret

    key = ApiKey.objects.create(owner=world.owner_a, merchant=world.merchant_a, name="shop sync",
                                prefix=f"k{next(_n):08d}", secret_hash=hash_secret("x"), created_at=clock.now())
    return Call({"key_id": key.pk})


def _reset_call(world, user) -> Call:
    target = _fresh_user()
    return Call(json={"uid": urlsafe_base64_encode(force_bytes(target.pk)),
                      "token": default_token_generator.make_token(target), "new_password": "a new long passphrase 42"})


def _backup_code_call(world, user) -> Call:
    device = user.totpdevice_set.filter(confirmed=True).first() if user else None
    return Call(json={"code": totp_code(device) if device else "123456"})


ADDRESS = {"recipient": "Li Wei", "phone": "+86 138 0013 8000", "line1": "No. 1 Nanjing Road", "city": "Shanghai",
           "region": "Shanghai", "postal_code": "200001", "country": "CN"}
ADMIN = {"without": "operator", "with_": "administrator"}

CASES = [
    Case("GET", "/auth/csrf", expect(200, 200, 200, 200, 200)),
    Case("POST", "/auth/register", expect(202, 202, 202, 202, 202),
         prepare=lambda w, u: Call(json={"email": _fresh_email(), "password": "a long passphrase 42"})),
    Case("POST", "/auth/verify-email", expect(200, 200, 200, 200, 200),
         prepare=lambda w, u: Call(json={"token": make_verification_token(_fresh_user(email_verified_at=None))})),
    Case("POST", "/auth/verify-email/resend", expect(202, 202, 202, 202, 202),
         prepare=lambda w, u: Call(json={"email": _fresh_email()})),
    Case("POST", "/auth/login", expect(200, 200, 200, 200, 200),
         prepare=lambda w, u: Call(json={"email": _fresh_user().email, "password": PASSWORD})),
    Case("POST", "/auth/login/mfa", expect(400, 400, 400, 400, 400),
         prepare=lambda w, u: Call(json={"code": "123456"})),
    Case("POST", "/auth/logout", expect(401, 200, 200, 200, 200)),
    Case("POST", "/auth/password-reset", expect(202, 202, 202, 202, 202),
         prepare=lambda w, u: Call(json={"email": _fresh_user().email})),
    Case("POST", "/auth/password-reset/confirm", expect(200, 200, 200, 200, 200), prepare=_reset_call),
    Case("GET", "/me", expect(401, 200, 200, 200, 200)),
    Case("PATCH", "/me", expect(401, 200, 200, 200, 200), prepare=lambda w, u: Call(json={"full_name": "New Name"})),
    Case("POST", "/me/password", expect(401, 200, 200, 200, 200),
         prepare=lambda w, u: Call(json={"current_password": PASSWORD, "new_password": "another long passphrase 7"})),
    Case("POST", "/me/sessions/revoke-all", expect(401, 200, 200, 200, 200)),
    Case("POST", "/me/mfa/totp", expect(401, 200, 409, 409, 409)),
    Case("POST", "/me/mfa/totp/confirm", expect(401, 409, 409, 409, 409),
         prepare=lambda w, u: Call(json={"code": "123456"})),
    Case("POST", "/me/mfa/backup-codes", expect(401, 409, 200, 200, 200), prepare=_backup_code_call),
    Case("GET", "/me/addresses", expect(401, 200, 200, 200, 200)),
    Case("POST", "/me/addresses", expect(401, 201, 201, 201, 201), prepare=lambda w, u: Call(json=ADDRESS)),
    Case("GET", "/me/addresses/{address_id}", expect(401, 200, 404, 404, 404), prepare=_address_of_shopper),
    Case("PUT", "/me/addresses/{address_id}", expect(401, 200, 404, 404, 404),
         prepare=lambda w, u: Call(_address_of_shopper(w, u).path_params, {**ADDRESS, "recipient": "Changed"}),
         snapshot=_addresses),
    Case("DELETE", "/me/addresses/{address_id}", expect(401, 204, 404, 404, 404), prepare=_address_of_shopper,
         snapshot=_addresses),
    Case("GET", "/api-keys", expect(401, 403, 200, 403, 200)),
    Case("POST", "/api-keys", expect(401, 404, 404, 403, 201),
         prepare=lambda w, u: Call(json={"name": "warehouse sync", "merchant_id": w.merchant_a.pk}), snapshot=_keys),
    Case("DELETE", "/api-keys/{key_id}", expect(401, 404, 404, 404, 200), prepare=_key_of_merchant_a,
         snapshot=_keys),
    Case("GET", "/users", expect(401, 403, 403, 403, 200), **ADMIN),
    Case("GET", "/users/{user_id}/roles", expect(401, 403, 403, 403, 200),
         prepare=lambda w, u: Call({"user_id": w.staff_a.pk}), **ADMIN),
    Case("POST", "/users/{user_id}/roles", expect(401, 403, 403, 403, 201),
         prepare=lambda w, u: Call({"user_id": _fresh_user().pk}, {"role": "auditor"}), snapshot=_grants, **ADMIN),
    Case("DELETE", "/users/{user_id}/roles/{grant_id}", expect(401, 403, 403, 403, 204),
         prepare=lambda w, u: (lambda g: Call({"user_id": g.user_id, "grant_id": g.pk}))(grant(_fresh_user(), "auditor")),
         snapshot=_grants, **ADMIN),
]
