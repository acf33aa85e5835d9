"""The only way interfaces fetch account objects that the actor may not own.

Something the actor may not see is "not found", never "forbidden", so ids cannot be probed.
"""

from __future__ import annotations

from django.db.models import Q

from bastion.accounts.actor import Actor
from bastion.accounts.models import Address, ApiKey, RoleGrant, User
from bastion.core.errors import NotFound
from bastion.core.roles import Perm
from bastion.merchants.models import Merchant


def get_address_for(actor: Actor, address_id: int) -> Address:
    actor.require_user()
    address = Address.objects.filter(pk=address_id, user_id=actor.user_id).first()
    if address is None:
        raise NotFound("No such address in your address book.", code="address_not_found")
    return address


def api_keys_visible_to(actor: Actor):
    """Own keys, plus every key of a merchant the actor manages keys for."""
    actor.require_user()
    return ApiKey.objects.filter(
        Q(owner_id=actor.user_id) | Q(merchant_id__in=actor.merchants_with(Perm.APIKEYS_MANAGE))
    ).select_related("merchant")


def get_api_key_for(actor: Actor, key_id: int) -> ApiKey:
    key = api_keys_visible_to(actor).filter(pk=key_id).first()
    if key is None:
        raise NotFound("No such API key.", code="api_key_not_found")
    return key


def get_merchant_for(actor: Actor, merchant_id: int, perm: Perm) -> Merchant:
    """A merchant the actor works for, checked for `perm`; other merchants are not found."""
    actor.require_user()
    merchant = Merchant.objects.filter(pk=merchant_id).first()
    # Only the merchant's own people reach its objects; global staff roles do not (an operator
    # cannot mint a key bound to a shop, or see its staff).
    works_there = any(g.merchant_id == merchant_id for g in actor.grants)
    if merchant is None or not works_there:
        raise NotFound("No such merchant.", code="merchant_not_found")
    actor.require(perm, merchant_id)
    return merchant


def get_user_for_role_admin(actor: Actor, user_id: int) -> User:
    actor.require(Perm.ROLES_ASSIGN)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such person.", code="user_not_found")
    return user


def get_staff_grant_for(actor: Actor, merchant: Merchant, grant_id: int) -> RoleGrant:
    """A staff grant of a merchant whose staff the actor manages (checked by get_merchant_for)."""
    grant = RoleGrant.objects.select_related("user").filter(pk=grant_id, merchant=merchant).first()
    if grant is None:
        raise NotFound("No such staff member.", code="role_grant_not_found")
    return grant


def get_role_grant_for(actor: Actor, user: User, grant_id: int) -> RoleGrant:
    grant = RoleGrant.objects.select_related("user").filter(pk=grant_id, user=user).first()
    if grant is None:
        raise NotFound("No such role grant.", code="role_grant_not_found")
    return grant
