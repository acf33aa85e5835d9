"""Signing in and out: password, then the second factor when the person has one.

Shared by the API and the HTML pages. Brute-force protection is django-axes, which counts
failures per account and per client address and answers the same whether the account exists.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django_otp import login as otp_login
from django_otp.middleware import is_verified as otp_is_verified

from bastion.accounts.actions.mfa import has_mfa, verify_second_factor
from bastion.accounts.models import User
from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.clientip import client_ip
from bastion.core.errors import Forbidden, NotAuthenticated, Problem, TooManyRequests

PENDING_KEY = "bastion.mfa_pending"
AUTH_AT_KEY = "bastion.auth_at"
MFA_PENDING_SECONDS = 300
MFA_MAX_TRIES = 5
BACKEND = "bastion.accounts.backends.EmailRoleBackend"


class MfaNotPending(Problem):
    status, code, title = 400, "mfa_not_pending", "Sign in with your password first"


def _locked_out() -> TooManyRequests:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return TooManyRequests(
        f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password.",
        code="signin_locked", headers={"Retry-After": str(minutes * 60)},
    )


@dataclass(frozen=True)
class SignIn:
    user: User
    mfa_required: bool


def sign_in(request, *, email: str, password: str) -> SignIn:
    """Check the password. Either signs the person in, or leaves the session waiting for MFA."""
    request.session.pop(PENDING_KEY, None)
    user = authenticate(request, email=(email or "").strip().lower(), password=password or "")
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise _locked_out()
        raise NotAuthenticated("The email or password is not correct.", code="invalid_credentials")
    if not user.is_email_verified:
        raise Forbidden("Confirm your email address first: we sent you a link.", code="email_not_verified")
    if has_mfa(user):
        request.session.cycle_key()
        request.session[PENDING_KEY] = {"user": user.pk, "at": clock.now().timestamp(), "tries": 0}
        return SignIn(user=user, mfa_required=True)
    _complete(request, user, device=None)
    return SignIn(user=user, mfa_required=False)


def complete_mfa(request, *, code: str) -> User:
    pending = request.session.get(PENDING_KEY)
    if not pending or clock.now().timestamp() - pending["at"] > MFA_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        raise MfaNotPending("Your sign-in has timed out; enter your email and password again.")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    device = verify_second_factor(user=user, code=code) if user else None
    if device is None:
        pending["tries"] += 1
        if pending["tries"] >= MFA_MAX_TRIES:
            request.session.pop(PENDING_KEY, None)
            raise TooManyRequests("Too many wrong codes; sign in with your password again.",
                                  code="mfa_too_many_attempts")
        request.session[PENDING_KEY] = pending
        raise NotAuthenticated("That code is not correct or was already used.", code="mfa_code_invalid")
    request.session.pop(PENDING_KEY, None)
    _complete(request, user, device=device)
    return user


def mark_mfa_verified(request, device) -> None:
    """After the person proves a second factor in-session: a privilege change, so a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


def _complete(request, user: User, *, device) -> None:
    login(request, user, backend=BACKEND)  # rotates the session key
    # login() replaced request.user; give it back what OTPMiddleware gives every user.
    request.user.otp_device = None
    request.user.is_verified = functools.partial(otp_is_verified, request.user)
    if device is not None:
        otp_login(request, device)
    request.session[AUTH_AT_KEY] = clock.now().timestamp()
    if user.is_staff:
        with transaction.atomic():
            append_entry(actor=f"user:{user.pk}", action="staff.signed_in", subject=f"user:{user.pk}",
                         payload={"client": client_ip(request), "mfa": device is not None})


def sign_out(request) -> None:
    logout(request)
