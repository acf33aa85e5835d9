"""Deployment check: production refuses payments until both payment secrets are set."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def payment_secrets_are_set(app_configs, **kwargs):
    missing = [name for name in ("PAYMENT_GATEWAY_SECRET_KEY", "PAYMENT_WEBHOOK_SECRET") if not getattr(settings, name)]
    if not missing:
        return []
    return [Error(f"{', '.join(missing)} not set: every payment webhook is refused and no payment can start",
                  hint="Set them in the environment (the gateway's API secret key and its webhook signing secret).",
                  id="payments.E001")]
