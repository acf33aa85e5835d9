"""Maintenance mode: shoppers get a friendly 503, staff and probes keep working, the ledger records it."""

from __future__ import annotations

import pytest
from django.test import Client

from bastion.audit.models import LedgerEntry
from bastion.cli import main
from bastion.ops import maintenance
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def _on(message: str = "") -> None:
    maintenance.switch(enabled=True, actor="system:test", message=message)
    maintenance.current(fresh=True)


def test_shoppers_see_the_maintenance_page_with_retry_after(world):
    _on("Back at 03:00 UTC.")
    for client in (Client(), client_for(world.shopper)):
        response = client.get("/")
        assert response.status_code == 503
        assert response["Retry-After"] == "600"
        assert b"We are improving the shop" in response.content
        assert b"Back at 03:00 UTC." in response.content


def test_the_api_answers_a_maintenance_problem():
    _on()
    response = Client().get("/api/v1/catalog/categories")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "maintenance"


def test_staff_probes_and_sign_in_keep_working(world):
    _on()
    assert client_for(world.operator).get("/console/").status_code == 200
    assert client_for(world.owner_a).get("/").status_code == 200
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/signin/").status_code == 200


def test_switching_writes_the_ledger_and_off_reopens_the_shop():
    _on("db upgrade")
    maintenance.switch(enabled=False, actor="system:test")
    maintenance.current(fresh=True)
    assert Client().get("/").status_code == 200
    entries = list(LedgerEntry.objects.filter(subject="maintenance:shop").values_list("action", "payload"))
    assert entries == [("maintenance.enabled", '{"message":"db upgrade"}'), ("maintenance.disabled", '{"message":""}')]


def test_the_command_switches_and_reports(capsys):
    assert main(["maintenance", "on", "--message", "short break"]) == 0
    assert maintenance.current(fresh=True).enabled is True
    assert main(["maintenance", "status"]) == 0
    assert main(["maintenance", "off"]) == 0
    assert maintenance.current(fresh=True).enabled is False
    err = capsys.readouterr().err
    assert "maintenance mode is on: short break" in err
    assert "maintenance mode is off" in err
