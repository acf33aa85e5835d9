"""The pure rules: Standard Webhooks signatures and the order-independent merge."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from bastion.payments import webhook_signature as ws
from bastion.payments.rules import PaymentState, ledger_actions, merge

# The Standard Webhooks reference vector (secret bytes given as text), checked with
# `openssl dgst -sha256 -hmac ... -binary | base64`.
VECTOR = {"secret": "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
              "timestamp": 1614265330, "body": b'{"test": 2432232314}'}
VECTOR_SIGNATURE = "v1,ELhqG0Ku1gwOc1f4jyKdp3SFGFLAOdJ9bvpWLciCakI="


def test_sign_known_vector():
    assert ws.sign(**VECTOR) == VECTOR_SIGNATURE


def _verify(**overrides):
    args = {"secret": VECTOR["secret"], "msg_id": VECTOR["msg_id"], "timestamp": str(VECTOR["timestamp"]),
                "signature_header": VECTOR_SIGNATURE, "body": VECTOR["body"], "now": VECTOR["timestamp"]}
    args.update(overrides)
    ws.verify(**args)


def test_verify_accepts_the_vector_and_one_of_several_signatures():
    _verify()
    _verify(signature_header="v1,AAAA " + VECTOR_SIGNATURE)
    _verify(now=VECTOR["timestamp"] + 300)
    _verify(now=VECTOR["timestamp"] - 300)


@pytest.mark.parametrize("overrides", [
    {"body": b'{"test": 2432232315}'}, {"secret": "another"}, {"msg_id": "msg_other"},
    {"signature_header": ""}, {"msg_id": ""}, {"signature_header": "v1,ELhqG0Ku1gwOc1f4jyKdp3SFGFLAOdJ9bvpWLciCakJ="},
    {"timestamp": str(VECTOR["timestamp"] + 1)},
])
def test_verify_refuses_a_forgery(overrides):
    with pytest.raises(ws.SignatureInvalid):
        _verify(**overrides)


@pytest.mark.parametrize("now", [VECTOR["timestamp"] + 301, VECTOR["timestamp"] - 301])
def test_verify_refuses_stale_and_future_timestamps(now):
    with pytest.raises(ws.TimestampOutOfWindow):
        _verify(now=now)


def test_verify_refuses_a_timestamp_that_is_not_a_number():
    with pytest.raises(ws.TimestampOutOfWindow):
        _verify(timestamp="yesterday")


def S(status, captured="0", refunded="0"):
    return PaymentState(status, Decimal(captured), Decimal(refunded))


# The life of one payment at the gateway, as its webhooks report it.
LIFE = [S("authorised"), S("captured", "100"), S("partially_refunded", "100", "30"),
        S("partially_refunded", "100", "50"), S("refunded", "100", "100")]


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(LIFE)))))
def test_merge_ends_in_the_gateway_state_whatever_the_order(order):
    state = S("created")
    for i in order:
        state = merge(state, LIFE[i])
        state = merge(state, LIFE[i])  # and each one duplicated
    assert state == S("refunded", "100", "100")


def test_merge_never_moves_backwards_from_a_final_state():
    assert merge(S("voided"), S("authorised")) == S("voided")
    assert merge(S("failed"), S("requires_payment_method")) == S("failed")
    assert merge(S("refunded", "100", "100"), S("captured", "100")) == S("refunded", "100", "100")
    assert merge(S("captured", "100"), S("authorised")) == S("captured", "100")


def test_merge_void_and_failure():
    assert merge(S("created"), S("authorised")) == S("authorised")
    assert merge(S("authorised"), S("voided")) == S("voided")
    assert merge(S("created"), S("failed")) == S("failed")
    assert merge(S("created"), S("requires_action")) == S("created")


def test_ledger_actions_name_each_change():
    assert ledger_actions(S("created"), S("authorised")) == ["payment.authorised"]
    assert ledger_actions(S("authorised"), S("refunded", "100", "100")) == ["payment.captured", "payment.refunded"]
    assert ledger_actions(S("authorised"), S("voided")) == ["payment.voided"]
    assert ledger_actions(S("captured", "100"), S("captured", "100")) == []


def test_an_empty_secret_verifies_nothing():
    signature = ws.sign(secret="", msg_id="m", timestamp=1, body=b"{}")
    with pytest.raises(ws.SignatureInvalid):
        ws.verify(secret="", msg_id="m", timestamp="1", signature_header=signature, body=b"{}", now=1)
