"""Who is acting and what they may do: pure rules over grants, no database."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bastion.accounts.actor import ANONYMOUS, Actor, actor_for_user
from bastion.core.errors import Forbidden, NotAuthenticated
from bastion.core.roles import Grant, Perm, RoleName

OWNER_OF_1 = Grant(RoleName.MERCHANT_OWNER, 1)
STAFF_OF_2 = Grant(RoleName.MERCHANT_STAFF, 2)
OPERATOR = Grant(RoleName.OPERATOR)


def _person(*grants: Grant, pk: int = 7):
    return SimpleNamespace(pk=pk, grants=list(grants))


def test_anonymous_is_refused_as_not_authenticated():
    with pytest.raises(NotAuthenticated):
        ANONYMOUS.require(Perm.MERCHANT_VIEW, 1)
    assert (ANONYMOUS.is_authenticated, ANONYMOUS.label, ANONYMOUS.is_staff) == (False, "anonymous", False)


def test_staff_without_second_factor_is_told_to_use_it():
    actor = actor_for_user(_person(OWNER_OF_1), mfa_verified=False)
    with pytest.raises(Forbidden) as refused:
        actor.require(Perm.MERCHANT_MANAGE_STAFF, 1)
    assert refused.value.code == "mfa_required"
    assert not actor.can(Perm.MERCHANT_VIEW, 1)
    assert actor.merchants_with(Perm.MERCHANT_VIEW) == set()


def test_staff_lacking_the_permission_is_denied_even_with_second_factor():
    actor = actor_for_user(_person(STAFF_OF_2), mfa_verified=True)
    with pytest.raises(Forbidden) as refused:
        actor.require(Perm.MERCHANT_MANAGE_STAFF, 2)
    assert refused.value.code == "permission_denied"


def test_lacking_permission_without_second_factor_is_permission_denied_not_mfa():
    # Asking for the second factor would only tell the caller that a code would not help anyway.
    actor = actor_for_user(_person(STAFF_OF_2), mfa_verified=False)
    with pytest.raises(Forbidden) as refused:
        actor.require(Perm.MERCHANT_MANAGE_STAFF, 2)
    assert refused.value.code == "permission_denied"


def test_verified_staff_may_act_on_own_merchant_only():
    actor = actor_for_user(_person(OWNER_OF_1, STAFF_OF_2), mfa_verified=True)
    assert actor.require(Perm.MERCHANT_MANAGE_STAFF, 1) is None
    assert actor.can(Perm.MERCHANT_VIEW, 2)
    assert not actor.can(Perm.MERCHANT_MANAGE_STAFF, 2)
    assert actor.merchants_with(Perm.MERCHANT_VIEW) == {1, 2}


def test_shopper_needs_no_second_factor():
    actor = actor_for_user(_person(), mfa_verified=False)
    assert actor.mfa_verified
    assert not actor.is_staff
    assert actor.label == "user:7"


def test_merchant_bound_key_keeps_only_that_merchants_grants():
    actor = actor_for_user(_person(OWNER_OF_1, STAFF_OF_2, OPERATOR), mfa_verified=True,
                           api_key_prefix="abc123", merchant_id=1)
    assert actor.grants == (OWNER_OF_1,)
    assert actor.label == "apikey:abc123"
    assert not actor.can(Perm.MERCHANT_VIEW, 2)
    assert not actor.can(Perm.OPS_VIEW)


def test_unbound_key_keeps_every_grant():
    actor = actor_for_user(_person(OWNER_OF_1, OPERATOR), mfa_verified=True, api_key_prefix="abc123")
    assert actor.grants == (OWNER_OF_1, OPERATOR)
    assert actor.can(Perm.OPS_MANAGE)


def test_actor_is_immutable():
    actor = Actor(user=None)
    with pytest.raises(AttributeError):
        actor.mfa_verified = True
