"""The WAF's settings, validated in one place so a typo stops start-up instead of silently weakening it.

settings.py reads the environment (WAF_MODE, WAF_PARANOIA_LEVEL, ...); this module turns the
values into a frozen WafConfig. The config is also the cache key of the compiled rule set, so a
test that overrides a WAF setting gets a rule set built for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MODES = ("block", "detect", "off")
PARANOIA_LEVELS = (1, 2, 3, 4)

DEFAULT_RULES_DIR = "/usr/share/modsecurity-crs/rules"  # Debian's modsecurity-crs
DEFAULT_CRS_SETUP = "/etc/modsecurity/crs/crs-setup.conf"
EXCLUSIONS_FILE = Path(__file__).resolve().parent.parent / "waf_exclusions.conf"


@dataclass(frozen=True)
class WafConfig:
    mode: str
    paranoia_level: int
    anomaly_threshold: int
    rules_dir: Path
    crs_setup: Path
    exclusions_file: Path
    # Missing rules refuse start-up only in production unless explicitly allowed.
    refuse_without_rules: bool
    # The same limits BodySizeLimitMiddleware enforces: the WAF never buffers more than Django would.
    body_limit: int
    upload_limit: int


def _paranoia_level(value: object) -> int:
    # bool is an int in Python; True must not silently mean paranoia level 1.
    if isinstance(value, bool) or value not in PARANOIA_LEVELS:
        raise ImproperlyConfigured(
            f"WAF_PARANOIA_LEVEL must be 1, 2, 3 or 4 (the OWASP Core Rule Set paranoia levels), not {value!r}")
    return int(value)  # type: ignore[call-overload]


def _mode(value: object) -> str:
    if value not in MODES:
        raise ImproperlyConfigured(f"WAF_MODE must be one of {', '.join(MODES)}, not {value!r}")
    return str(value)


def _threshold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"WAF_INBOUND_ANOMALY_THRESHOLD must be a whole number of at least 1, not {value!r}")
    return value


def waf_config() -> WafConfig:
    """The WAF configuration from settings; raises ImproperlyConfigured with the reason when invalid."""
    return WafConfig(
        mode=_mode(getattr(settings, "WAF_MODE", "block")),
        paranoia_level=_paranoia_level(getattr(settings, "WAF_PARANOIA_LEVEL", 1)),
        anomaly_threshold=_threshold(getattr(settings, "WAF_INBOUND_ANOMALY_THRESHOLD", 5)),
        rules_dir=Path(getattr(settings, "WAF_RULES_DIR", DEFAULT_RULES_DIR)),
        crs_setup=Path(getattr(settings, "WAF_CRS_SETUP", DEFAULT_CRS_SETUP)),
        exclusions_file=EXCLUSIONS_FILE,
        refuse_without_rules=settings.PRODUCTION and not getattr(settings, "WAF_ALLOW_MISSING_RULES", False),
        body_limit=settings.MAX_BODY_BYTES,
        upload_limit=settings.MAX_UPLOAD_BYTES,
    )
