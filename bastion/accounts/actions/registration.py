"""Registration, email verification and password reset."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from bastion.accounts import mail
from bastion.accounts.models import User
from bastion.core import clock
from bastion.core.errors import Invalid, Problem

VERIFY_SALT = "bastion.accounts.verify-email"


class LinkProblem(Problem):
    status, code, title = 400, "link_invalid", "This link is not valid"


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Invalid("Enter a valid email address.", code="email_invalid", extra={"field": "email"}) from exc
    return email


def check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="password_rejected", extra={"field": "password"}) from exc


@dataclass(frozen=True)
class Registration:
    """What a registration did; `user` is None when the address was already registered."""

    email: str
    user: User | None


@transaction.atomic
def register_user(*, email: str, password: str, full_name: str = "", language: str = "en") -> Registration:
    """Create an unverified account and mail a verification link.

    If the address is already registered nothing is created; its owner gets a mail saying so.
    The caller answers the same in both cases, so registration does not reveal who has an account.
    """
    email = normalise_email(email)
    full_name = full_name.strip()[:150]
    # The password is judged before looking the address up: refusing a weak password only for
    # new addresses would tell anyone which addresses have an account.
    check_password(password, User(email=email, full_name=full_name))
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        # Hash the password anyway so the answer takes as long as a real registration.
        make_password(password)
        transaction.on_commit(lambda: mail.send_already_registered(existing))
        return Registration(email=email, user=None)
    user = User(email=email, full_name=full_name, date_joined=clock.now(),
                preferred_language=language if language in dict(settings.LANGUAGES) else "en")
    user.set_password(password)
    user.save()
    token = make_verification_token(user)
    transaction.on_commit(lambda: mail.send_verification(user, token))
    return Registration(email=email, user=user)


def make_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


@transaction.atomic
def verify_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFY_SALT,
                             max_age=settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds())
    except signing.SignatureExpired as exc:
        raise LinkProblem("This verification link has expired; ask for a new one.",
                          code="verification_link_expired") from exc
    except signing.BadSignature as exc:
        raise LinkProblem("This verification link is not valid.", code="verification_link_invalid") from exc
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise LinkProblem("This verification link is not valid.", code="verification_link_invalid")
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified_at"])
    return user


def resend_verification(*, email: str) -> None:
    """Mail a fresh link if the address belongs to an unverified account; say nothing either way."""
    email = normalise_email(email)
    user = User.objects.filter(email=email, email_verified_at__isnull=True, is_active=True).first()
    if user is not None:
        mail.send_verification(user, make_verification_token(user))


def request_password_reset(*, email: str) -> None:
    """Mail a reset link if the account exists; the caller answers the same either way."""
    email = normalise_email(email)
    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        mail.send_password_reset(user, uid, default_token_generator.make_token(user))


@transaction.atomic
def reset_password(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from a reset link. The link dies with the old password; every session ends."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError) as exc:
        raise LinkProblem("This password reset link is not valid.", code="reset_link_invalid") from exc
    user = User.objects.select_for_update().filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise LinkProblem("This password reset link is not valid or has expired.", code="reset_link_invalid")
    check_password(new_password, user)
    user.set_password(new_password)
    user.session_generation += 1
    # A reset proves control of the mailbox, so it also verifies the address.
    user.email_verified_at = user.email_verified_at or clock.now()
    user.save(update_fields=["password", "session_generation", "email_verified_at"])
    return user
