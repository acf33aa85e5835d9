"""A merchant's own staff, managed by its owner."""

from __future__ import annotations

from django.db import transaction
from ninja import Router, Status

from bastion.accounts import access, queries
from bastion.accounts.actions import roles
from bastion.accounts.actions.registration import normalise_email
from bastion.accounts.api_auth import AUTH
from bastion.accounts.models import User
from bastion.accounts.schemas import StaffIn, StaffOut
from bastion.core.apitools import responses
from bastion.core.errors import NotFound
from bastion.core.roles import Perm, RoleName

router = Router(tags=["merchant staff"], auth=AUTH)


def _staff_out(grant) -> dict:
    return {"grant_id": grant.pk, "user_id": grant.user_id, "email": grant.user.email,
            "full_name": grant.user.full_name, "role": grant.role}


@router.get("/{merchant_id}/staff", response=responses(list[StaffOut], 401, 403, 404, 429))
def list_staff(request, merchant_id: int):
    merchant = access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STAFF)
    return [_staff_out(g) for g in queries.staff_of_merchant(merchant.pk)]


@router.post("/{merchant_id}/staff", response=responses({201: StaffOut}, 401, 403, 404, 409, 413, 422, 429))
def add_staff(request, merchant_id: int, payload: StaffIn):
    merchant = access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STAFF)
    user = User.objects.filter(email=normalise_email(payload.email), is_active=True,
                               email_verified_at__isnull=False).first()
    if user is None:
        raise NotFound("No confirmed account has that address; ask the person to sign up first.",
                       code="user_not_found")
    grant = roles.grant_role(actor=request.auth, user=user, role=RoleName.MERCHANT_STAFF, merchant=merchant)
    return Status(201, _staff_out(grant))


@router.delete("/{merchant_id}/staff/{grant_id}", response=responses({204: None}, 401, 403, 404, 409, 429))
def remove_staff(request, merchant_id: int, grant_id: int):
    merchant = access.get_merchant_for(request.auth, merchant_id, Perm.MERCHANT_MANAGE_STAFF)
    grant = access.get_staff_grant_for(request.auth, merchant, grant_id)
    with transaction.atomic():
        roles.revoke_role(actor=request.auth, grant=grant)
    return Status(204, None)
