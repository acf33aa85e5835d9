"""The adapter for Bastion's sandbox gateway (bastion/sandbox/gateway.py), over HTTP with urllib."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bastion.payments import webhook_signature
from bastion.payments.providers.base import IntentResult, ProviderError, WebhookEvent

TIMEOUT_SECONDS = 15


class SandboxProvider:
    name = "sandbox"

    def __init__(self, *, base_url: str, secret_key: str, webhook_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
              idempotency_key: str | None = None) -> IntentResult:
        headers = {"Authorization": f"Bearer {self.secret_key}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)  # noqa: S310 (configured http(s) URL)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                error = json.loads(exc.read()).get("error", {})
            except ValueError:
                error = {}
            raise ProviderError(error.get("message", f"gateway answered {exc.code}"),
                                code=error.get("code", "gateway_error"), status=exc.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ProviderError(f"gateway unreachable: {exc}", code="gateway_unreachable") from None
        return IntentResult.from_json(answer)

    def create_intent(self, *, amount: Decimal, currency: str, reference: str, return_url: str,
                      idempotency_key: str) -> IntentResult:
        return self._call("POST", "/v1/payment_intents", {"amount": str(amount), "currency": currency,
                                                          "reference": reference, "return_url": return_url},
                          idempotency_key=idempotency_key)

    def authorise(self, *, amount: Decimal, currency: str, reference: str, payment_method: str,
                  idempotency_key: str) -> IntentResult:
        return self._call("POST", "/v1/payment_intents", {"amount": str(amount), "currency": currency,
                                                          "reference": reference, "payment_method": payment_method},
                          idempotency_key=idempotency_key)

    def capture(self, *, provider_id: str, idempotency_key: str) -> IntentResult:
        return self._call("POST", f"/v1/payment_intents/{provider_id}/capture", {}, idempotency_key=idempotency_key)

    def void(self, *, provider_id: str, idempotency_key: str) -> IntentResult:
        return self._call("POST", f"/v1/payment_intents/{provider_id}/void", {}, idempotency_key=idempotency_key)

    def refund(self, *, provider_id: str, amount: Decimal, idempotency_key: str) -> IntentResult:
        return self._call("POST", f"/v1/payment_intents/{provider_id}/refunds", {"amount": str(amount)},
                          idempotency_key=idempotency_key)

    def retrieve(self, *, provider_id: str) -> IntentResult:
        return self._call("GET", f"/v1/payment_intents/{provider_id}")

    def verify_webhook(self, *, headers: Mapping[str, str], body: bytes, now: float | None = None) -> WebhookEvent:
        msg_id = headers.get("webhook-id", "")
        webhook_signature.verify(secret=self.webhook_secret, msg_id=msg_id,
                                 timestamp=headers.get("webhook-timestamp", ""),
                                 signature_header=headers.get("webhook-signature", ""), body=body,
                                 now=time.time() if now is None else now)
        try:
            payload = json.loads(body)
            intent = IntentResult.from_json(payload["data"])
            kind = str(payload["type"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"signed body is not an event: {exc}", code="webhook_payload_invalid") from None
        return WebhookEvent(event_id=msg_id, type=kind, intent=intent, payload=payload)
