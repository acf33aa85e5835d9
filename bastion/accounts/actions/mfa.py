"""Second factor: a TOTP authenticator plus one-time backup codes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from bastion.accounts.models import BackupCode, User
from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid

DEVICE_NAME = "authenticator"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed by hand


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_mfa(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator secret; it replaces any earlier unconfirmed one."""
    if has_mfa(user):
        raise Conflict("An authenticator is already set up; remove it before adding another.",
                       code="mfa_already_enabled")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


@dataclass(frozen=True)
class EnabledMfa:
    device: TOTPDevice
    backup_codes: list[str]


@transaction.atomic
def confirm_totp_setup(*, user: User, code: str) -> EnabledMfa:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise Conflict("Start the authenticator setup first.", code="mfa_setup_not_started")
    if not device.verify_token(code):
        raise Invalid("That code is not correct; check the time on your device and try again.",
                      code="mfa_code_invalid", extra={"field": "code"})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_backup_codes(user=user)
    append_entry(actor=f"user:{user.pk}", action="mfa.enabled", subject=f"user:{user.pk}",
                 payload={"device": device.persistent_id})
    return EnabledMfa(device=device, backup_codes=codes)


@transaction.atomic
def issue_backup_codes(*, user: User) -> list[str]:
    """Ten fresh codes; all earlier codes stop working. The plain codes are returned once."""
    BackupCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(10):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    BackupCode.objects.bulk_create([BackupCode(user=user, code_hash=_hash_code(c)) for c in codes])
    return codes


def use_backup_code(*, user: User, code: str) -> bool:
    """True once per code: the conditional update lets only one concurrent use win."""
    used = BackupCode.objects.filter(user=user, code_hash=_hash_code(code), used_at__isnull=True).update(
        used_at=clock.now())
    return used == 1


def verify_second_factor(*, user: User, code: str) -> TOTPDevice | None:
    """The user's device if `code` is a fresh TOTP code or an unused backup code, else None.

    django-otp refuses a TOTP code whose time step was already accepted, so a code works once.
    It reads and writes that step (and its failure throttle) without a lock, so the device row
    is locked here: two requests racing with one code, or guessing in parallel past the
    throttle, are judged one after the other.
    """
    code = (code or "").strip()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        if code.isdigit() and len(code) == device.digits:
            return device if device.verify_token(code) else None
    return device if use_backup_code(user=user, code=code) else None


@transaction.atomic
def disable_mfa(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    append_entry(actor=f"user:{user.pk}", action="mfa.disabled", subject=f"user:{user.pk}", payload={})
