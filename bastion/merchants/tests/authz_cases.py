"""Authorization matrix of merchant staff management."""

from __future__ import annotations

import itertools

from bastion.accounts.models import RoleGrant
from bastion.accounts.tests.factories import UserFactory, grant
from bastion.testing.authz import Call, Case, expect

_n = itertools.count()


def _grants(world):
    return sorted(RoleGrant.objects.values_list("id", "user_id", "role", "merchant_id"))


def _new_staff_of_a(world, user) -> Call:
    g = grant(UserFactory(email=f"newstaff{next(_n)}@example.com"), "merchant_staff", world.merchant_a)
    return Call({"merchant_id": world.merchant_a.pk, "grant_id": g.pk})


CASES = [
    Case("GET", "/merchants/{merchant_id}/staff", expect(401, 404, 404, 403, 200),
         prepare=lambda w, u: Call({"merchant_id": w.merchant_a.pk})),
    Case("POST", "/merchants/{merchant_id}/staff", expect(401, 404, 404, 403, 201),
         prepare=lambda w, u: Call({"merchant_id": w.merchant_a.pk},
                                   {"email": UserFactory(email=f"hire{next(_n)}@example.com").email}),
         snapshot=_grants),
    Case("DELETE", "/merchants/{merchant_id}/staff/{grant_id}", expect(401, 404, 404, 403, 204),
         prepare=_new_staff_of_a, snapshot=_grants),
]
