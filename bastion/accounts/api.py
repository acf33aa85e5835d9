"""Accounts API: registration, sign-in, profile, addresses, MFA, API keys, role assignment."""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.middleware.csrf import get_token
from ninja import Query, Router, Status
from ninja.utils import check_csrf

from bastion.accounts import access, queries
from bastion.accounts.actions import api_keys, mfa, profile, registration, roles
from bastion.accounts.actions.mfa import has_mfa
from bastion.accounts.actor import Actor
from bastion.accounts.api_auth import AUTH, SessionAuth
from bastion.accounts.models import User
from bastion.accounts.schemas import (
    AcceptedOut,
    AddressIn,
    AddressOut,
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    BackupCodesOut,
    CodeIn,
    EmailIn,
    GrantIn,
    GrantOut,
    LoginIn,
    LoginOut,
    MeOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    ProfileIn,
    RegisterIn,
    TokenIn,
    TotpSetupOut,
    UserOut,
)
from bastion.accounts.signin import complete_mfa, mark_mfa_verified, sign_in, sign_out
from bastion.core import ratelimit
from bastion.core.apitools import responses
from bastion.core.clientip import client_ip
from bastion.core.errors import Forbidden, Problem
from bastion.core.roles import ROLES, Perm, global_permissions, merchants_with
from bastion.merchants.models import Merchant

auth_router = Router(tags=["auth"])
me_router = Router(tags=["me"], auth=AUTH)
keys_router = Router(tags=["api keys"], auth=AUTH)
users_router = Router(tags=["users and roles"], auth=AUTH)


def _csrf(request) -> None:
    # Sign-in endpoints set a session cookie, so they need CSRF too (no login CSRF).
    failure = check_csrf(request)
    if failure is not None:
        raise Problem("The CSRF token is missing or wrong; fetch /api/v1/auth/csrf first.", status=403,
                      code="csrf_failed", title="CSRF check failed")


def _session_user(request) -> User:
    """Operations about the person's own second factor need their browser session, not a key."""
    actor = request.auth
    if actor.api_key_prefix:
        raise Forbidden("This needs the person's own signed-in session, not an API key.", code="session_required")
    return actor.user


# --- registration and sign-in --------------------------------------------------------------


@auth_router.get("/csrf", response=responses(AcceptedOut, 429))
def csrf_token(request):
    """Sets the CSRF cookie; send its value back in the X-CSRFToken header."""
    get_token(request)
    return {"detail": "The CSRF cookie is set."}


@auth_router.post("/register", response=responses({202: AcceptedOut}, 400, 413, 422, 429))
def register(request, payload: RegisterIn):
    ratelimit.enforce("register", client_ip(request))
    registration.register_user(email=payload.email, password=payload.password, full_name=payload.full_name,
                               language=payload.language)
    return Status(202, {"detail": "Check your mail: we sent a link to confirm the address."})


@auth_router.post("/verify-email", response=responses(AcceptedOut, 400, 413, 422, 429))
def verify_email(request, payload: TokenIn):
    registration.verify_email(token=payload.token)
    return {"detail": "Your email address is confirmed. You can sign in."}


@auth_router.post("/verify-email/resend", response=responses({202: AcceptedOut}, 400, 413, 422, 429))
def resend_verification(request, payload: EmailIn):
    ratelimit.enforce("verification_mail", client_ip(request), payload.email)
    registration.resend_verification(email=payload.email)
    return Status(202, {"detail": "If the address has an unconfirmed account, a new link is on its way."})


@auth_router.post("/login", response=responses(LoginOut, 400, 401, 403, 413, 422, 429))
def login(request, payload: LoginIn):
    _csrf(request)
    result = sign_in(request, email=payload.email, password=payload.password)
    if result.mfa_required:
        return {"signed_in": False, "mfa_required": True, "detail": "Enter the code from your authenticator."}
    return {"signed_in": True, "mfa_required": False, "detail": "Signed in."}


@auth_router.post("/login/mfa", response=responses(LoginOut, 400, 401, 403, 413, 422, 429))
def login_mfa(request, payload: CodeIn):
    _csrf(request)
    complete_mfa(request, code=payload.code)
    return {"signed_in": True, "mfa_required": False, "detail": "Signed in."}


@auth_router.post("/logout", response=responses(AcceptedOut, 401, 403, 429), auth=[SessionAuth()])
def logout(request):
    sign_out(request)
    return {"detail": "Signed out."}


@auth_router.post("/password-reset", response=responses({202: AcceptedOut}, 400, 413, 422, 429))
def password_reset(request, payload: EmailIn):
    ratelimit.enforce("password_reset", client_ip(request), payload.email)
    registration.request_password_reset(email=payload.email)
    return Status(202, {"detail": "If the address has an account, a reset link is on its way."})


@auth_router.post("/password-reset/confirm", response=responses(AcceptedOut, 400, 413, 422, 429))
def password_reset_confirm(request, payload: PasswordResetConfirmIn):
    registration.reset_password(uid=payload.uid, token=payload.token, new_password=payload.new_password)
    return {"detail": "Your password is changed and every session has ended. Sign in again."}


# --- me ------------------------------------------------------------------------------------


def _me(request, actor: Actor) -> dict:
    user = actor.user
    grants = list(queries.grants_of(user))
    perms = set(global_permissions(actor.grants)) if actor.mfa_verified else set()
    for grant in actor.grants:
        if grant.merchant_id is not None and actor.mfa_verified:
            perms |= {f"{p}@merchant:{grant.merchant_id}" for p in ROLES[grant.role].permissions}
    return {
        "id": user.pk, "email": user.email, "full_name": user.full_name, "phone": user.phone,
        "preferred_language": user.preferred_language, "email_verified": user.is_email_verified,
        "mfa_enabled": has_mfa(user), "mfa_verified": bool(getattr(request.user, "is_verified", lambda: False)())
        or bool(actor.api_key_prefix),
        "roles": grants, "permissions": sorted(perms),
    }


@me_router.get("", response=responses(MeOut, 401, 429))
def me(request):
    return _me(request, request.auth)


@me_router.patch("", response=responses(MeOut, 401, 403, 413, 422, 429))
def update_me(request, payload: ProfileIn):
    profile.update_profile(user=request.auth.user, **payload.dict(exclude_unset=True))
    return _me(request, request.auth)


@me_router.post("/password", response=responses(AcceptedOut, 401, 403, 413, 422, 429))
def change_password(request, payload: PasswordChangeIn):
    user = _session_user(request)
    profile.change_password(user=user, current_password=payload.current_password,
                            new_password=payload.new_password)
    update_session_auth_hash(request, user)  # keep this session, end the others
    return {"detail": "Your password is changed. Other sessions have ended."}


@me_router.post("/sessions/revoke-all", response=responses(AcceptedOut, 401, 403, 429))
def revoke_all_sessions(request):
    user = _session_user(request)
    profile.end_all_sessions(user=user)
    sign_out(request)
    return {"detail": "Every session, this one included, has ended."}


@me_router.post("/mfa/totp", response=responses(TotpSetupOut, 401, 403, 409, 429))
def start_totp(request):
    device = mfa.start_totp_setup(user=_session_user(request))
    return {"secret": b32encode(device.bin_key).decode(), "otpauth_uri": device.config_url}


@me_router.post("/mfa/totp/confirm", response=responses(BackupCodesOut, 401, 403, 409, 413, 422, 429))
def confirm_totp(request, payload: CodeIn):
    enabled = mfa.confirm_totp_setup(user=_session_user(request), code=payload.code)
    mark_mfa_verified(request, enabled.device)
    return {"backup_codes": enabled.backup_codes}


@me_router.post("/mfa/backup-codes", response=responses(BackupCodesOut, 401, 403, 409, 413, 422, 429))
def regenerate_backup_codes(request, payload: CodeIn):
    user = _session_user(request)
    if not has_mfa(user):
        raise Problem("Set up an authenticator first.", status=409, code="mfa_not_enabled")
    if mfa.verify_second_factor(user=user, code=payload.code) is None:
        raise Problem("That code is not correct or was already used.", status=422, code="mfa_code_invalid")
    return {"backup_codes": mfa.issue_backup_codes(user=user)}


# --- addresses -----------------------------------------------------------------------------


@me_router.get("/addresses", response=responses(list[AddressOut], 401, 429))
def list_addresses(request):
    return list(queries.addresses_of(request.auth.user))


@me_router.post("/addresses", response=responses({201: AddressOut}, 401, 403, 413, 422, 429))
def create_address(request, payload: AddressIn):
    return Status(201, profile.add_address(user=request.auth.user, data=payload.dict()))


@me_router.get("/addresses/{address_id}", response=responses(AddressOut, 401, 404, 429))
def get_address(request, address_id: int):
    return access.get_address_for(request.auth, address_id)


@me_router.put("/addresses/{address_id}", response=responses(AddressOut, 401, 403, 404, 413, 422, 429))
def update_address(request, address_id: int, payload: AddressIn):
    address = access.get_address_for(request.auth, address_id)
    return profile.update_address(address=address, data=payload.dict())


@me_router.delete("/addresses/{address_id}", response=responses({204: None}, 401, 403, 404, 429))
def delete_address(request, address_id: int):
    profile.delete_address(address=access.get_address_for(request.auth, address_id))
    return Status(204, None)


# --- API keys ------------------------------------------------------------------------------


def _key_out(key, secret: str | None = None) -> dict:
    out = {"id": key.pk, "name": key.name, "prefix": key.prefix, "merchant_id": key.merchant_id,
           "owner_id": key.owner_id, "created_at": key.created_at, "expires_at": key.expires_at,
           "revoked_at": key.revoked_at, "last_used_at": key.last_used_at}
    if secret is not None:
        out["secret"] = secret
    return out


@keys_router.get("", response=responses(list[ApiKeyOut], 401, 403, 429))
def list_api_keys(request):
    actor = request.auth
    if not actor.can(Perm.APIKEYS_MANAGE) and not actor.merchants_with(Perm.APIKEYS_MANAGE):
        # Name a merchant whose keys the person manages, so that a missing second factor is
        # reported as such rather than as a permission they do hold.
        managed = sorted(merchants_with(actor.grants, Perm.APIKEYS_MANAGE))
        actor.require(Perm.APIKEYS_MANAGE, managed[0] if managed else None)
    return [_key_out(k) for k in access.api_keys_visible_to(actor)]


@keys_router.post("", response=responses({201: ApiKeyCreatedOut}, 401, 403, 404, 409, 413, 422, 429))
def create_api_key(request, payload: ApiKeyIn):
    actor = request.auth
    if actor.api_key_prefix:
        raise Forbidden("An API key cannot create API keys; use a signed-in session.", code="session_required")
    merchant = (access.get_merchant_for(actor, payload.merchant_id, Perm.APIKEYS_MANAGE)
                if payload.merchant_id is not None else None)
    issued = api_keys.create_api_key(actor=actor, name=payload.name, merchant=merchant,
                                     expires_at=payload.expires_at)
    return Status(201, _key_out(issued.key, issued.secret))


@keys_router.delete("/{key_id}", response=responses(ApiKeyOut, 401, 403, 404, 409, 429))
def revoke_api_key(request, key_id: int):
    key = access.get_api_key_for(request.auth, key_id)
    return _key_out(api_keys.revoke_api_key(actor=request.auth, key=key))


# --- people and roles (administrators) ------------------------------------------------------


def _user_out(user: User) -> dict:
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "is_active": user.is_active,
            "email_verified": user.is_email_verified, "roles": list(queries.grants_of(user))}


@users_router.get("", response=responses(list[UserOut], 401, 403, 422, 429))
def list_users(request, search: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=200),
               offset: int = Query(0, ge=0, le=1_000_000)):
    request.auth.require(Perm.ROLES_ASSIGN)
    return [_user_out(u) for u in queries.people_with_roles(search)[offset:offset + limit]]


@users_router.get("/{user_id}/roles", response=responses(list[GrantOut], 401, 403, 404, 429))
def list_roles(request, user_id: int):
    return list(queries.grants_of(access.get_user_for_role_admin(request.auth, user_id)))


@users_router.post("/{user_id}/roles", response=responses({201: GrantOut}, 401, 403, 404, 409, 413, 422, 429))
def grant_role(request, user_id: int, payload: GrantIn):
    user = access.get_user_for_role_admin(request.auth, user_id)
    merchant = None
    if payload.merchant_id is not None:
        merchant = Merchant.objects.filter(pk=payload.merchant_id).first()
        if merchant is None:
            raise Problem("No such merchant.", status=404, code="merchant_not_found")
    grant = roles.grant_role(actor=request.auth, user=user, role=payload.role, merchant=merchant)
    return Status(201, grant)


@users_router.delete("/{user_id}/roles/{grant_id}", response=responses({204: None}, 401, 403, 404, 409, 429))
def revoke_role(request, user_id: int, grant_id: int):
    user = access.get_user_for_role_admin(request.auth, user_id)
    with transaction.atomic():
        roles.revoke_role(actor=request.auth, grant=access.get_role_grant_for(request.auth, user, grant_id))
    if user.pk == request.auth.user_id and request.auth.api_key_prefix is None:
        # One's own privileges changed: this session ends like the others.
        sign_out(request)
    return Status(204, None)

