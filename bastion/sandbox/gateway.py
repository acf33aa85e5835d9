"""The sandbox payment gateway: a small standalone HTTP server (standard library only, no Django).

API (Bearer secret key):  POST /v1/payment_intents            {amount, currency, reference, return_url
                                                                 | payment_method} -> intent (+ hosted_url)
                          GET  /v1/payment_intents/{id}         the intent, for reconciliation
                          POST /v1/payment_intents/{id}/capture | /void | /refunds {amount}
                          GET  /v1/deliveries                   webhook deliveries still pending
Hosted pages (no key):    GET/POST /pay/{id}, GET/POST /pay/{id}/challenge (3-D Secure, code 1234)

Test cards: 4242424242424242 success, 4000000000000002 declined, 4000000000009995 insufficient
funds, 4000000000003220 3-D Secure challenge, 4000000000000119 network timeout (delay, then 504).

Every change sends a webhook (payment.authorised / failed / captured / voided / refunded) carrying
the intent's running totals, signed Standard Webhooks style, retried with exponential backoff until
the receiver answers 2xx, and on purpose duplicated and delayed (so reordered) with probability
`duplicate_probability`. POSTs accept an Idempotency-Key: a retry answers the first result, the
same key with another body answers 422.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import html
import json
import random
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bastion.payments.webhook_signature import sign

CARDS = {
    "4242424242424242": "success",
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000003220": "challenge",
    "4000000000000119": "timeout",
}
CHALLENGE_CODE = "1234"
EVENT_FOR_STATUS = {"authorised": "payment.authorised", "failed": "payment.failed", "captured": "payment.captured",
                    "voided": "payment.voided", "partially_refunded": "payment.refunded", "refunded": "payment.refunded"}


class GatewayError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Config:
    secret_key: str
    webhook_url: str = ""
    webhook_secret: str = ""
    public_url: str = ""
    duplicate_probability: float = 0.2
    timeout_delay: float = 3.0
    retry_base: float = 0.5
    max_attempts: int = 10
    state_file: Path | None = None


@dataclass(order=True)
class _Delivery:
    due: float
    seq: int
    event_id: str = field(compare=False)
    body: bytes = field(compare=False)
    attempt: int = field(compare=False, default=0)


class Gateway:
    """The gateway's state and rules; the HTTP handler below only parses and answers."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.intents: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[str, tuple[str, int, dict[str, Any]]] = {}
        self.queue: list[_Delivery] = []
        self.queue_ready = threading.Condition(self.lock)
        self.in_flight = 0
        self.running: set[str] = set()
        self.seq = 0
        self.random = random.Random()  # noqa: S311 (chaos, not cryptography)
        if config.state_file and config.state_file.exists():
            saved = json.loads(config.state_file.read_text())
            self.intents, self.idempotency = saved["intents"], {k: tuple(v) for k, v in saved["idempotency"].items()}

    # --- state -------------------------------------------------------------------------------
    def _save(self) -> None:
        if self.config.state_file:
            tmp = self.config.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps({"intents": self.intents, "idempotency": self.idempotency}))
            tmp.replace(self.config.state_file)

    def _intent(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents.get(intent_id)
        if intent is None:
            raise GatewayError(404, "intent_not_found", "no such payment intent")
        return intent

    def public(self, intent: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in intent.items() if k != "refunds"}
        view["refunds"] = list(intent["refunds"])
        if intent["status"] in ("requires_payment_method", "requires_action"):
            view["hosted_url"] = f"{self.config.public_url}/pay/{intent['id']}"
        return view

    def idempotent(self, key: str | None, fingerprint: str, run) -> tuple[int, dict[str, Any]]:
        if not key:
            return run()
        with self.lock:
            if key in self.idempotency:
                digest, status, answer = self.idempotency[key]
                if digest != fingerprint:
                    raise GatewayError(422, "idempotency_key_reused", "this Idempotency-Key was used with another request")
                return status, answer
            if key in self.running:
                raise GatewayError(409, "idempotency_key_in_use", "a request with this Idempotency-Key is running")
            self.running.add(key)
        try:
            status, answer = run()
        except GatewayError as exc:
            status, answer = exc.status, {"error": {"code": exc.code, "message": exc.message}}
        finally:
            with self.lock:
                self.running.discard(key)
        with self.lock:
            if status < 500:  # a timeout may be retried with the same key; a refusal is the answer
                self.idempotency[key] = (fingerprint, status, answer)
                self._save()
        if status >= 400:
            raise GatewayError(status, answer["error"]["code"], answer["error"]["message"])
        return status, answer

    def create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            amount = Decimal(str(body["amount"]))
            currency, reference = str(body.get("currency", "CNY")), str(body["reference"])
        except (KeyError, InvalidOperation):
            raise GatewayError(400, "invalid_request", "amount and reference are required") from None
        if not amount.is_finite() or amount <= 0:
            raise GatewayError(400, "invalid_amount", "amount must be positive")
        method = body.get("payment_method")
        if method is not None and CARDS.get(_digits(method)) == "timeout":
            time.sleep(self.config.timeout_delay)
            raise GatewayError(504, "network_timeout", "the card network did not answer")
        with self.lock:
            intent = {"id": "pi_" + secrets.token_hex(12), "amount": str(amount), "currency": currency,
                      "reference": reference, "return_url": str(body.get("return_url") or ""),
                      "status": "requires_payment_method", "amount_captured": "0.00", "amount_refunded": "0.00",
                      "failure_code": "", "refunds": [], "created": int(time.time())}
            self.intents[intent["id"]] = intent
            if method is not None:
                self._pay(intent, _digits(method))
            self._save()
            return 201, self.public(intent)

    def _pay(self, intent: dict[str, Any], card: str) -> str:
        outcome = CARDS.get(card, "card_declined")
        if outcome == "success":
            self._change(intent, status="authorised")
        elif outcome == "challenge":
            intent["status"] = "requires_action"
        else:
            self._change(intent, status="failed", failure_code=outcome)
        return outcome

    def pay(self, intent_id: str, card: str) -> str:
        """The hosted page's submit: the outcome (success, challenge, card_declined, ...)."""
        if CARDS.get(card) == "timeout":
            time.sleep(self.config.timeout_delay)
            return "timeout"
        with self.lock:
            intent = self._intent(intent_id)
            if intent["status"] != "requires_payment_method":
                raise GatewayError(409, "intent_already_paid", "this payment was already completed")
            outcome = self._pay(intent, card)
            self._save()
            return outcome

    def challenge(self, intent_id: str, code: str) -> bool:
        with self.lock:
            intent = self._intent(intent_id)
            if intent["status"] != "requires_action":
                raise GatewayError(409, "no_challenge_pending", "no 3-D Secure challenge is pending")
            passed = hmac.compare_digest(code.strip(), CHALLENGE_CODE)
            if passed:
                self._change(intent, status="authorised")
            else:
                self._change(intent, status="failed", failure_code="authentication_failed")
            self._save()
            return passed

    def capture(self, intent_id: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            intent = self._intent(intent_id)
            if intent["status"] != "authorised":
                raise GatewayError(409, "intent_not_capturable", f"intent is {intent['status']}")
            self._change(intent, status="captured", amount_captured=intent["amount"])
            self._save()
            return 200, self.public(intent)

    def void(self, intent_id: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            intent = self._intent(intent_id)
            if intent["status"] != "authorised":
                raise GatewayError(409, "intent_not_voidable", f"intent is {intent['status']}")
            self._change(intent, status="voided")
            self._save()
            return 200, self.public(intent)

    def refund(self, intent_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            intent = self._intent(intent_id)
            if intent["status"] not in ("captured", "partially_refunded"):
                raise GatewayError(409, "intent_not_refundable", f"intent is {intent['status']}")
            captured, refunded = Decimal(intent["amount_captured"]), Decimal(intent["amount_refunded"])
            try:
                amount = Decimal(str(body.get("amount", captured - refunded)))
            except InvalidOperation:
                raise GatewayError(400, "invalid_amount", "amount is not a number") from None
            if not amount.is_finite() or amount <= 0:
                raise GatewayError(400, "invalid_amount", "amount must be positive")
            if refunded + amount > captured:
                raise GatewayError(400, "refund_exceeds_captured", "refunds cannot exceed the captured amount")
            total = refunded + amount
            intent["refunds"].append({"id": "re_" + secrets.token_hex(8), "amount": str(amount)})
            self._change(intent, status="refunded" if total == captured else "partially_refunded",
                         amount_refunded=str(total))
            self._save()
            return 200, self.public(intent)

    # --- webhooks ------------------------------------------------------------------------------
    def _change(self, intent: dict[str, Any], **changes: Any) -> None:
        intent.update(changes)
        if not self.config.webhook_url:
            return
        event_id = "evt_" + secrets.token_hex(12)
        body = json.dumps({"id": event_id, "type": EVENT_FOR_STATUS[intent["status"]], "created": int(time.time()),
                           "data": self.public(intent)}).encode()
        chaos = self.config.duplicate_probability
        now = time.monotonic()
        delay = self.random.uniform(0, 1.0) if self.random.random() < chaos else 0.0  # later events may overtake
        self._enqueue(_Delivery(now + delay, 0, event_id, body))
        if self.random.random() < chaos:
            self._enqueue(_Delivery(now + self.random.uniform(0, 1.0), 0, event_id, body))  # the same event again

    def _enqueue(self, delivery: _Delivery) -> None:
        with self.lock:
            self.seq += 1
            delivery.seq = self.seq
            heapq.heappush(self.queue, delivery)
            self.queue_ready.notify()

    def pending_deliveries(self) -> int:
        with self.lock:
            return len(self.queue) + self.in_flight

    def deliver_forever(self) -> None:
        while True:
            with self.lock:
                while not self.queue or self.queue[0].due > time.monotonic():
                    self.queue_ready.wait(timeout=(self.queue[0].due - time.monotonic()) if self.queue else None)
                delivery = heapq.heappop(self.queue)
                self.in_flight += 1
            try:
                if not self._post(delivery) and delivery.attempt + 1 < self.config.max_attempts:
                    delivery.attempt += 1  # back off: retry_base, twice that, ... (at most an hour)
                    delivery.due = time.monotonic() + min(self.config.retry_base * 2 ** (delivery.attempt - 1), 3600)
                    self._enqueue(delivery)
            finally:
                with self.lock:
                    self.in_flight -= 1  # after the retry is queued, so pending never reads 0 in between

    def _post(self, delivery: _Delivery) -> bool:
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", "webhook-id": delivery.event_id,
                   "webhook-timestamp": str(stamp), "User-Agent": "bastion-sandbox-gateway/1",
                   "webhook-signature": sign(secret=self.config.webhook_secret, msg_id=delivery.event_id,
                                             timestamp=stamp, body=delivery.body)}
        request = urllib.request.Request(self.config.webhook_url, data=delivery.body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URL)
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError):
            return False


def _digits(card: Any) -> str:
    return "".join(ch for ch in str(card) if ch.isdigit())


def _fingerprint(method: str, path: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([method, path, body], sort_keys=True).encode()).hexdigest()


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox payment</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto}}label,input,button{{display:block;margin:.5rem 0}}
</style></head><body><h1>Sandbox payment</h1>{content}</body></html>"""


def _page(content: str) -> bytes:
    return _PAGE.format(content=content).encode()


class Handler(BaseHTTPRequestHandler):
    gateway: Gateway
    server_version = "BastionSandboxGateway/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        supplied = self.headers.get("Authorization", "")
        return hmac.compare_digest(supplied.encode(), f"Bearer {self.gateway.config.secret_key}".encode())

    def _handle(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        parts = path.split("/")[1:]
        try:
            if parts and parts[0] == "pay":
                return self._hosted(method, parts)
            if not self._authorised():
                raise GatewayError(401, "unauthenticated", "send the secret key as a Bearer token")
            raw = self._body() if method == "POST" else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                raise GatewayError(400, "invalid_json", "the body is not JSON") from None
            if not isinstance(body, dict):
                raise GatewayError(400, "invalid_json", "the body is not a JSON object")
            status, answer = self._route(method, parts, body)
            self._json(status, answer)
        except GatewayError as exc:
            self._json(exc.status, {"error": {"code": exc.code, "message": exc.message}})

    def _route(self, method: str, parts: list[str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        gateway, key = self.gateway, self.headers.get("Idempotency-Key")
        if method == "GET" and parts == ["v1", "deliveries"]:
            return 200, {"pending": gateway.pending_deliveries()}
        if parts[:2] != ["v1", "payment_intents"]:
            raise GatewayError(404, "not_found", "no such endpoint")
        fingerprint = _fingerprint(method, "/".join(parts), body)
        if method == "POST" and len(parts) == 2:
            return gateway.idempotent(key, fingerprint, lambda: gateway.create(body))
        if method == "GET" and len(parts) == 3:
            with gateway.lock:
                return 200, gateway.public(gateway._intent(parts[2]))
        if method == "POST" and len(parts) == 4:
            intent_id, action = parts[2], parts[3]
            run = {"capture": lambda: gateway.capture(intent_id), "void": lambda: gateway.void(intent_id),
                   "refunds": lambda: gateway.refund(intent_id, body)}.get(action)
            if run is not None:
                return gateway.idempotent(key, fingerprint, run)
        raise GatewayError(404 if method in ("GET", "POST") else 405, "not_found", "no such endpoint")

    def _hosted(self, method: str, parts: list[str]) -> None:
        gateway = self.gateway
        intent_id = parts[1] if len(parts) > 1 else ""
        with gateway.lock:
            intent = dict(gateway._intent(intent_id))
        form = urllib.parse.parse_qs(self._body().decode(errors="replace")) if method == "POST" else {}
        amount = html.escape(f"{intent['amount']} {intent['currency']}")
        if len(parts) == 3 and parts[2] == "challenge":
            if method == "GET":
                return self._send(200, _page(f"<p>3-D Secure: enter the code your bank sent (test: 1234) to pay "
                                             f"{amount}.</p><form method=post><label>Code <input name=code "
                                             "autocomplete=one-time-code></label><button>Confirm</button></form>"),
                                  "text/html; charset=utf-8")
            passed = gateway.challenge(intent_id, form.get("code", [""])[0])
            return self._finish(intent, "authorised" if passed else "failed")
        if len(parts) != 2:
            raise GatewayError(404, "not_found", "no such page")
        if method == "GET":
            return self._send(200, _page(
                f"<p>Pay {amount} for {html.escape(intent['reference'])}.</p><form method=post>"
                "<label>Card number <input name=card_number inputmode=numeric autocomplete=cc-number></label>"
                "<button>Pay</button></form>"), "text/html; charset=utf-8")
        outcome = gateway.pay(intent_id, _digits(form.get("card_number", [""])[0]))
        if outcome == "timeout":
            return self._send(504, _page("<p>The card network did not answer. Try again.</p>"),
                              "text/html; charset=utf-8")
        if outcome == "challenge":
            return self._send(303, b"", "text/plain", {"Location": f"/pay/{intent_id}/challenge"})
        return self._finish(intent, "authorised" if outcome == "success" else "failed")

    def _finish(self, intent: dict[str, Any], status: str) -> None:
        if intent["return_url"]:
            split = urllib.parse.urlsplit(intent["return_url"])
            query = urllib.parse.urlencode([*urllib.parse.parse_qsl(split.query),
                                            ("payment_intent", intent["id"]), ("status", status)])
            return self._send(303, b"", "text/plain", {"Location": urllib.parse.urlunsplit(split._replace(query=query))})
        return self._send(200, _page(f"<p>Payment {html.escape(status)}.</p>"), "text/html; charset=utf-8")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


def make_server(config: Config, *, host: str = "127.0.0.1", port: int = 8701) -> tuple[ThreadingHTTPServer, Gateway]:
    gateway = Gateway(config)
    handler = type("BoundHandler", (Handler,), {"gateway": gateway})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    if not config.public_url:
        config.public_url = f"http://{host}:{server.server_address[1]}"
    for _ in range(4):
        threading.Thread(target=gateway.deliver_forever, name="webhook-delivery", daemon=True).start()
    return server, gateway


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8701) -> None:
    server, _ = make_server(config, host=host, port=port)
    print(f"sandbox gateway listening on {config.public_url}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
