"""The Simplified Chinese catalogue is complete, compiled, and used.

scripts/i18n refreshes the catalogue from the code and compiles it; these tests fail when a new
string was not translated, when a translation is still fuzzy, or when the committed .mo is older
than the .po. The .mo is compared by content, not by file time: a git checkout sets every file
time to the time of the checkout.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from bastion.accounts.actions.profile import COUNTRIES
from bastion.core.roles import ROLES, RoleName
from bastion.storefront.labels import country_label, role_label

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags": set, "msgctxt"/"msgid"/"msgid_plural"/"msgstr"/"msgstr[n]": str}.

    Obsolete entries (#~) are left out, as msgfmt leaves them out of the .mo.
    """
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    keyword = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if keyword is not None:
                entries.append(entry)
            entry, keyword = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            keyword, _space, text = line.partition(" ")
            entry[keyword] = ast.literal_eval(text)
    return entries


def _messages() -> list[dict]:
    return [e for e in read_po(_catalogue_dir() / "django.po") if e["msgid"]]


def _translations(entry: dict) -> list[str]:
    return [text for key, text in entry.items() if key.startswith("msgstr")]


def test_the_catalogue_has_every_message_translated_and_none_fuzzy():
    entries = read_po(_catalogue_dir() / "django.po")
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 100  # the interface, not an empty file
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(_translations(e))] == []


def test_translations_keep_every_placeholder():
    wrong = [e["msgid"] for e in _messages() for text in _translations(e)
             if set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(e["msgid"]))]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po():
    with (_catalogue_dir() / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages():
        if "msgid_plural" in entry:
            found = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)]
            expected = [entry["msgstr[0]"]]
        elif "msgctxt" in entry:
            found, expected = [compiled.pgettext(entry["msgctxt"], entry["msgid"])], [entry["msgstr"]]
        else:
            found, expected = [compiled.gettext(entry["msgid"])], [entry["msgstr"]]
        if found != expected:
            stale.append(entry["msgid"])
    assert stale == [], "the .mo is older than the .po: run scripts/i18n and commit both"


def test_the_interface_speaks_simplified_chinese():
    with translation.override("zh-hans"):
        assert _("Sign in") == "登录"
        assert role_label(RoleName.MERCHANT_OWNER) == "店主"
        assert country_label("CN") == "中国"
    with translation.override("en"):
        assert _("Sign in") == "Sign in"


def test_every_role_and_country_has_a_chinese_name():
    with translation.override("zh-hans"):
        untranslated_roles = [r.value for r in RoleName if role_label(r) == ROLES[r].label]
        untranslated_countries = [code for code, name in COUNTRIES.items() if country_label(code) == name]
    assert untranslated_roles == []
    assert untranslated_countries == []
