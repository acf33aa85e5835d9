"""Mask personal data and secrets in text that security records keep (e.g. what a WAF rule matched).

Attack payloads arrive inside real requests: a matched value may hold a customer's email, phone
or card number, or a password or session cookie. Records keep the shape of the attack, not the data.
"""

from __future__ import annotations

import re

MAX_LENGTH = 200

_EMAIL = re.compile(r"([A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# 13-19 digits, optionally grouped by spaces or dashes: every card scheme's length ("+" starts a phone).
_CARD = re.compile(r"(?<![\d+])(?:\d[ -]?){12,18}\d(?!\d)")
# A phone number: optional +, then 7-15 digits with spaces, dashes or parentheses between (no dots:
# an IP address in an attack is worth keeping).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ()-]{5,18}\d(?!\d)")
# "... within ARGS:json.password: VALUE" or "ARGS:password=VALUE": a target whose name says it holds a secret.
_SECRET_TARGET = re.compile(
    r"((?:ARGS(?:_GET|_POST|_NAMES)?|REQUEST_COOKIES(?:_NAMES)?|REQUEST_HEADERS|FILES|XML)[:.][\w.\-\[\]/]*?"
    r"(?:pass|pwd|secret|token|session|csrf|cookie|authorization|api[-_]?key|signature|otp|code)[\w.\-\[\]/]*)",
    re.IGNORECASE,
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_card(match: re.Match) -> str:
    return f"[card …{_digits(match.group(0))[-4:]}]"


def _mask_phone(match: re.Match) -> str:
    digits = _digits(match.group(0))
    return f"[phone …{digits[-2:]}]" if len(digits) >= 7 else match.group(0)


# Control characters (NUL above all: PostgreSQL text cannot hold it) and lone surrogates, which no
# database encoding accepts. Attacks use both; the record shows them escaped instead of dropping them.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(text: str) -> str:
    return _UNSTORABLE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x80
                           else f"\\u{ord(m.group(0)):04x}", text)


def mask_personal_data(text: str, *, limit: int = MAX_LENGTH) -> str:
    """Text with emails, card and phone numbers masked, values of secret-bearing targets removed and
    control characters escaped, truncated to `limit` characters."""
    text = printable(text)
    secret = _SECRET_TARGET.search(text)
    if secret:
        # The matched value and the variable's value both hold the secret: keep only where it was.
        return truncate(f"[value masked: {secret.group(1)} holds a secret]", limit)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = _CARD.sub(_mask_card, text)
    text = _PHONE.sub(_mask_phone, text)
    return truncate(text, limit)


def truncate(text: str, limit: int = MAX_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
