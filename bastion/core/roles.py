"""Roles and the permissions they carry, held as data (pure: no database).

A person holds role grants. Merchant roles are scoped to one merchant: they give their
permissions for that merchant's data only. Every other staff role is global. Every signed-in
person is a shopper; that role needs no grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Perm(StrEnum):
    MERCHANT_VIEW = "merchant.view"
    MERCHANT_MANAGE_STAFF = "merchant.manage_staff"
    MERCHANT_MANAGE_CATALOG = "merchant.manage_catalog"
    MERCHANT_MANAGE_ORDERS = "merchant.manage_orders"
    MERCHANT_MANAGE_STOCK = "merchant.manage_stock"
    APIKEYS_MANAGE = "apikeys.manage"
    OPS_VIEW = "ops.view"
    OPS_MANAGE = "ops.manage"
    SECURITY_VIEW = "security.view"
    SECURITY_MANAGE = "security.manage"
    AUDIT_VIEW = "audit.view"
    USERS_VIEW = "accounts.view_users"
    ROLES_ASSIGN = "accounts.assign_roles"
    ADMIN_SITE = "admin.site"


class RoleName(StrEnum):
    SHOPPER = "shopper"
    MERCHANT_OWNER = "merchant_owner"
    MERCHANT_STAFF = "merchant_staff"
    OPERATOR = "operator"
    SECURITY_OFFICER = "security_officer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Role:
    name: RoleName
    label: str
    merchant_scoped: bool
    permissions: frozenset[Perm]

    @property
    def is_staff(self) -> bool:
        return self.name != RoleName.SHOPPER


_MERCHANT_STAFF = {Perm.MERCHANT_VIEW, Perm.MERCHANT_MANAGE_CATALOG, Perm.MERCHANT_MANAGE_ORDERS,
                   Perm.MERCHANT_MANAGE_STOCK}

ROLES: dict[RoleName, Role] = {
    role.name: role
    for role in (
        Role(RoleName.SHOPPER, "Shopper", False, frozenset()),
        Role(RoleName.MERCHANT_OWNER, "Merchant owner", True,
             frozenset(_MERCHANT_STAFF | {Perm.MERCHANT_MANAGE_STAFF, Perm.APIKEYS_MANAGE})),
        Role(RoleName.MERCHANT_STAFF, "Merchant staff", True, frozenset(_MERCHANT_STAFF)),
        Role(RoleName.OPERATOR, "Operator", False,
             frozenset({Perm.OPS_VIEW, Perm.OPS_MANAGE, Perm.APIKEYS_MANAGE})),
        Role(RoleName.SECURITY_OFFICER, "Security officer", False,
             frozenset({Perm.SECURITY_VIEW, Perm.SECURITY_MANAGE, Perm.AUDIT_VIEW, Perm.USERS_VIEW})),
        Role(RoleName.AUDITOR, "Auditor", False,
             frozenset({Perm.AUDIT_VIEW, Perm.OPS_VIEW, Perm.SECURITY_VIEW, Perm.USERS_VIEW})),
        Role(RoleName.ADMINISTRATOR, "Administrator", False,
             frozenset({Perm.USERS_VIEW, Perm.ROLES_ASSIGN, Perm.ADMIN_SITE, Perm.APIKEYS_MANAGE,
                        Perm.OPS_VIEW, Perm.SECURITY_VIEW, Perm.AUDIT_VIEW})),
    )
}

MERCHANT_PERMISSIONS = frozenset(p for p in Perm if p.value.startswith("merchant.")) | {Perm.APIKEYS_MANAGE}


@dataclass(frozen=True)
class Grant:
    role: RoleName
    merchant_id: int | None = None


def is_staff(grants: Iterable[Grant]) -> bool:
    return any(ROLES[g.role].is_staff for g in grants)


def global_permissions(grants: Iterable[Grant]) -> frozenset[Perm]:
    """Permissions that hold everywhere (from global roles)."""
    perms: set[Perm] = set()
    for grant in grants:
        if not ROLES[grant.role].merchant_scoped:
            perms |= ROLES[grant.role].permissions
    return frozenset(perms)


def merchant_permissions(grants: Iterable[Grant], merchant_id: int) -> frozenset[Perm]:
    """Permissions over one merchant's data (from that merchant's roles only)."""
    perms: set[Perm] = set()
    for grant in grants:
        if ROLES[grant.role].merchant_scoped and grant.merchant_id == merchant_id:
            perms |= ROLES[grant.role].permissions
    return frozenset(perms)


def has_permission(grants: Iterable[Grant], perm: Perm, merchant_id: int | None = None) -> bool:
    grants = list(grants)
    if merchant_id is not None and perm in merchant_permissions(grants, merchant_id):
        return True
    # Global roles never reach into a merchant's own permissions (an operator cannot edit a
    # merchant's catalog); they only hold their own global permissions.
    return perm in global_permissions(grants) and perm not in (MERCHANT_PERMISSIONS - {Perm.APIKEYS_MANAGE})


def merchants_with(grants: Iterable[Grant], perm: Perm) -> set[int]:
    """The merchants for which these grants give `perm`."""
    return {
        g.merchant_id for g in grants
        if g.merchant_id is not None and ROLES[g.role].merchant_scoped and perm in ROLES[g.role].permissions
    }
