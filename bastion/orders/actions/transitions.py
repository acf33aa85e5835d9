"""The one way an order changes status: lock it, check the table, write timeline and ledger.

Every order action calls `move` inside its own transaction, so a refused transition raises
before anything is written: no event, no ledger entry, no status change.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import NotFound
from bastion.orders import state
from bastion.orders.models import Order, OrderEvent

logger = logging.getLogger("bastion.orders")


def lock_order(order: Order) -> Order:
    """The order row, locked for this transaction and freshly read."""
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None:
        raise NotFound("No such order.", code="order_not_found")
    return locked


def record(order: Order, *, actor: str, kind: str, from_status: str, to_status: str, note: str = "",
           payload: dict[str, Any] | None = None) -> OrderEvent:
    """Write one timeline event and its ledger entry "order.<kind>"; log it after commit."""
    event = OrderEvent.objects.create(order=order, at=clock.now(), actor=actor, kind=kind, from_status=from_status,
                                      to_status=to_status, note=note[:500])
    append_entry(actor=actor, action=f"order.{kind}", subject=f"order:{order.number}",
                 payload={"from": from_status, "to": to_status, **(payload or {})})
    number = order.number
    transaction.on_commit(lambda: logger.info("order %s %s: %s -> %s by %s", number, kind, from_status,
                                              to_status, actor))
    return event


def move(order: Order, *, event: state.Event, actor: str, note: str = "", update: dict[str, Any] | None = None,
         payload: dict[str, Any] | None = None) -> Order:
    """Apply `event` to a locked order: new status (and `update` fields), timeline, ledger."""
    before = order.status
    after = state.next_status(before, event)
    fields = dict(update or {})
    for name, value in fields.items():
        setattr(order, name, value)
    order.status, order.updated_at = after.value, clock.now()
    order.save(update_fields=["status", "updated_at", *fields])
    record(order, actor=actor, kind=event.value, from_status=before, to_status=after.value, note=note,
           payload=payload)
    return order
