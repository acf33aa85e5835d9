"""Reservations: hold stock for a checkout, then sell it, release it, or let it expire.

`reserve` is all-or-nothing across its lines and warehouses and idempotent by reference. Its
count changes go through bastion.inventory.locking (locks in id order, conditional updates);
the journal records every one with the reservation as reference. These run at checkout rate, so
they write the stock journal but not the ledger; the order that converts a reservation is what
the ledger records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bastion.catalog.models import Variant
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid, Problem
from bastion.inventory import locking
from bastion.inventory.models import Reservation, StockLevel, StockMovement, Warehouse
from bastion.inventory.queries import available_of
from bastion.inventory.rules import Available, Shortage, allocate, merge_lines

DEFAULT_TTL = timedelta(minutes=15)
_ACTIVE = Reservation.Status.ACTIVE


class OutOfStock(Problem):
    status, code, title = 409, "out_of_stock", "Not enough stock"


def reserve(*, lines: Iterable[tuple[int, int]], reference: str, actor: str,
            ttl: timedelta = DEFAULT_TTL) -> list[Reservation]:
    """Reserve every line or nothing, until `ttl` from now.

    The same reference again returns the first reservation, whatever its lines and whatever has
    become of it since (converted, released, expired): a retried checkout step never reserves
    twice, and a new attempt uses a new reference.
    """
    reference = reference.strip()
    if ttl <= timedelta(0):
        raise Invalid(_("A reservation must last a while."), code="ttl_invalid")
    if not reference or len(reference) > 120:
        raise Invalid(_("A reservation needs a reference of at most 120 characters."), code="reference_invalid")
    try:
        merged = merge_lines(lines)
    except ValueError as exc:
        raise Invalid(_("Every line needs a positive quantity."), code="quantity_invalid") from exc
    if not merged:
        raise Invalid(_("A reservation needs at least one line."), code="lines_required")
    existing = list(Reservation.objects.filter(reference=reference).order_by("position"))
    if existing:
        return existing
    try:
        return _reserve(merged, reference=reference, actor=actor, ttl=ttl)
    except IntegrityError:
        # A concurrent request with the same reference committed first (its position 0 exists).
        existing = list(Reservation.objects.filter(reference=reference).order_by("position"))
        if not existing:
            raise
        return existing


@transaction.atomic
def _reserve(lines: dict[int, int], *, reference: str, actor: str, ttl: timedelta) -> list[Reservation]:
    levels = locking.lock_levels(variant_ids=lines)
    open_warehouses = set(Warehouse.objects.filter(pk__in={level.warehouse_id for level in levels}, is_active=True)
                          .values_list("pk", flat=True))
    stock: dict[int, list[Available]] = {}
    for level in levels:
        if level.warehouse_id not in open_warehouses:
            continue
        stock.setdefault(level.variant_id, []).append(Available(level.pk, level.warehouse_id, level.available))
    allocations = allocate(lines, stock)
    if isinstance(allocations, Shortage):
        _out_of_stock(allocations.variant_id, allocations.requested, allocations.available)
    now = clock.now()
    reservations = []
    for position, allocation in enumerate(allocations):
        if not locking.add_reserved(allocation.level_id, allocation.quantity):
            # Only reachable without row locks; raising rolls back the lines already reserved.
            _out_of_stock(allocation.variant_id, lines[allocation.variant_id], None)
        reservation = Reservation.objects.create(
            reference=reference, position=position, variant_id=allocation.variant_id,
            warehouse_id=allocation.warehouse_id, quantity=allocation.quantity, expires_at=now + ttl, created_at=now)
        StockMovement.objects.create(
            variant_id=allocation.variant_id, warehouse_id=allocation.warehouse_id,
            delta_reserved=allocation.quantity, reason=StockMovement.Reason.RESERVATION, actor=actor,
            reference=f"reservation:{reservation.pk}", note=reference[:200], created_at=now)
        reservations.append(reservation)
    return reservations


def _out_of_stock(variant_id: int, requested: int, available: int | None):
    sku = Variant.objects.filter(pk=variant_id).values_list("sku", flat=True).first() or str(variant_id)
    if available is None:
        available = available_of(variant_id)
    raise OutOfStock(_("%(sku)s: %(requested)d wanted, %(available)d available.")
                     % {"sku": sku, "requested": requested, "available": available},
                     extra={"sku": sku, "available": available, "requested": requested})


@transaction.atomic
def convert_reservation(*, reference: str, actor: str, order_reference: str = "") -> list[Reservation]:
    """The order is placed: reserved units leave on hand as sold. Repeating it changes nothing."""
    return _finish(reference, actor=actor, status=Reservation.Status.CONVERTED, note=order_reference)


@transaction.atomic
def release_reservation(*, reference: str, actor: str) -> list[Reservation]:
    """The checkout was cancelled or its payment failed: reserved units are available again."""
    return _finish(reference, actor=actor, status=Reservation.Status.RELEASED)


def _finish(reference: str, *, actor: str, status: str, note: str = "") -> list[Reservation]:
    rows = locking.lock_reservations(reference=reference)
    if not rows:
        raise Invalid(_("No reservation has that reference."), code="reservation_not_found")
    settled = {row.status for row in rows if row.status != _ACTIVE}
    if settled and settled != {status}:
        raise Conflict(_("This reservation is already %(status)s.") % {"status": settled.pop()},
                       code="reservation_not_active")
    _settle([row for row in rows if row.status == _ACTIVE], actor=actor, status=status, note=note)
    return rows


def _settle(rows: list[Reservation], *, actor: str, status: str, note: str = "") -> None:
    """Move locked active reservations to `status`, with their stock counts and journal lines."""
    if not rows:
        return
    levels = {(lv.variant_id, lv.warehouse_id): lv
              for lv in locking.lock_levels(level_ids=_level_ids(rows))}
    sale = status == Reservation.Status.CONVERTED
    now = clock.now()
    for row in rows:
        level = levels[(row.variant_id, row.warehouse_id)]
        changed = (locking.ship_reserved if sale else locking.remove_reserved)(level.pk, row.quantity)
        if not changed:  # the journal and the counts disagree: stop before making it worse
            raise Conflict(f"stock level {level.pk} holds less reserved than reservation {row.pk}",
                           code="stock_inconsistent")
        StockMovement.objects.create(
            variant_id=row.variant_id, warehouse_id=row.warehouse_id,
            delta_on_hand=-row.quantity if sale else 0, delta_reserved=-row.quantity,
            reason=StockMovement.Reason.SALE if sale else StockMovement.Reason.RELEASE, actor=actor,
            reference=f"reservation:{row.pk}", note=(note or row.reference)[:200], created_at=now)
        row.status = status
        row.save(update_fields=["status"])


def _level_ids(rows: list[Reservation]) -> list[int]:
    pairs = {(row.variant_id, row.warehouse_id) for row in rows}
    candidates = StockLevel.objects.filter(variant_id__in={v for v, _ in pairs}).values_list(
        "pk", "variant_id", "warehouse_id")
    return [pk for pk, variant_id, warehouse_id in candidates if (variant_id, warehouse_id) in pairs]


def expire_reservations(*, now: datetime | None = None, actor: str = "system:expiry", batch: int = 500) -> int:
    """Release active reservations past their expiry; how many. Safe to run twice or concurrently."""
    now = now or clock.now()
    expired = 0
    while True:
        with transaction.atomic():
            rows = locking.lock_reservations(
                pk__in=list(Reservation.objects.filter(status=_ACTIVE, expires_at__lte=now)
                            .order_by("id").values_list("pk", flat=True)[:batch]),
                status=_ACTIVE)
            _settle(rows, actor=actor, status=Reservation.Status.EXPIRED)
        expired += len(rows)
        if len(rows) < batch:
            return expired
