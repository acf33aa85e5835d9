"""The ModSecurity engine and its compiled rule set: built once per process and configuration.

Compiling the Core Rule Set parses ~500 rules and their data files, so it happens when the
middleware is created (start-up), never per request; each request only opens a transaction.

The rule set is, in load order:
  1. Bastion's engine directives (below): body access, body limits, JSON/XML body parsers, the
     Unicode map (unicode_map.py: why Chinese text needs it);
  2. Debian's crs-setup.conf (WAF_CRS_SETUP), then Bastion's tuning (paranoia level, threshold,
     methods), which overrides it;
  3. the operator's REQUEST-900 exclusions next to crs-setup.conf, if any, then Bastion's own
     per-route exclusions (bastion/security/waf_exclusions.conf) — runtime exclusions must come
     before the rules they change;
  4. the CRS request rules from WAF_RULES_DIR (see SKIPPED_CRS_FILES for what is left out);
  5. the operator's RESPONSE-999 exclusions, if any.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from bastion.security.waf.config import WafConfig
from bastion.security.waf.unicode_map import CODE_PAGE, unicode_map_file

logger = logging.getLogger("bastion.security.waf")

# Files of Debian's CRS that Bastion does not load, with the reason.
SKIPPED_CRS_FILES = {
    # @geoLookup needs GeoIP/MaxMind support, which the libmodsecurity wheel is built without:
    # the file does not parse. Client reputation belongs to Bastion's own intrusion detection.
    "REQUEST-910-IP-REPUTATION.conf",
}
# REQUEST-903.9xxx are exclusion packages for Drupal, WordPress, Nextcloud...: not Bastion.
# RESPONSE-* rules are not loaded: Bastion does not pass its responses through ModSecurity
# (buffering every response costs more than leakage rules for PHP/IIS/Java errors give).
_SKIPPED_PREFIXES = ("REQUEST-903.",)

# Rules 200000-200004 are ModSecurity's recommended engine configuration (modsecurity.conf-recommended).
_ENGINE_DIRECTIVES = """\
SecRuleEngine {engine}
SecUnicodeMapFile {unicode_map} {code_page}
SecRequestBodyAccess On
SecRequestBodyLimit {upload_limit}
SecRequestBodyNoFilesLimit {body_limit}
SecRequestBodyLimitAction Reject
SecResponseBodyAccess Off
SecAuditEngine Off
SecArgumentSeparator &
SecCookieFormat 0
SecRule REQUEST_HEADERS:Content-Type "@rx (?:application(?:/soap\\+|/)|text/)xml" \
    "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/(?:[a-z0-9.+-]+\\+)?json" \
    "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQBODY_ERROR "!@eq 0" \
    "id:200002,phase:2,t:none,log,deny,status:400,severity:2,\
msg:'Failed to parse request body',logdata:'%{{reqbody_error_msg}}'"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" \
    "id:200003,phase:2,t:none,log,deny,status:400,severity:2,\
msg:'Multipart request body failed strict validation'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \
    "id:200004,phase:2,t:none,log,deny,status:400,severity:2,\
msg:'Multipart parser detected a possible unmatched boundary'"
"""

# Overrides what crs-setup.conf may say (ids 1001+ are the local-use range; CRS owns 900000-999999).
# PUT, PATCH and DELETE are REST API verbs; CRS allows only GET HEAD POST OPTIONS by default.
# UTF-8 validation (920250) is on: every Bastion page and API speaks UTF-8 only, so a malformed
# sequence is an evasion attempt, not a customer.
_TUNING = """\
SecAction "id:1001,phase:1,pass,nolog,t:none,\
setvar:tx.paranoia_level={paranoia_level},\
setvar:tx.inbound_anomaly_score_threshold={threshold},\
setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE',\
setvar:tx.crs_validate_utf8_encoding=1"
"""


@dataclass(frozen=True)
class CompiledWaf:
    config: WafConfig
    engine: Any = None  # libmodsecurity.ModSecurity
    rules: Any = None  # libmodsecurity.RulesSet
    rules_loaded: int = 0
    files: tuple[Path, ...] = ()
    degraded_reason: str = ""
    engine_version: str = ""

    @property
    def inspecting(self) -> bool:
        return self.rules is not None and self.config.mode != "off"


def crs_files(config: WafConfig) -> list[Path]:
    return [path for path in sorted(config.rules_dir.glob("REQUEST-*.conf"))
            if path.name not in SKIPPED_CRS_FILES and not path.name.startswith(_SKIPPED_PREFIXES)]


def _missing_rules(config: WafConfig, files: list[Path]) -> str:
    if not config.rules_dir.is_dir():
        return f"the Core Rule Set directory {config.rules_dir} does not exist (install Debian's modsecurity-crs)"
    if not any(path.name.startswith("REQUEST-949") for path in files):
        return f"{config.rules_dir} holds no Core Rule Set request rules (REQUEST-*.conf)"
    if not config.crs_setup.is_file():
        return f"the Core Rule Set setup file {config.crs_setup} does not exist"
    return ""


def rules_text(config: WafConfig, files: list[Path], unicode_map: Path) -> str:
    """The SecLanguage that builds Bastion's rule set (module docstring: why in this order)."""
    engine = "On" if config.mode == "block" else "DetectionOnly"
    local = config.crs_setup.parent
    parts = [
        _ENGINE_DIRECTIVES.format(engine=engine, unicode_map=unicode_map, code_page=CODE_PAGE,
                                  body_limit=config.body_limit, upload_limit=config.upload_limit),
        f"Include {config.crs_setup}\n",
        _TUNING.format(paranoia_level=config.paranoia_level, threshold=config.anomaly_threshold),
    ]
    if (local / "REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf").is_file():
        parts.append(f"Include {local / 'REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf'}\n")
    parts.append(f"Include {config.exclusions_file}\n")
    parts.extend(f"Include {path}\n" for path in files)
    if (local / "RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf").is_file():
        parts.append(f"Include {local / 'RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf'}\n")
    return "".join(parts)


def _without_rules(config: WafConfig, reason: str) -> CompiledWaf:
    if config.refuse_without_rules:
        raise ImproperlyConfigured(
            f"The web application firewall cannot start: {reason}. Install the rules (Debian: "
            "apt-get install modsecurity-crs) or point WAF_RULES_DIR / WAF_CRS_SETUP at them. "
            "WAF_ALLOW_MISSING_RULES=true runs the shop WITHOUT a firewall.")
    logger.critical("WAF DEGRADED: %s. Requests pass UNINSPECTED until the rules are installed.", reason)
    return CompiledWaf(config=config, degraded_reason=reason)


def _discard_log(_line: str) -> None:
    """ModSecurity's own log lines carry unmasked request data; matches are read per transaction instead."""


@functools.lru_cache(maxsize=4)
def compiled_waf(config: WafConfig) -> CompiledWaf:
    """The engine and rule set for this configuration, compiled on first use in this process."""
    if config.mode == "off":
        return CompiledWaf(config=config)
    try:
        from libmodsecurity import ModSecurity, RulesSet
    except ImportError as exc:
        return _without_rules(config, f"the libmodsecurity Python package is not installed ({exc})")
    files = crs_files(config)
    reason = _missing_rules(config, files)
    if reason:
        return _without_rules(config, reason)
    engine = ModSecurity()
    engine.set_connector_information("Bastion (Django middleware)")
    engine.set_log_callback(_discard_log)
    rules = RulesSet()
    with unicode_map_file() as unicode_map:
        loaded = rules.load(rules_text(config, files, unicode_map))
    if loaded < 0:
        error = rules.get_parser_error().strip()
        if str(config.exclusions_file) in error or "File:" not in error:
            # Bastion's own directives or exclusions: a bug to fix, in every mode.
            raise ImproperlyConfigured(f"The WAF rules do not parse: {error}")
        return _without_rules(config, f"the Core Rule Set does not parse: {error}")
    logger.info("WAF ready: mode %s, paranoia level %s, threshold %s, %s rules loaded",
                config.mode, config.paranoia_level, config.anomaly_threshold, loaded)
    return CompiledWaf(config=config, engine=engine, rules=rules, rules_loaded=loaded,
                       files=(config.crs_setup, config.exclusions_file, *files), engine_version=engine.who_am_i())
