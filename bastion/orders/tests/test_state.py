"""The status table, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.orders.state import (
    CANCELLABLE,
    TERMINAL,
    TRANSITIONS,
    Event,
    Status,
    TransitionNotAllowed,
    check_transition,
    next_status,
)


def test_the_happy_path():
    status = Status.PENDING_PAYMENT
    for event in (Event.PAY, Event.ACCEPT, Event.SHIP, Event.DELIVER, Event.COMPLETE):
        status = next_status(status, event)
    assert status == Status.COMPLETED


def test_terminal_and_cancellable():
    assert {Status.CANCELLED, Status.REFUNDED} == TERMINAL
    assert {Status.PENDING_PAYMENT, Status.PAID, Status.PROCESSING} == CANCELLABLE


def test_a_partial_refund_before_shipping_keeps_the_order_deliverable():
    assert next_status("paid", "refund_partial") == Status.PAID
    assert next_status("processing", "refund_partial") == Status.PROCESSING
    assert next_status("delivered", "refund_partial") == Status.PARTIALLY_REFUNDED


def test_a_refused_transition_names_both_states():
    with pytest.raises(TransitionNotAllowed) as caught:
        check_transition("shipped", "cancelled")
    assert caught.value.status == 409
    assert caught.value.code == "transition_not_allowed"
    assert caught.value.extra == {"from_status": "shipped", "to_status": "cancelled", "event": None}
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status("shipped", "cancel")
    assert caught.value.extra["from_status"] == "shipped" and caught.value.extra["event"] == "cancel"


@pytest.mark.parametrize("current, event", [("cancelled", "pay"), ("nonsense", "pay"), ("paid", "fly"),
                                            ("pending_payment", "ship"), ("refunded", "refund_full")])
def test_refuses_what_the_table_does_not_hold(current, event):
    with pytest.raises(TransitionNotAllowed):
        next_status(current, event)


def test_check_transition_accepts_exactly_the_table():
    for current, exits in TRANSITIONS.items():
        for target in Status:
            if target in exits.values():
                check_transition(current, target)
            else:
                with pytest.raises(TransitionNotAllowed):
                    check_transition(current, target)


@given(st.lists(st.sampled_from(list(Event)), max_size=40))
def test_any_sequence_of_events_stays_in_the_table(events):
    status = Status.PENDING_PAYMENT
    for event in events:
        try:
            after = next_status(status, event)
        except TransitionNotAllowed:
            assert event not in TRANSITIONS[status]
            continue
        assert after in TRANSITIONS
        assert after == TRANSITIONS[status][event]
        status = after
    if status in TERMINAL:
        for event in Event:
            with pytest.raises(TransitionNotAllowed):
                next_status(status, event)


def test_every_status_is_reachable_from_pending_payment():
    seen, to_visit = {Status.PENDING_PAYMENT}, [Status.PENDING_PAYMENT]
    while to_visit:
        for target in TRANSITIONS[to_visit.pop()].values():
            if target not in seen:
                seen.add(target)
                to_visit.append(target)
    assert seen == set(Status)
