"""The permission rules are pure data and functions: tested without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bastion.core.roles import (
    MERCHANT_PERMISSIONS,
    ROLES,
    Grant,
    Perm,
    RoleName,
    global_permissions,
    has_permission,
    is_staff,
    merchant_permissions,
    merchants_with,
)

SCOPED_ROLES = [name for name, role in ROLES.items() if role.merchant_scoped]
GLOBAL_ROLES = [name for name, role in ROLES.items() if not role.merchant_scoped]
MERCHANT_ONLY = frozenset(p for p in Perm if p.value.startswith("merchant."))
MERCHANTS = st.integers(min_value=1, max_value=4)

scoped_grants = st.builds(Grant, st.sampled_from(SCOPED_ROLES), MERCHANTS)
global_grants = st.builds(Grant, st.sampled_from(GLOBAL_ROLES), st.none())
any_grants = st.lists(st.one_of(scoped_grants, global_grants), max_size=6)
perms = st.sampled_from(list(Perm))


def test_role_table_is_exactly_as_designed():
    assert {name: (role.merchant_scoped, set(role.permissions)) for name, role in ROLES.items()} == {
        RoleName.SHOPPER: (False, set()),
        RoleName.MERCHANT_OWNER: (True, {Perm.MERCHANT_VIEW, Perm.MERCHANT_MANAGE_CATALOG,
                                         Perm.MERCHANT_MANAGE_ORDERS, Perm.MERCHANT_MANAGE_STOCK,
                                         Perm.MERCHANT_MANAGE_STAFF, Perm.APIKEYS_MANAGE}),
        RoleName.MERCHANT_STAFF: (True, {Perm.MERCHANT_VIEW, Perm.MERCHANT_MANAGE_CATALOG,
                                         Perm.MERCHANT_MANAGE_ORDERS, Perm.MERCHANT_MANAGE_STOCK}),
        RoleName.OPERATOR: (False, {Perm.OPS_VIEW, Perm.OPS_MANAGE, Perm.APIKEYS_MANAGE}),
        RoleName.SECURITY_OFFICER: (False, {Perm.SECURITY_VIEW, Perm.SECURITY_MANAGE, Perm.AUDIT_VIEW,
                                            Perm.USERS_VIEW}),
        RoleName.AUDITOR: (False, {Perm.AUDIT_VIEW, Perm.OPS_VIEW, Perm.SECURITY_VIEW, Perm.USERS_VIEW}),
        RoleName.ADMINISTRATOR: (False, {Perm.USERS_VIEW, Perm.ROLES_ASSIGN, Perm.ADMIN_SITE,
                                         Perm.APIKEYS_MANAGE, Perm.OPS_VIEW, Perm.SECURITY_VIEW,
                                         Perm.AUDIT_VIEW}),
    }


def test_merchant_permissions_are_the_merchant_perms_plus_api_keys():
    assert MERCHANT_ONLY | {Perm.APIKEYS_MANAGE} == MERCHANT_PERMISSIONS


def test_owner_manages_staff_of_own_merchant_only():
    grants = [Grant(RoleName.MERCHANT_OWNER, 1)]
    assert has_permission(grants, Perm.MERCHANT_MANAGE_STAFF, 1)
    assert not has_permission(grants, Perm.MERCHANT_MANAGE_STAFF, 2)
    assert not has_permission(grants, Perm.MERCHANT_MANAGE_STAFF)


def test_merchant_staff_cannot_manage_staff_or_keys():
    grants = [Grant(RoleName.MERCHANT_STAFF, 1)]
    assert has_permission(grants, Perm.MERCHANT_MANAGE_CATALOG, 1)
    assert not has_permission(grants, Perm.MERCHANT_MANAGE_STAFF, 1)
    assert not has_permission(grants, Perm.APIKEYS_MANAGE, 1)


def test_operator_cannot_edit_a_merchants_catalog_but_may_manage_keys():
    grants = [Grant(RoleName.OPERATOR)]
    assert not has_permission(grants, Perm.MERCHANT_MANAGE_CATALOG, 1)
    assert not has_permission(grants, Perm.MERCHANT_VIEW, 1)
    assert has_permission(grants, Perm.APIKEYS_MANAGE, 1)
    assert has_permission(grants, Perm.OPS_MANAGE)


def test_auditor_reads_but_does_not_manage():
    grants = [Grant(RoleName.AUDITOR)]
    assert has_permission(grants, Perm.AUDIT_VIEW)
    assert not has_permission(grants, Perm.SECURITY_MANAGE)
    assert not has_permission(grants, Perm.OPS_MANAGE)
    assert not has_permission(grants, Perm.ROLES_ASSIGN)


def test_nobody_without_grants_has_any_permission():
    assert all(not has_permission([], perm, merchant) for perm in Perm for merchant in (None, 1))
    assert global_permissions([]) == frozenset()


def test_merchants_with_lists_only_merchants_whose_role_carries_the_permission():
    grants = [Grant(RoleName.MERCHANT_OWNER, 1), Grant(RoleName.MERCHANT_STAFF, 2), Grant(RoleName.OPERATOR)]
    assert merchants_with(grants, Perm.MERCHANT_MANAGE_STAFF) == {1}
    assert merchants_with(grants, Perm.MERCHANT_VIEW) == {1, 2}
    assert merchants_with(grants, Perm.OPS_VIEW) == set()


@given(grants=st.lists(scoped_grants, max_size=6), perm=perms, merchant=MERCHANTS)
def test_merchant_grants_never_give_permissions_on_another_merchant(grants, perm, merchant):
    others = [g for g in grants if g.merchant_id != merchant]
    assert not has_permission(others, perm, merchant)
    assert merchant_permissions(others, merchant) == frozenset()
    assert not has_permission(others, perm)  # nor anywhere globally


@given(grants=any_grants, perm=perms, merchant=MERCHANTS)
def test_grants_for_other_merchants_add_nothing_to_this_one(grants, perm, merchant):
    relevant = [g for g in grants if g.merchant_id in (None, merchant)]
    assert has_permission(grants, perm, merchant) == has_permission(relevant, perm, merchant)
    assert merchants_with(grants, perm) <= {g.merchant_id for g in grants if g.merchant_id is not None}


@given(grants=st.lists(global_grants, max_size=6), merchant=st.one_of(st.none(), MERCHANTS))
def test_global_roles_never_give_merchant_permissions_except_api_keys(grants, merchant):
    for perm in MERCHANT_ONLY:
        assert not has_permission(grants, perm, merchant)
    assert merchant_permissions(grants, merchant or 1) == frozenset()
    holds_keys = any(Perm.APIKEYS_MANAGE in ROLES[g.role].permissions for g in grants)
    assert has_permission(grants, Perm.APIKEYS_MANAGE, merchant) == holds_keys


@given(grants=any_grants)
def test_is_staff_exactly_when_a_grant_is_not_shopper(grants):
    assert is_staff(grants) == any(g.role != RoleName.SHOPPER for g in grants)


def test_shopper_is_not_staff():
    assert not is_staff([])
    assert not is_staff([Grant(RoleName.SHOPPER)])
    assert is_staff([Grant(RoleName.SHOPPER), Grant(RoleName.MERCHANT_STAFF, 1)])
    assert [name for name, role in ROLES.items() if not role.is_staff] == [RoleName.SHOPPER]
