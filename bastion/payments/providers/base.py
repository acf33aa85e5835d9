"""The protocol every payment provider adapter implements, and the values it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol


class ProviderError(Exception):
    """The provider refused the request, or could not be reached; `code` says which."""

    def __init__(self, message: str, *, code: str = "provider_error", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class IntentResult:
    """The provider's view of one payment (its running totals, never deltas)."""

    provider_id: str
    status: str
    amount: Decimal
    currency: str
    reference: str
    amount_captured: Decimal
    amount_refunded: Decimal
    failure_code: str = ""
    hosted_url: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IntentResult:
        return cls(provider_id=str(data["id"]), status=str(data["status"]), amount=Decimal(str(data["amount"])),
                   currency=str(data["currency"]), reference=str(data["reference"]),
                   amount_captured=Decimal(str(data.get("amount_captured", "0"))),
                   amount_refunded=Decimal(str(data.get("amount_refunded", "0"))),
                   failure_code=str(data.get("failure_code") or ""), hosted_url=str(data.get("hosted_url") or ""))


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    type: str
    intent: IntentResult
    payload: dict[str, Any]


class PaymentProvider(Protocol):
    name: str

    def create_intent(self, *, amount: Decimal, currency: str, reference: str, return_url: str,
                      idempotency_key: str) -> IntentResult:
        """A payment the shopper completes on the provider's hosted page (`hosted_url`)."""

    def authorise(self, *, amount: Decimal, currency: str, reference: str, payment_method: str,
                  idempotency_key: str) -> IntentResult:
        """Authorise directly with a card token / payment method (server to server)."""

    def capture(self, *, provider_id: str, idempotency_key: str) -> IntentResult: ...

    def void(self, *, provider_id: str, idempotency_key: str) -> IntentResult: ...

    def refund(self, *, provider_id: str, amount: Decimal, idempotency_key: str) -> IntentResult: ...

    def retrieve(self, *, provider_id: str) -> IntentResult: ...

    def verify_webhook(self, *, headers: Mapping[str, str], body: bytes, now: float | None = None) -> WebhookEvent:
        """The event, if signed by the provider within the time window; else raise (see webhook_signature)."""
