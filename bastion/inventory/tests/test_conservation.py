"""Stock conservation over random sequences of real actions, checked by conservation_report()."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.core import clock
from bastion.core.errors import Conflict
from bastion.inventory.actions.reservations import (
    OutOfStock,
    convert_reservation,
    release_reservation,
    reserve,
)
from bastion.inventory.actions.stock import adjust_stock, receive_stock, return_to_stock
from bastion.inventory.models import Reservation, StockLevel
from bastion.inventory.queries import conservation_report
from bastion.inventory.tasks import expire_stale_reservations
from bastion.inventory.tests.factories import stock_actor, stocked, variant_of, warehouse_of

pytestmark = pytest.mark.django_db
_runs = itertools.count()

operations = st.lists(st.tuples(st.sampled_from(["receive", "writeoff", "reserve", "convert", "release", "return"]),
                                st.integers(0, 1), st.integers(1, 6), st.integers(0, 3)), min_size=1, max_size=15)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_actions_keep_the_journal_and_the_counts_in_agreement(world, ops):
    run = next(_runs)
    owner = stock_actor(world.owner_a)
    variant = variant_of(world.merchant_a)
    warehouses = [warehouse_of(world.merchant_a), warehouse_of(world.merchant_a)]
    for kind, where, quantity, key in ops:
        warehouse, reference = warehouses[where], f"h{run}-{key}"
        try:
            if kind == "receive":
                receive_stock(actor=owner, warehouse=warehouse, variant=variant, quantity=quantity)
            elif kind == "writeoff":
                adjust_stock(actor=owner, warehouse=warehouse, variant=variant, delta=-quantity, note="damaged")
            elif kind == "reserve":
                reserve(lines=[(variant.pk, quantity)], reference=reference, actor="system:test")
            elif kind == "convert":
                convert_reservation(reference=reference, actor="system:test")
            elif kind == "release":
                release_reservation(reference=reference, actor="system:test")
            else:
                return_to_stock(actor="system:test", warehouse=warehouse, variant=variant, quantity=quantity,
                                reference=f"order:{key}")
        except (OutOfStock, Conflict):
            pass
        except Exception as exc:  # an unknown reference is refused, anything else is a bug
            assert getattr(exc, "code", None) == "reservation_not_found", exc
    report = conservation_report(variant_ids=[variant.pk])
    assert report.ok, report.problems


def test_the_periodic_job_expires_due_reservations_once(world):
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=5)
    reserve(lines=[(variant.pk, 2)], reference="cart-old", actor="system:test", ttl=timedelta(seconds=1))
    later = clock.now() + timedelta(minutes=1)
    with clock.use_clock(lambda: later):
        assert expire_stale_reservations.call_local() == 1
        assert expire_stale_reservations.call_local() == 0
    assert Reservation.objects.get(reference="cart-old").status == "expired"
    assert StockLevel.objects.get(variant=variant, warehouse=warehouse).reserved == 0
    assert conservation_report().ok
