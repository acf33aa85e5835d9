"""Password rules: common passwords and their usual disguises are refused, passphrases accepted."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bastion.accounts.actions.registration import check_password
from bastion.accounts.models import User
from bastion.accounts.passwords import CommonPasswordVariantValidator, undisguise
from bastion.core.errors import Invalid


@pytest.mark.parametrize("password", [
    "Password123!", "dr@gon2024", "P@ssw0rd2024", "!!monkey2024", "Sunshine_99", "QWERTY!!2025",
    "Iloveyou2024!!",
])
def test_common_password_in_disguise_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        CommonPasswordVariantValidator().validate(password)
    assert [e.code for e in refused.value.error_list] == ["password_too_common"]


@pytest.mark.parametrize("password", [
    "tangerine lighthouse at dusk 1987", "Correct-Staple-Orbit-Walrus", "mq7#Kd!v93Lp",
])
def test_uncommon_password_passes_the_variant_check(password):
    assert CommonPasswordVariantValidator().validate(password) is None


def test_undisguise_strips_digits_symbols_capitals_and_leetspeak():
    assert "password" in undisguise("Password123!")
    assert "dragon" in undisguise("dr@gon2024")
    assert "password" in undisguise("P@55w0rd")
    assert undisguise("12!") == set()  # nothing word-like left to compare


@pytest.mark.parametrize("password,why", [
    ("Password123!", "common in disguise"),
    ("dr@gon2024", "common in disguise"),
    ("password", "common"),
    ("Xk9#pQ2!", "too short"),
    ("12345678901234", "all digits"),
])
def test_whole_policy_refuses_with_a_stable_code(password, why):
    with pytest.raises(Invalid) as refused:
        check_password(password)
    assert (refused.value.status, refused.value.code, refused.value.extra) == (
        422, "password_rejected", {"field": "password"}), why


def test_password_like_the_email_is_refused():
    person = User(email="lin.hao.tea@example.com", full_name="Lin Hao")
    with pytest.raises(ValidationError):
        validate_password("lin.hao.tea@example", person)


def test_long_passphrase_is_accepted():
    assert check_password("tangerine lighthouse at dusk 1987", User(email="a@example.com")) is None


def test_production_hasher_is_argon2():
    from bastion import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
