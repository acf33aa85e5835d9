"""Past orders for the demo shop: a few hundred, in every status, for the demo shoppers.

Written in bulk for speed (one transaction, a handful of queries per hundred orders), with a
timeline that follows the status table from pending_payment. Like the demo catalog, it writes
no ledger entries: demo history is not money that moved. Idempotent: a shop that already has
demo orders is left alone.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from bastion.accounts.models import Address, User
from bastion.catalog.models import Variant
from bastion.core import clock
from bastion.merchants.models import Merchant
from bastion.orders.actions.placing import ADDRESS_FIELDS
from bastion.orders.models import Order, OrderCounter, OrderEvent, OrderLine
from bastion.orders.state import TRANSITIONS, Event, Status

DEMO_PREFIX = "demo-checkout-"
ACTOR = "system:seed-demo"


def path_to(target: Status) -> list[Event]:
    """The shortest run of events from pending_payment to `target`, read off the table."""
    seen, queue = {Status.PENDING_PAYMENT: []}, deque([Status.PENDING_PAYMENT])
    while queue:
        current = queue.popleft()
        for event, after in TRANSITIONS[current].items():
            if after not in seen:
                seen[after] = [*seen[current], event]
                queue.append(after)
    return seen[target]


def _numbers(year: int, count: int) -> list[str]:
    counter, _created = OrderCounter.objects.select_for_update().get_or_create(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"BST-{year}-{n:06d}" for n in range(first, first + count)]


@transaction.atomic
def seed_demo_orders(*, shopper_emails: Iterable[str], per_merchant: int = 110, seed: int = 2026) -> int:
    """How many orders were made (0 when demo orders exist already or nothing is there to buy)."""
    if Order.objects.filter(checkout_reference__startswith=DEMO_PREFIX).exists():
        return 0
    shoppers = list(User.objects.filter(email__in=list(shopper_emails)).order_by("id"))
    # The default address (first in this order) wins.
    addresses = {a.user_id: a for a in reversed(list(Address.objects.filter(user__in=shoppers)
                                                     .order_by("-is_default", "id")))}
    if not shoppers:
        return 0
    rng, now = random.Random(seed), clock.now()  # noqa: S311 - repeatable demo data, not secrets
    statuses, plan = list(Status), []
    for merchant in Merchant.objects.order_by("id"):
        variants = list(Variant.objects.filter(product__merchant=merchant, is_active=True)
                        .select_related("product").order_by("id")[:60])
        if not variants:
            continue
        for i in range(per_merchant):
            shopper = shoppers[i % len(shoppers)]
            picked = rng.sample(variants, k=min(len(variants), rng.randint(1, 3)))
            plan.append((merchant, shopper, statuses[i % len(statuses)], [(v, rng.randint(1, 3)) for v in picked],
                         now - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1440))))
    if not plan:
        return 0
    numbers = _numbers(now.year, len(plan))
    orders, lines, timelines = [], [], []
    for n, (merchant, shopper, status, picked, placed_at) in enumerate(plan):
        subtotal = sum((v.price * q for v, q in picked), Decimal("0.00"))
        shipping = Decimal("0.00") if subtotal >= 199 else Decimal("12.00")
        total = subtotal + shipping
        refunded = {Status.REFUNDED: total, Status.PARTIALLY_REFUNDED: min(total, picked[0][0].price)}.get(
            status, Decimal("0.00"))
        address = addresses.get(shopper.pk)
        snapshot = {name: getattr(address, name) if address else "" for name in ADDRESS_FIELDS}
        snapshot["recipient"] = snapshot["recipient"] or shopper.full_name or shopper.email
        snapshot["country"] = snapshot["country"] or "CN"
        events = path_to(status)
        shipped = Event.SHIP in events
        orders.append(Order(
            number=numbers[n], merchant=merchant, shopper=shopper, checkout_reference=f"{DEMO_PREFIX}{n}",
            status=status.value, subtotal=subtotal, shipping=shipping, total=total, refunded_total=refunded,
            tracking_number=f"SF{1_000_000 + n}" if shipped else "", carrier="SF Express" if shipped else "",
            placed_at=placed_at, updated_at=placed_at + timedelta(hours=len(events) * 20), **snapshot))
        lines.append(picked)
        timelines.append(events)
    Order.objects.bulk_create(orders, batch_size=200)
    made = Order.objects.filter(checkout_reference__startswith=DEMO_PREFIX).in_bulk(field_name="number")
    line_rows, event_rows = [], []
    for order, picked, events in zip(orders, lines, timelines, strict=True):
        saved = made[order.number]
        line_rows += [OrderLine(order=saved, variant=v, sku=v.sku, title=v.product.title, options=v.options,
                                unit_price=v.price, quantity=q, line_total=v.price * q) for v, q in picked]
        at, before = order.placed_at, ""
        event_rows.append(OrderEvent(order=saved, at=at, actor=f"user:{order.shopper_id}", kind="place",
                                     from_status="", to_status=Status.PENDING_PAYMENT.value))
        before = Status.PENDING_PAYMENT
        for event in events:
            at += timedelta(hours=20)
            after = TRANSITIONS[before][event]
            event_rows.append(OrderEvent(order=saved, at=at, actor=ACTOR, kind=event.value, from_status=before.value,
                                         to_status=after.value))
            before = after
    OrderLine.objects.bulk_create(line_rows, batch_size=500)
    OrderEvent.objects.bulk_create(event_rows, batch_size=500)
    return len(orders)
