"""Granting and revoking roles. Each change ends the person's sessions (privilege change)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from bastion.accounts.actor import Actor
from bastion.accounts.models import RoleGrant, User
from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.roles import ROLES, Perm, RoleName
from bastion.merchants.models import Merchant


def _check_may_manage(actor: Actor, role: RoleName, merchant_id: int | None) -> None:
    # Administrators manage every role; a merchant owner manages the staff of their own merchant.
    if actor.can(Perm.ROLES_ASSIGN):
        return
    if role == RoleName.MERCHANT_STAFF and merchant_id is not None:
        actor.require(Perm.MERCHANT_MANAGE_STAFF, merchant_id)
        return
    actor.require(Perm.ROLES_ASSIGN)


def _privileges_changed(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


@transaction.atomic
def grant_role(*, actor: Actor, user: User, role: str, merchant: Merchant | None = None) -> RoleGrant:
    try:
        role_name = RoleName(role)
    except ValueError as exc:
        raise Invalid(f"Unknown role {role!r}.", code="role_unknown", extra={"field": "role"}) from exc
    if role_name == RoleName.SHOPPER:
        raise Invalid("Everyone is a shopper; that role is not granted.", code="role_not_grantable")
    scoped = ROLES[role_name].merchant_scoped
    if scoped and merchant is None:
        raise Invalid("This role belongs to a merchant: name the merchant.", code="merchant_required")
    if not scoped and merchant is not None:
        raise Invalid("This role is not tied to a merchant.", code="merchant_not_allowed")
    _check_may_manage(actor, role_name, merchant.pk if merchant else None)
    if RoleGrant.objects.filter(user=user, role=role_name, merchant=merchant).exists():
        raise Conflict("This person already holds that role.", code="role_already_granted")
    grant = RoleGrant.objects.create(user=user, role=role_name, merchant=merchant,
                                     granted_by_id=actor.user_id, granted_at=clock.now())
    _privileges_changed(user)
    append_entry(actor=actor.label, action="role.granted", subject=f"user:{user.pk}",
                 payload={"role": role_name.value, "merchant": merchant.pk if merchant else None})
    return grant


@transaction.atomic
def revoke_role(*, actor: Actor, grant: RoleGrant) -> None:
    _check_may_manage(actor, RoleName(grant.role), grant.merchant_id)
    if grant.role == RoleName.ADMINISTRATOR:
        administrators = RoleGrant.objects.select_for_update().filter(role=RoleName.ADMINISTRATOR)
        if administrators.count() <= 1:
            raise Conflict("This is the last administrator; grant the role to someone else first.",
                           code="last_administrator")
    if grant.user_id == actor.user_id and grant.role == RoleName.ADMINISTRATOR:
        raise Forbidden("Administrators cannot remove their own administrator role.", code="self_demotion")
    user = grant.user
    payload = {"role": grant.role, "merchant": grant.merchant_id}
    grant.delete()
    _privileges_changed(user)
    append_entry(actor=actor.label, action="role.revoked", subject=f"user:{user.pk}", payload=payload)


@transaction.atomic
def bootstrap_grant(*, user: User, role: RoleName, merchant: Merchant | None, actor_label: str) -> RoleGrant:
    """Grant from the command line (createstaff, seed-demo), where the operator is the authority."""
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, merchant=merchant,
                                                     defaults={"granted_at": clock.now()})
    if created:
        _privileges_changed(user)
        append_entry(actor=actor_label, action="role.granted", subject=f"user:{user.pk}",
                     payload={"role": role.value, "merchant": merchant.pk if merchant else None})
    return grant
