"""Payment providers behind one protocol; `get_provider(name)` gives the configured one."""

from __future__ import annotations

from bastion.core.errors import Problem
from bastion.payments.providers.base import PaymentProvider


class PaymentsNotConfigured(Problem):
    status, code, title = 503, "payments_not_configured", "Payments are not configured on this server"

    def __init__(self) -> None:
        super().__init__("PAYMENT_GATEWAY_SECRET_KEY and PAYMENT_WEBHOOK_SECRET must be set.")


def get_provider(name: str = "sandbox") -> PaymentProvider:
    from django.conf import settings

    from bastion.payments.providers.sandbox import SandboxProvider

    if name != "sandbox":
        raise LookupError(f"no payment provider named {name!r}")
    if not (settings.PAYMENT_GATEWAY_SECRET_KEY and settings.PAYMENT_WEBHOOK_SECRET):
        raise PaymentsNotConfigured()
    return SandboxProvider(base_url=settings.PAYMENT_GATEWAY_URL, secret_key=settings.PAYMENT_GATEWAY_SECRET_KEY,
                           webhook_secret=settings.PAYMENT_WEBHOOK_SECRET)
