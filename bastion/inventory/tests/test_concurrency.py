"""Never oversold: many buyers race for the last units, on each database engine.

PostgreSQL: threads, each with its own pooled connection, in one process (row locks and
conditional updates). SQLite: separate processes on one database file (the IMMEDIATE write lock
and conditional updates), because that is how the embedded server's workers share it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from bastion.audit.models import LedgerEntry
from bastion.inventory import locking
from bastion.inventory.actions.reservations import OutOfStock, convert_reservation, reserve
from bastion.inventory.actions.stock import receive_stock
from bastion.inventory.idempotency import run_once
from bastion.inventory.models import Reservation, StockLevel, StockMovement
from bastion.inventory.queries import conservation_report
from bastion.inventory.tests.factories import stock_actor, stocked, variant_of, warehouse_of

ROOT = Path(__file__).resolve().parents[3]
UNITS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("row_locks", [True, False], ids=["row-locks", "conditional-updates-only"])
def test_threads_racing_on_postgresql_sell_exactly_the_stock(world, monkeypatch, row_locks):
    if not row_locks:  # the conditional UPDATEs alone must still refuse to oversell
        monkeypatch.setattr(locking, "lock_levels", lambda *, variant_ids=(), level_ids=(): list(
            StockLevel.objects.filter(variant_id__in=variant_ids) if variant_ids else
            StockLevel.objects.filter(pk__in=level_ids)))
    variant, warehouse = stocked(world.merchant_a, world.owner_a, quantity=UNITS)
    attempts, workers = 200, 8
    barrier = threading.Barrier(workers)

    def buyer(worker: int) -> list[str]:
        outcomes = []
        try:
            barrier.wait()
            for n in range(worker, attempts, workers):
                reference = f"pg-{n}"
                try:
                    reserve(lines=[(variant.pk, 1)], reference=reference, actor="system:race")
                except OutOfStock as refused:
                    assert refused.extra["sku"] == variant.sku
                    outcomes.append("out_of_stock")
                    continue
                convert_reservation(reference=reference, actor="system:race", order_reference=f"order:{n}")
                outcomes.append("sold")
        finally:
            connection.close()
        return outcomes

    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_worker = list(pool.map(buyer, range(workers)))
    results = [outcome for outcomes in per_worker for outcome in outcomes]

    assert (results.count("sold"), results.count("out_of_stock")) == (UNITS, attempts - UNITS)
    assert sum(1 for outcomes in per_worker if "sold" in outcomes) > 1  # the threads really competed
    level = StockLevel.objects.get(variant=variant, warehouse=warehouse)
    assert (level.on_hand, level.reserved) == (0, 0)
    assert Reservation.objects.filter(status=Reservation.Status.CONVERTED).count() == UNITS
    report = conservation_report()
    assert report.ok, report.problems
    assert (report.totals[0].received, report.totals[0].sold) == (UNITS, UNITS)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_reference_raced_on_postgresql_reserves_once(world):
    variant, _ = stocked(world.merchant_a, world.owner_a, quantity=UNITS)
    workers = 8
    barrier = threading.Barrier(workers)

    def same_checkout(_: int) -> list[int]:
        try:
            barrier.wait()
            return [r.pk for r in reserve(lines=[(variant.pk, 3)], reference="cart-1", actor="system:race")]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(same_checkout, range(workers)))
    assert len({tuple(a) for a in answers}) == 1
    assert StockLevel.objects.get(variant=variant).reserved == 3
    assert conservation_report().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_raced_on_postgresql_receives_once(world):
    variant, warehouse = variant_of(world.merchant_a), warehouse_of(world.merchant_a)
    owner, workers = stock_actor(world.owner_a), 8
    barrier = threading.Barrier(workers)

    def receive():
        movement = receive_stock(actor=owner, warehouse=warehouse, variant=variant, quantity=5)
        return 201, {"movement": movement.pk}

    def same_delivery(_: int) -> tuple[int, dict]:
        try:
            barrier.wait()
            return run_once(merchant=world.merchant_a, operation="stock.receipt", key="delivery-1",
                            body={"quantity": 5}, run=receive)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(same_delivery, range(workers)))
    movement = StockMovement.objects.get(variant=variant)
    assert answers == [(201, {"movement": movement.pk})] * workers
    assert StockLevel.objects.get(variant=variant).on_hand == 5
    assert LedgerEntry.objects.filter(action="stock.received", subject=f"variant:{variant.pk}").count() == 1


def _run(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bastion.inventory.tests.sqlite_race", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_processes_racing_on_one_sqlite_file_sell_exactly_the_stock(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="bastion.settings_test", BASTION_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    variant_id = _run(env, "setup", str(UNITS))["variant_id"]

    processes, attempts_each = 8, 30
    start_at = str(time.time() + 3)  # every process is imported and connected before the race starts
    buyers = [subprocess.Popen([sys.executable, "-m", "bastion.inventory.tests.sqlite_race", "buy", str(variant_id),
                                f"p{n}", str(attempts_each), start_at],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for n in range(processes)]
    results = []
    for buyer in buyers:
        out, err = buyer.communicate(timeout=120)
        assert buyer.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    sold = sum(r["sold"] for r in results)
    assert (sold, sum(r["out_of_stock"] for r in results)) == (UNITS, processes * attempts_each - UNITS)
    assert sum(1 for r in results if r["sold"]) > 1  # the units really went to competing processes
    assert _run(env, "report", str(variant_id)) == {"on_hand": 0, "reserved": 0, "problems": [], "sold": UNITS,
                                                    "converted": UNITS}
