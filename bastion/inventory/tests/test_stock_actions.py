from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from bastion.audit.models import LedgerEntry
from bastion.core import clock
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.inventory.actions.reservations import (
    OutOfStock,
    convert_reservation,
    expire_reservations,
    release_reservation,
    reserve,
)
from bastion.inventory.actions.stock import adjust_stock, create_warehouse, receive_stock, return_to_stock
from bastion.inventory.models import Reservation, StockLevel, StockMovement
from bastion.inventory.queries import conservation_report
from bastion.inventory.tests.factories import stock_actor, stocked, variant_of, warehouse_of

pytestmark = pytest.mark.django_db


def _level(variant, warehouse) -> tuple[int, int]:
    level = StockLevel.objects.get(variant=variant, warehouse=warehouse)
    return level.on_hand, level.reserved


def _state():
    return (sorted(StockLevel.objects.values_list("id", "on_hand", "reserved")),
            StockMovement.objects.count(), Reservation.objects.count(), LedgerEntry.objects.count())


def test_receiving_stock_journals_and_ledgers_it(world):
    variant, warehouse = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    ledger_before = LedgerEntry.objects.count()
    movement = receive_stock(actor=stock_actor(world.staff_a), warehouse=warehouse, variant=variant, quantity=7,
                             note="pallet 1")
    assert _level(variant, warehouse) == (7, 0)
    assert (movement.reason, movement.delta_on_hand, movement.delta_reserved, movement.actor, movement.note) == (
        "receipt", 7, 0, f"user:{world.staff_a.pk}", "pallet 1")
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert LedgerEntry.objects.count() == ledger_before + 1
    assert (entry.action, entry.subject) == ("stock.received", f"variant:{variant.pk}")


def test_another_merchant_cannot_receive_and_nothing_changes(world):
    variant, warehouse = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    before = _state()
    with pytest.raises(Forbidden):
        receive_stock(actor=stock_actor(world.owner_b), warehouse=warehouse, variant=variant, quantity=1)
    assert _state() == before


def test_a_variant_of_another_merchant_is_refused(world):
    variant, warehouse = variant_of(world.merchant_b), warehouse_of(world.merchant_a)
    before = _state()
    with pytest.raises(Invalid) as refused:
        receive_stock(actor=stock_actor(world.owner_a), warehouse=warehouse, variant=variant, quantity=1)
    assert refused.value.code == "variant_not_of_merchant"
    assert _state() == before


def test_adjusting_below_reserved_is_refused_and_changes_nothing(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=10)
    reserve(lines=[(variant.pk, 6)], reference="cart-1", actor="system:test")
    before = _state()
    with pytest.raises(Conflict) as refused:
        adjust_stock(actor=stock_actor(world.owner_a), warehouse=warehouse, variant=variant, delta=-5, note="lost")
    assert refused.value.code == "stock_below_reserved"
    assert (refused.value.extra["on_hand"], refused.value.extra["reserved"]) == (10, 6)
    assert _state() == before
    adjust_stock(actor=stock_actor(world.owner_a), warehouse=warehouse, variant=variant, delta=-4, note="lost")
    assert _level(variant, warehouse) == (6, 6)
    assert LedgerEntry.objects.order_by("-seq").first().action == "stock.adjusted"


def test_an_adjustment_needs_a_note(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=3)
    with pytest.raises(Invalid) as refused:
        adjust_stock(actor=stock_actor(world.owner_a), warehouse=warehouse, variant=variant, delta=1, note="  ")
    assert refused.value.code == "note_required"
    assert _level(variant, warehouse) == (3, 0)


def test_warehouse_codes_are_unique_per_merchant(world):
    actor = stock_actor(world.owner_a)
    create_warehouse(actor=actor, merchant=world.merchant_a, name="Main", code="sh1")
    with pytest.raises(Conflict):
        create_warehouse(actor=actor, merchant=world.merchant_a, name="Other", code="SH1")
    create_warehouse(actor=stock_actor(world.owner_b), merchant=world.merchant_b, name="Main", code="SH1")


def test_reserve_splits_a_line_over_warehouses_largest_first(world):
    variant, big = stocked(world.merchant_a, world.owner_a, quantity=5)
    _, small = stocked(world.merchant_a, world.owner_a, quantity=3, variant=variant)
    reservations = reserve(lines=[(variant.pk, 7)], reference="cart-2", actor="system:test")
    assert [(r.warehouse_id, r.quantity, r.position) for r in reservations] == [(big.pk, 5, 0), (small.pk, 2, 1)]
    assert (_level(variant, big), _level(variant, small)) == ((5, 5), (3, 2))
    assert conservation_report().ok


def test_an_inactive_warehouse_is_not_reserved_from(world):
    variant, closed = stocked(world.merchant_a, world.owner_a, quantity=9)
    _, open_ = stocked(world.merchant_a, world.owner_a, quantity=2, variant=variant)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    with pytest.raises(OutOfStock) as refused:
        reserve(lines=[(variant.pk, 3)], reference="cart-5", actor="system:test")
    assert refused.value.extra["available"] == 2
    assert [(r.warehouse_id, r.quantity) for r in reserve(lines=[(variant.pk, 2)], reference="cart-6",
                                                          actor="system:test")] == [(open_.pk, 2)]


def test_out_of_stock_names_the_sku_and_changes_nothing(world):
    plenty, _ = stocked(world.merchant_a, world.owner_a, quantity=10)
    scarce, _ = stocked(world.merchant_a, world.owner_a, quantity=2, variant=variant_of(world.merchant_a, sku="TEA-1"))
    before = _state()
    with pytest.raises(OutOfStock) as refused:
        reserve(lines=[(plenty.pk, 4), (scarce.pk, 3)], reference="cart-3", actor="system:test")
    assert (refused.value.status, refused.value.code) == (409, "out_of_stock")
    assert refused.value.extra == {"sku": "TEA-1", "available": 2, "requested": 3}
    assert "TEA-1" in refused.value.detail
    assert _state() == before


@pytest.mark.parametrize(("lines", "reference", "ttl", "code"), [
    ([], "cart", timedelta(minutes=1), "lines_required"),
    ([("V", 0)], "cart", timedelta(minutes=1), "quantity_invalid"),
    ([("V", 1)], " ", timedelta(minutes=1), "reference_invalid"),
    ([("V", 1)], "x" * 121, timedelta(minutes=1), "reference_invalid"),
    ([("V", 1)], "cart", timedelta(0), "ttl_invalid"),
])
def test_a_malformed_reservation_is_refused_and_changes_nothing(world, lines, reference, ttl, code):
    variant, _ = stocked(world.merchant_a, world.owner_a, quantity=5)
    before = _state()
    with pytest.raises(Invalid) as refused:
        reserve(lines=[(variant.pk, q) for _, q in lines], reference=reference, actor="system:test", ttl=ttl)
    assert refused.value.code == code
    assert _state() == before


def test_reserving_a_reference_twice_returns_the_first_reservation(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=10)
    first = reserve(lines=[(variant.pk, 4)], reference="cart-4", actor="system:test")
    again = reserve(lines=[(variant.pk, 9)], reference="cart-4", actor="system:test")
    assert [r.pk for r in again] == [r.pk for r in first]
    assert _level(variant, warehouse) == (10, 4)


def test_convert_sells_release_frees_and_both_are_idempotent(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=10)
    reserve(lines=[(variant.pk, 3)], reference="sold", actor="system:test")
    reserve(lines=[(variant.pk, 2)], reference="cancelled", actor="system:test")
    convert_reservation(reference="sold", actor="system:test", order_reference="order:1")
    convert_reservation(reference="sold", actor="system:test", order_reference="order:1")
    release_reservation(reference="cancelled", actor="system:test")
    release_reservation(reference="cancelled", actor="system:test")
    assert _level(variant, warehouse) == (7, 0)
    with pytest.raises(Conflict):
        release_reservation(reference="sold", actor="system:test")
    sale = StockMovement.objects.get(reason="sale")
    assert (sale.delta_on_hand, sale.delta_reserved, sale.note) == (-3, -3, "order:1")
    report = conservation_report()
    assert report.ok, report.problems
    (totals,) = report.totals
    assert (totals.received, totals.sold, totals.on_hand, totals.reserved) == (10, 3, 7, 0)


def test_expiry_releases_only_what_is_due_and_is_idempotent(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=10)
    reserve(lines=[(variant.pk, 3)], reference="old", actor="system:test", ttl=timedelta(minutes=1))
    reserve(lines=[(variant.pk, 2)], reference="new", actor="system:test", ttl=timedelta(hours=1))
    later = clock.now() + timedelta(minutes=5)
    assert expire_reservations(now=later) == 1
    assert expire_reservations(now=later) == 0
    assert _level(variant, warehouse) == (10, 2)
    assert list(Reservation.objects.order_by("reference").values_list("reference", "status")) == [
        ("new", "active"), ("old", "expired")]
    with pytest.raises(Conflict):
        convert_reservation(reference="old", actor="system:test")
    assert conservation_report().ok


def test_return_to_stock_counts_as_returned(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=4)
    reserve(lines=[(variant.pk, 4)], reference="r", actor="system:test")
    convert_reservation(reference="r", actor="system:test")
    return_to_stock(actor="system:orders", warehouse=warehouse, variant=variant, quantity=1, reference="order:9")
    assert _level(variant, warehouse) == (1, 0)
    (totals,) = conservation_report().totals
    assert (totals.received, totals.sold, totals.returned, totals.on_hand) == (4, 4, 1, 1)
    assert conservation_report().ok


def test_the_report_finds_a_count_changed_behind_the_journal(world):
    variant, _ = stocked(world.merchant_a, world.owner_a, quantity=4, variant=variant_of(world.merchant_a,
                                                                                                sku="CUP-9"))
    StockLevel.objects.filter(variant=variant).update(on_hand=5)
    report = conservation_report()
    assert not report.ok
    assert report.problems == ["CUP-9: received 4 + adjusted 0 != on hand 5 + sold 0 - returned 0"]


def test_the_database_refuses_more_reserved_than_on_hand(world):
    variant, _ = stocked(world.merchant_a, world.owner_a, quantity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(variant=variant).update(reserved=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(variant=variant).update(on_hand=-1, reserved=0)
