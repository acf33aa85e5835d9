"""A person's own profile, password, sessions and address book."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.db.models import F

from bastion.accounts.actions.registration import check_password
from bastion.accounts.models import Address, User
from bastion.core import clock
from bastion.core.errors import Invalid

MAX_ADDRESSES = 20
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,19}$")
_CN_POSTCODE = re.compile(r"^[0-9]{6}$")
_POSTCODE = re.compile(r"^[A-Za-z0-9 \-]{2,12}$")
# Countries we ship to; the commerce issue adds zones and rates per region.
COUNTRIES = {"CN": "China", "HK": "Hong Kong SAR", "MO": "Macao SAR", "TW": "Taiwan", "SG": "Singapore",
             "JP": "Japan", "KR": "South Korea", "US": "United States", "GB": "United Kingdom", "DE": "Germany",
             "FR": "France"}


def _field_error(field: str, message: str, code: str) -> Invalid:
    return Invalid(message, code=code, extra={"field": field})


@transaction.atomic
def update_profile(*, user: User, full_name: str | None = None, phone: str | None = None,
                   preferred_language: str | None = None) -> User:
    fields = []
    if full_name is not None:
        user.full_name = full_name.strip()[:150]
        fields.append("full_name")
    if phone is not None:
        phone = phone.strip()
        if phone and not _PHONE.match(phone):
            raise _field_error("phone", "Enter a phone number with digits only (an optional leading +).",
                               "phone_invalid")
        user.phone = phone
        fields.append("phone")
    if preferred_language is not None:
        if preferred_language not in dict(settings.LANGUAGES):
            raise _field_error("preferred_language", "Choose English (en) or Simplified Chinese (zh-hans).",
                               "language_unsupported")
        user.preferred_language = preferred_language
        fields.append("preferred_language")
    if fields:
        user.save(update_fields=fields)
    return user


@transaction.atomic
def change_password(*, user: User, current_password: str, new_password: str) -> User:
    if not user.check_password(current_password):
        raise _field_error("current_password", "Your current password is not correct.", "password_incorrect")
    check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def end_all_sessions(*, user: User) -> User:
    """Sign the person out everywhere: every session made before this stops working.

    F() raises the stored generation, not this copy's: a copy loaded before a concurrent role change
    would otherwise write back the generation that change already set, and spare newer sessions.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return user


def clean_address(data: dict) -> dict:
    cleaned = {key: (str(data.get(key) or "")).strip() for key in
               ("label", "recipient", "phone", "line1", "line2", "city", "region", "postal_code", "country")}
    cleaned["country"] = cleaned["country"].upper() or "CN"
    for key in ("recipient", "phone", "line1", "city", "region", "postal_code"):
        if not cleaned[key]:
            raise _field_error(key, f"{key.replace('_', ' ').capitalize()} is required.", "address_incomplete")
    if cleaned["country"] not in COUNTRIES:
        raise _field_error("country", "We do not ship to this country.", "country_unsupported")
    if not _PHONE.match(cleaned["phone"]):
        raise _field_error("phone", "Enter a phone number with digits only (an optional leading +).",
                           "phone_invalid")
    pattern = _CN_POSTCODE if cleaned["country"] == "CN" else _POSTCODE
    if not pattern.match(cleaned["postal_code"]):
        raise _field_error("postal_code", "Enter a valid postal code (six digits in China).", "postal_code_invalid")
    limits = {"label": 40, "recipient": 100, "line1": 200, "line2": 200, "city": 100, "region": 100}
    for key, limit in limits.items():
        if len(cleaned[key]) > limit:
            raise _field_error(key, f"{key.capitalize()} is longer than {limit} characters.", "field_too_long")
    cleaned["is_default"] = bool(data.get("is_default"))
    return cleaned


def _make_only_default(address: Address) -> None:
    Address.objects.filter(user_id=address.user_id).exclude(pk=address.pk).update(is_default=False)


@transaction.atomic
def add_address(*, user: User, data: dict) -> Address:
    cleaned = clean_address(data)
    # Lock the person's row so two concurrent adds cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    count = Address.objects.filter(user=user).count()
    if count >= MAX_ADDRESSES:
        raise Invalid(f"An address book holds at most {MAX_ADDRESSES} addresses.", code="address_book_full")
    cleaned["is_default"] = cleaned["is_default"] or count == 0
    address = Address.objects.create(user=user, created_at=clock.now(), **cleaned)
    if address.is_default:
        _make_only_default(address)
    return address


@transaction.atomic
def update_address(*, address: Address, data: dict) -> Address:
    """Edit an address. The default stays the default until another address is made the default:
    clearing the flag on it would leave the book with no default at all."""
    cleaned = clean_address(data)
    # Lock the person's row: default changes of one address book happen one at a time.
    User.objects.select_for_update().filter(pk=address.user_id).first()
    was_default = Address.objects.filter(pk=address.pk, is_default=True).exists()
    cleaned["is_default"] = cleaned["is_default"] or was_default
    for key, value in cleaned.items():
        setattr(address, key, value)
    address.save(update_fields=list(cleaned))
    if address.is_default:
        _make_only_default(address)
    return address


@transaction.atomic
def delete_address(*, address: Address) -> None:
    User.objects.select_for_update().filter(pk=address.user_id).first()
    user_id = address.user_id
    was_default = Address.objects.filter(pk=address.pk, is_default=True).exists()
    address.delete()
    if was_default:
        successor = Address.objects.filter(user_id=user_id).order_by("id").first()
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
