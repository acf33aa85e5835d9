"""The sandbox gateway on its own: API key, test cards on the hosted pages, refunds, idempotency."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bastion.sandbox.gateway import CHALLENGE_CODE


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_open = urllib.request.build_opener(_NoRedirect).open


def _call(gateway, method, path, body=None, *, key="sk_test", idem=None):
    headers = {"Authorization": f"Bearer {key}"}
    if idem:
        headers["Idempotency-Key"] = idem
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(gateway.config.public_url + path, data=data, headers=headers, method=method)
    try:
        with _open(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _form(url, fields=None):
    """(status, Location or page text) of a hosted page."""
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        with _open(urllib.request.Request(url, data=data), timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location") or exc.read().decode()


def _intent(gateway, amount="40.00", return_url="http://shop.test/r?x=1"):
    status, body = _call(gateway, "POST", "/v1/payment_intents",
                         {"amount": amount, "currency": "CNY", "reference": "CO-9", "return_url": return_url})
    assert status == 201
    return body


def test_the_api_requires_the_secret_key(gateway):
    assert _call(gateway, "POST", "/v1/payment_intents", {"amount": "1", "reference": "x"}, key="wrong")[0] == 401
    assert gateway.intents == {}


@pytest.mark.parametrize(("card", "status", "failure"), [
    ("4242 4242 4242 4242", "authorised", ""), ("4000 0000 0000 0002", "failed", "card_declined"),
    ("4000 0000 0000 9995", "failed", "insufficient_funds")])
def test_hosted_page_outcomes(gateway, card, status, failure):
    intent = _intent(gateway)
    code, page = _form(intent["hosted_url"])
    assert code == 200 and "Card number" in page and "40.00 CNY" in page
    code, location = _form(intent["hosted_url"], {"card_number": card})
    assert code == 303
    assert location == f"http://shop.test/r?x=1&payment_intent={intent['id']}&status={status}"
    assert (gateway.intents[intent["id"]]["status"], gateway.intents[intent["id"]]["failure_code"]) == (status, failure)


@pytest.mark.parametrize(("code", "status"), [(CHALLENGE_CODE, "authorised"), ("0000", "failed")])
def test_3ds_challenge(gateway, code, status):
    intent = _intent(gateway)
    assert _form(intent["hosted_url"], {"card_number": "4000000000003220"}) == (303, f"/pay/{intent['id']}/challenge")
    assert gateway.intents[intent["id"]]["status"] == "requires_action"
    assert _form(intent["hosted_url"] + "/challenge")[0] == 200
    assert _form(intent["hosted_url"] + "/challenge", {"code": code})[0] == 303
    assert gateway.intents[intent["id"]]["status"] == status


def test_network_timeout_card_answers_504_and_leaves_the_intent_payable(gateway):
    intent = _intent(gateway)
    assert _form(intent["hosted_url"], {"card_number": "4000000000000119"})[0] == 504
    assert gateway.intents[intent["id"]]["status"] == "requires_payment_method"


def test_refunds_in_parts_never_beyond_captured(gateway):
    intent = _call(gateway, "POST", "/v1/payment_intents",
                   {"amount": "50.00", "reference": "CO-1", "payment_method": "4242424242424242"})[1]
    base = f"/v1/payment_intents/{intent['id']}"
    assert _call(gateway, "POST", f"{base}/refunds", {"amount": "1"})[0] == 409  # not captured yet
    assert _call(gateway, "POST", f"{base}/capture", {})[1]["amount_captured"] == "50.00"
    assert _call(gateway, "POST", f"{base}/refunds", {"amount": "20"}, idem="k1")[1]["amount_refunded"] == "20.00"
    assert _call(gateway, "POST", f"{base}/refunds", {"amount": "20"}, idem="k1")[1]["amount_refunded"] == "20.00"
    assert _call(gateway, "POST", f"{base}/refunds", {"amount": "30"}, idem="k1")[1]["error"]["code"] == \
        "idempotency_key_reused"
    status, body = _call(gateway, "POST", f"{base}/refunds", {"amount": "30.01"})
    assert (status, body["error"]["code"]) == (400, "refund_exceeds_captured")
    status, body = _call(gateway, "POST", f"{base}/refunds", {"amount": "30"})
    assert (status, body["status"], body["amount_refunded"]) == (200, "refunded", "50.00")
    assert [r["amount"] for r in _call(gateway, "GET", base)[1]["refunds"]] == ["20", "30"]
