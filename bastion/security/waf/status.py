"""The WAF's state in one call, for the operations console and the readiness probe. Never raises."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from bastion.security.waf.config import waf_config
from bastion.security.waf.engine import compiled_waf


@dataclass(frozen=True)
class WafStatus:
    state: str  # "blocking" | "detecting" | "off" | "degraded" | "misconfigured"
    mode: str
    paranoia_level: int | None
    anomaly_threshold: int | None
    rules_loaded: int
    degraded_reason: str
    engine_version: str

    @property
    def ready(self) -> bool:
        """False when the WAF should inspect but cannot; "off" is a deliberate choice, so it is ready."""
        return self.state in {"blocking", "detecting", "off"}


def waf_status() -> WafStatus:
    try:
        config = waf_config()
        waf = compiled_waf(config)
    except ImproperlyConfigured as exc:
        return WafStatus(state="misconfigured", mode="?", paranoia_level=None, anomaly_threshold=None,
                         rules_loaded=0, degraded_reason=str(exc), engine_version="")
    if config.mode == "off":
        state = "off"
    elif waf.degraded_reason:
        state = "degraded"
    else:
        state = "blocking" if config.mode == "block" else "detecting"
    return WafStatus(state=state, mode=config.mode, paranoia_level=config.paranoia_level,
                     anomaly_threshold=config.anomaly_threshold, rules_loaded=waf.rules_loaded,
                     degraded_reason=waf.degraded_reason, engine_version=waf.engine_version)
