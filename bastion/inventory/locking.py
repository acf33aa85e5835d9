"""The one place that locks stock rows and changes stock counts.

Two defences, either of which keeps stock from being oversold:

* Row locks. Inside a transaction, `lock_levels` and `lock_reservations` take SELECT ... FOR
  UPDATE on PostgreSQL, always ordered by id so two transactions never wait on each other in a
  cycle (the lock order of Saleor's checkout/lock_objects.py). A transaction that needs both
  locks reservations first, then stock levels. On SQLite, FOR UPDATE does not exist; the
  IMMEDIATE transaction (bastion/settings.py) already holds the database's one write lock.
* Conditional updates. Every count changes through one UPDATE whose WHERE clause carries the
  rule (`reserved + q <= on_hand`, ...) and whose SET uses F() expressions, so the check and the
  change are one statement: even without the row lock, a change that would break the rule
  updates no row, and the caller raises inside its transaction, which rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from bastion.inventory.models import Reservation, StockLevel


def lock_levels(*, variant_ids: Iterable[int] = (), level_ids: Iterable[int] = ()) -> list[StockLevel]:
    """Lock the stock levels of these variants (or these levels), in id order."""
    variant_ids, level_ids = sorted(set(variant_ids)), sorted(set(level_ids))
    queryset = StockLevel.objects.select_for_update()
    if variant_ids:
        queryset = queryset.filter(variant_id__in=variant_ids)
    else:
        queryset = queryset.filter(pk__in=level_ids)
    return list(queryset.order_by("id"))


def lock_level_for(*, variant_id: int, warehouse_id: int) -> StockLevel:
    """Lock the level of a variant in a warehouse, creating an empty one the first time."""
    level, _ = StockLevel.objects.get_or_create(variant_id=variant_id, warehouse_id=warehouse_id)
    return lock_levels(level_ids=[level.pk])[0]


def lock_reservations(**filters) -> list[Reservation]:
    """Lock the reservations matching `filters`, in id order."""
    return list(Reservation.objects.select_for_update().filter(**filters).order_by("id"))


def add_reserved(level_id: int, quantity: int) -> bool:
    """reserved += q, only while on hand still covers it."""
    return StockLevel.objects.filter(pk=level_id, on_hand__gte=F("reserved") + quantity).update(
        reserved=F("reserved") + quantity) == 1


def remove_reserved(level_id: int, quantity: int) -> bool:
    """reserved -= q (a release or an expiry), only if that much is reserved."""
    return StockLevel.objects.filter(pk=level_id, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity) == 1


def ship_reserved(level_id: int, quantity: int) -> bool:
    """A sale: on_hand -= q and reserved -= q together, only if that much is reserved."""
    return StockLevel.objects.filter(pk=level_id, reserved__gte=quantity).update(
        on_hand=F("on_hand") - quantity, reserved=F("reserved") - quantity) == 1


def change_on_hand(level_id: int, delta: int) -> bool:
    """on_hand += delta (negative for a write-off), only if on hand still covers what is reserved."""
    return StockLevel.objects.filter(pk=level_id, on_hand__gte=F("reserved") - delta).update(
        on_hand=F("on_hand") + delta) == 1
