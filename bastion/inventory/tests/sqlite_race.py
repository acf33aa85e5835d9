"""A worker for the multi-process SQLite race test (test_concurrency.py), run as its own process.

    python -m bastion.inventory.tests.sqlite_race setup  QUANTITY
    python -m bastion.inventory.tests.sqlite_race buy    VARIANT_ID PREFIX ATTEMPTS START_AT
    python -m bastion.inventory.tests.sqlite_race report VARIANT_ID

The database is the SQLite file named by DATABASE_URL, with the production settings (WAL,
IMMEDIATE transactions, busy_timeout). Each command prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time


def _setup(quantity: int) -> dict:
    from types import SimpleNamespace

    from django.core.management import call_command

    from bastion.accounts.actor import Actor
    from bastion.core.roles import Grant, RoleName
    from bastion.inventory.actions.stock import receive_stock
    from bastion.inventory.tests.factories import variant_of, warehouse_of
    from bastion.merchants.models import Merchant

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(name="Race Teas", slug="race", created_at="2026-01-01T00:00:00Z")
    owner = Actor(user=SimpleNamespace(pk=1), grants=(Grant(RoleName.MERCHANT_OWNER, merchant.pk),),
                  mfa_verified=True)
    variant, warehouse = variant_of(merchant, sku="RACE-1"), warehouse_of(merchant)
    receive_stock(actor=owner, warehouse=warehouse, variant=variant, quantity=quantity)
    return {"variant_id": variant.pk}


def _buy(variant_id: int, prefix: str, attempts: int, start_at: float) -> dict:
    from bastion.inventory.actions.reservations import OutOfStock, convert_reservation, reserve

    time.sleep(max(0.0, start_at - time.time()))
    sold = out = 0
    for n in range(attempts):
        reference = f"{prefix}-{n}"
        try:
            reserve(lines=[(variant_id, 1)], reference=reference, actor=f"system:{prefix}")
        except OutOfStock:
            out += 1
            continue
        convert_reservation(reference=reference, actor=f"system:{prefix}", order_reference=f"order:{reference}")
        sold += 1
    return {"sold": sold, "out_of_stock": out}


def _report(variant_id: int) -> dict:
    from bastion.inventory.models import Reservation, StockLevel
    from bastion.inventory.queries import conservation_report

    report = conservation_report()
    level = StockLevel.objects.get(variant_id=variant_id)
    return {"on_hand": level.on_hand, "reserved": level.reserved, "problems": report.problems,
            "sold": report.totals[0].sold,
            "converted": Reservation.objects.filter(status=Reservation.Status.CONVERTED).count()}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, args = argv[0], argv[1:]
    if command == "setup":
        result = _setup(int(args[0]))
    elif command == "buy":
        result = _buy(int(args[0]), args[1], int(args[2]), float(args[3]))
    else:
        result = _report(int(args[0]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
