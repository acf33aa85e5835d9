"""Role and country names in the reader's language.

core/roles.py and accounts keep these names as English data next to their stable values; the
interfaces show them through here, so that they are in the translation catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bastion.accounts.actions.profile import COUNTRIES
from bastion.core.roles import ROLES, RoleName

ROLE_LABELS = {
    RoleName.SHOPPER: _("Shopper"),
    RoleName.MERCHANT_OWNER: _("Merchant owner"),
    RoleName.MERCHANT_STAFF: _("Merchant staff"),
    RoleName.OPERATOR: _("Operator"),
    RoleName.SECURITY_OFFICER: _("Security officer"),
    RoleName.AUDITOR: _("Auditor"),
    RoleName.ADMINISTRATOR: _("Administrator"),
}

COUNTRY_LABELS = {
    "CN": _("China"),
    "HK": _("Hong Kong SAR"),
    "MO": _("Macao SAR"),
    "TW": _("Taiwan"),
    "SG": _("Singapore"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "DE": _("Germany"),
    "FR": _("France"),
}


def role_label(role: str) -> str:
    """The shown name of a role value: "merchant_owner" is "Merchant owner", or its translation."""
    try:
        name = RoleName(role)
    except ValueError:
        return role
    return str(ROLE_LABELS.get(name, ROLES[name].label))


def country_label(code: str) -> str:
    """The shown name of a country code we ship to; an unknown code is shown as it is."""
    return str(COUNTRY_LABELS.get(code, COUNTRIES.get(code, code)))


def country_choices() -> list[tuple[str, object]]:
    """Address-form choices: China first, then the others; names stay lazy (translated per request)."""
    return [(code, COUNTRY_LABELS.get(code, name))
            for code, name in sorted(COUNTRIES.items(), key=lambda c: c[0] != "CN")]
