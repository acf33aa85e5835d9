"""The demo orders: every status, a timeline that ends where the order is, idempotent."""

from __future__ import annotations

import pytest

from bastion.accounts.tests.factories import AddressFactory
from bastion.audit.models import LedgerEntry
from bastion.inventory.tests.factories import variant_of
from bastion.orders.demo import path_to, seed_demo_orders
from bastion.orders.models import Order
from bastion.orders.state import Status

pytestmark = pytest.mark.django_db


def test_paths_follow_the_table():
    assert path_to(Status.PENDING_PAYMENT) == []
    assert [str(e) for e in path_to(Status.SHIPPED)] == ["pay", "accept", "ship"]


def test_seeds_every_status_once(world):
    for merchant in (world.merchant_a, world.merchant_b):
        for _ in range(3):
            variant_of(merchant)
    AddressFactory(user=world.shopper)
    made = seed_demo_orders(shopper_emails=[world.shopper.email], per_merchant=22)
    assert made == 44
    orders = list(Order.objects.prefetch_related("events", "lines"))
    assert {o.status for o in orders} == set(Status)
    for order in orders:
        assert order.events.all()[len(order.events.all()) - 1].to_status == order.status
        assert order.subtotal == sum(line.line_total for line in order.lines.all())
        assert order.shopper_id == world.shopper.pk and order.city
    assert not LedgerEntry.objects.filter(action__startswith="order.").exists()
    assert seed_demo_orders(shopper_emails=[world.shopper.email]) == 0
    assert Order.objects.count() == 44
