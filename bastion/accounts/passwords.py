"""Offline breached-password check beyond Django's list: common passwords in disguise.

Django's CommonPasswordValidator refuses the 20,000 passwords seen most often in breaches.
People dress those up ("Passw0rd!2024", "dragon1234"); this validator undoes the usual
disguises (leetspeak, trailing digits and symbols, capitals) and checks the same list again.
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_TRAILER = re.compile(r"[\d\W_]+$")
_LEADER = re.compile(r"^[\d\W_]+")


def undisguise(password: str) -> set[str]:
    lowered = password.lower().strip()
    core = _LEADER.sub("", _TRAILER.sub("", lowered))
    return {candidate for candidate in {core, core.translate(_LEET), lowered.translate(_LEET)} if len(candidate) >= 4}


class CommonPasswordVariantValidator:
    def __init__(self) -> None:
        self._common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        if undisguise(password) & self._common:
            raise ValidationError(
                _("This password is a common password with small changes; choose one that is not."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be a common password with small changes such as digits or symbols added.")
