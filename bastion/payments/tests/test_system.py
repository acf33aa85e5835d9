"""System test: the real sandbox gateway process, a live Bastion server, real signed webhooks.

The gateway's webhooks go to the live server; flows run through the provider and the hosted
pages; the gateway duplicates and delays (reorders) its webhooks, once with probability 1.0. In
the end every payment must be in the gateway's state and nothing counted twice.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from bastion.audit.models import LedgerEntry
from bastion.payments import actions
from bastion.payments.models import Payment
from bastion.payments.providers.sandbox import SandboxProvider
from bastion.payments.reconcile import reconcile

pytestmark = pytest.mark.system
OK, DECLINED, CHALLENGE = "4242424242424242", "4000000000000002", "4000000000003220"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gateway_process(request, live_server, settings):
    port = _free_port()
    argv = [sys.executable, "-m", "bastion.cli", "sandbox-gateway", "--port", str(port), "--secret-key", "sk_system",
            "--webhook-url", f"{live_server.url}/api/v1/payments/webhooks/sandbox",
            "--webhook-secret", settings.PAYMENT_WEBHOOK_SECRET, "--duplicate-probability", str(request.param),
            "--retry-base", "0.2", "--timeout-delay", "0.2"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stdout.readline()
        assert "listening" in line, line + (process.stdout.read() if process.poll() is not None else "")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


_ONE_AT_A_TIME = threading.Lock()


@pytest.fixture(autouse=True)
def _one_request_at_a_time_on_sqlite(monkeypatch):
    """With SQLite the test database is in memory, and the live server's threads share the test's one
    connection: two requests (or a request and the test) at once would interleave on it. There,
    requests and the test's own actions take turns; PostgreSQL gives each thread its connection."""
    if connection.vendor != "sqlite":
        return
    handle = WSGIHandler.__call__

    def one_at_a_time(self, environ, start_response):
        with _ONE_AT_A_TIME:
            return handle(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", one_at_a_time)


def _in_turn(action, **kwargs):
    """Run an action in its turn (see above). Every provider call carries an Idempotency-Key."""
    with _ONE_AT_A_TIME:
        return action(**kwargs)


def _pending(base: str) -> int:
    request = urllib.request.Request(f"{base}/v1/deliveries", headers={"Authorization": "Bearer sk_system"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["pending"]


def _hosted_post(url: str, fields: dict[str, str]) -> str:
    """Submit a hosted page form; the Location it redirects to (not followed)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode(fields).encode()
    try:
        opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 303, exc.code
        return exc.headers["Location"]
    raise AssertionError("the hosted page did not redirect")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("gateway_process", [0.2, 1.0], indirect=True, ids=["some-duplicates", "all-duplicated"])
def test_flows_end_in_the_gateway_state(gateway_process, request):
    provider = SandboxProvider(base_url=gateway_process, secret_key="sk_system", webhook_secret="")
    payments = []
    for n in range(3):  # authorise, capture, refund in two parts
        p = _in_turn(actions.authorise_payment, reference=f"CO-S{n}", amount=Decimal("90.00"), payment_method=OK,
                      provider=provider, idempotency_key=f"auth-{n}")
        p = _in_turn(actions.capture_payment, payment_id=p.pk, actor="test", provider=provider)
        p = _in_turn(actions.refund_payment, payment_id=p.pk, amount=Decimal("30"), idempotency_key="a",
                      actor="test", provider=provider)
        if n:
            p = _in_turn(actions.refund_payment, payment_id=p.pk, amount=Decimal("60"), idempotency_key="b",
                          actor="test", provider=provider)
        payments.append(p)
    declined = _in_turn(actions.authorise_payment, reference="CO-D", amount=Decimal("5"), payment_method=DECLINED,
                         provider=provider, idempotency_key="declined")
    voided = _in_turn(actions.authorise_payment, reference="CO-V", amount=Decimal("5"), payment_method=OK,
                       provider=provider, idempotency_key="voided")
    _in_turn(actions.void_payment, payment_id=voided.pk, actor="test", provider=provider)
    # Hosted pages: only the webhook tells Bastion about these.
    hosted = _in_turn(actions.start_payment, reference="CO-H", amount=Decimal("12.50"),
                       return_url="http://shop.test/back", provider=provider, idempotency_key="hosted")
    back = _hosted_post(hosted.hosted_url, {"card_number": "4242 4242 4242 4242"})
    assert back.startswith("http://shop.test/back?") and "status=authorised" in back
    secure = _in_turn(actions.start_payment, reference="CO-3DS", amount=Decimal("7.00"),
                       return_url="http://shop.test/back", provider=provider, idempotency_key="3ds")
    challenge = _hosted_post(secure.hosted_url, {"card_number": CHALLENGE})
    assert challenge == f"/pay/{secure.provider_id}/challenge"
    assert "status=authorised" in _hosted_post(gateway_process + challenge, {"code": "1234"})

    deadline = time.monotonic() + 20
    while _pending(gateway_process) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _pending(gateway_process) == 0

    everything = [*payments, declined, voided, hosted, secure]
    _ONE_AT_A_TIME.acquire()  # held until the test ends: no request runs while it reads
    request.addfinalizer(_ONE_AT_A_TIME.release)
    for p in everything:
        p.refresh_from_db()
        intent = provider.retrieve(provider_id=p.provider_id)
        expected = {"requires_action": "created", "requires_payment_method": "created"}.get(intent.status,
                                                                                            intent.status)
        assert (p.status, p.amount_captured, p.amount_refunded) == (expected, intent.amount_captured,
                                                                    intent.amount_refunded), p.reference
        actions_written = list(LedgerEntry.objects.filter(subject=f"payment:{p.pk}").values_list("action", flat=True))
        for once in ("payment.created", "payment.authorised", "payment.captured", "payment.voided", "payment.failed"):
            assert actions_written.count(once) <= 1, (p.reference, actions_written)
    assert [p.status for p in everything] == ["partially_refunded", "refunded", "refunded", "failed", "voided",
                                              "authorised", "authorised"]
    assert reconcile(provider=provider) == []
    assert Payment.objects.count() == len(everything)
