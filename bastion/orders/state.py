"""The order status machine, held as data (pure: no database).

One table says which event moves an order from which status to which; `next_status` and
`check_transition` are the only ways to read it, and they refuse anything outside it.

A partial refund before delivery keeps the order where it is (still to be shipped); after
delivery it moves the order to partially_refunded, from which it can still be completed,
returned or refunded in full. Cancelled and refunded are terminal.
"""

from __future__ import annotations

from enum import StrEnum

from bastion.core.errors import Problem


class Status(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    RETURN_APPROVED = "return_approved"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class Event(StrEnum):
    PAY = "pay"
    ACCEPT = "accept"
    SHIP = "ship"
    DELIVER = "deliver"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REQUEST_RETURN = "request_return"
    APPROVE_RETURN = "approve_return"
    REJECT_RETURN = "reject_return"
    REFUND_PARTIAL = "refund_partial"
    REFUND_FULL = "refund_full"


S, E = Status, Event

TRANSITIONS: dict[Status, dict[Event, Status]] = {
    S.PENDING_PAYMENT: {E.PAY: S.PAID, E.CANCEL: S.CANCELLED},
    S.PAID: {E.ACCEPT: S.PROCESSING, E.CANCEL: S.CANCELLED, E.REFUND_PARTIAL: S.PAID, E.REFUND_FULL: S.REFUNDED},
    S.PROCESSING: {E.SHIP: S.SHIPPED, E.CANCEL: S.CANCELLED, E.REFUND_PARTIAL: S.PROCESSING,
                   E.REFUND_FULL: S.REFUNDED},
    S.SHIPPED: {E.DELIVER: S.DELIVERED},
    S.DELIVERED: {E.COMPLETE: S.COMPLETED, E.REQUEST_RETURN: S.RETURN_REQUESTED,
                  E.REFUND_PARTIAL: S.PARTIALLY_REFUNDED, E.REFUND_FULL: S.REFUNDED},
    S.RETURN_REQUESTED: {E.APPROVE_RETURN: S.RETURN_APPROVED, E.REJECT_RETURN: S.DELIVERED},
    S.RETURN_APPROVED: {E.REFUND_PARTIAL: S.PARTIALLY_REFUNDED, E.REFUND_FULL: S.REFUNDED},
    S.PARTIALLY_REFUNDED: {E.COMPLETE: S.COMPLETED, E.REQUEST_RETURN: S.RETURN_REQUESTED,
                           E.REFUND_PARTIAL: S.PARTIALLY_REFUNDED, E.REFUND_FULL: S.REFUNDED},
    S.COMPLETED: {E.REFUND_PARTIAL: S.PARTIALLY_REFUNDED, E.REFUND_FULL: S.REFUNDED},
    S.CANCELLED: {},
    S.REFUNDED: {},
}

TERMINAL = frozenset(status for status, exits in TRANSITIONS.items() if not exits)
# The shopper may cancel only before the parcel leaves; the merchant may too.
CANCELLABLE = frozenset(status for status, exits in TRANSITIONS.items() if E.CANCEL in exits)


class TransitionNotAllowed(Problem):
    status, code, title = 409, "transition_not_allowed", "This order cannot make that change now"


def _refuse(current: str, target: str, event: str | None = None) -> TransitionNotAllowed:
    what = f"{event} ({current} -> {target})" if event else f"{current} -> {target}"
    return TransitionNotAllowed(f"An order cannot go {what}.",
                                extra={"from_status": current, "to_status": target, "event": event})


def next_status(current: str, event: str) -> Status:
    """The status `event` leads to from `current`; refuses an event the table does not allow."""
    try:
        return TRANSITIONS[Status(current)][Event(event)]
    except (KeyError, ValueError):
        raise _refuse(current, "?", event) from None


def check_transition(current: str, target: str) -> None:
    """Refuse a move from `current` to `target` that no event of the table makes."""
    try:
        allowed = target in {str(s) for s in TRANSITIONS[Status(current)].values()}
    except ValueError:
        allowed = False
    if not allowed:
        raise _refuse(current, target)


def events_from(current: str) -> list[Event]:
    return list(TRANSITIONS[Status(current)])
