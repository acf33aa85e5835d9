"""Liveness and readiness probes, as a load balancer or supervisor sees them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from bastion.ops import readiness

pytestmark = pytest.mark.django_db


def _expected_components() -> set[str]:
    return {"database", "migrations", "waf"} | ({"redis"} if settings.REDIS_URL else set())


def test_healthz_says_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_get_only():
    assert Client().post("/healthz").status_code == 405


def test_readyz_reports_every_component_ready():
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["components"]) == _expected_components()
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["database"]["detail"] == f"{connection.vendor} reachable"
    assert body["components"]["migrations"] == {"ok": True, "detail": "all applied",
                                                "latency_ms": body["components"]["migrations"]["latency_ms"]}
    for component in body["components"].values():
        assert component["ok"] is True
        assert isinstance(component["latency_ms"], float) and component["latency_ms"] >= 0
    assert "no-cache" in response["Cache-Control"]


def _failing(message: str):
    def probe() -> str:
        raise ConnectionError(message)

    return probe


def test_readyz_is_503_when_the_database_fails(monkeypatch):
    monkeypatch.setattr(readiness, "_database", _failing("connection refused"))
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    # Migrations cannot be checked without the database, so they are not reported.
    assert "migrations" not in body["components"]
    assert body["components"]["database"] == {"ok": False, "detail": "ConnectionError: connection refused",
                                              "latency_ms": None}


def test_readyz_is_503_when_migrations_are_missing(monkeypatch):
    def unapplied() -> str:
        raise RuntimeError("2 migrations not applied; run `bastion migrate`")

    monkeypatch.setattr(readiness, "_migrations", unapplied)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["migrations"] == {
        "ok": False, "detail": "RuntimeError: 2 migrations not applied; run `bastion migrate`", "latency_ms": None}


def test_readyz_is_503_when_redis_fails(monkeypatch, settings):
    settings.REDIS_URL = settings.REDIS_URL or "redis://127.0.0.1:1/0"
    monkeypatch.setattr(readiness, "_redis", _failing("Error 111 connecting"))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["components"]["redis"] == {"ok": False, "detail": "ConnectionError: Error 111 connecting",
                                                      "latency_ms": None}
    assert response.json()["components"]["database"]["ok"] is True


def test_failure_detail_is_cut_to_200_characters(monkeypatch):
    monkeypatch.setattr(readiness, "_database", _failing("x" * 500))
    [database] = readiness.check_components()[:1]
    assert database.ok is False
    assert database.detail == ("ConnectionError: " + "x" * 500)[:200]


def test_real_migration_check_finds_nothing_pending():
    assert readiness._migrations() == "all applied"


def test_readyz_is_503_when_the_waf_is_degraded(monkeypatch):
    from bastion.security.waf import status as waf_status_module

    degraded = waf_status_module.WafStatus(state="degraded", mode="block", paranoia_level=1, anomaly_threshold=5,
                                           rules_loaded=0, degraded_reason="no rules at /nowhere",
                                           engine_version="")
    monkeypatch.setattr(waf_status_module, "waf_status", lambda: degraded)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["components"]["waf"] == {"ok": False, "detail": "RuntimeError: degraded: no rules at /nowhere",
                                                    "latency_ms": None}
