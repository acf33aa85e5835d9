"""/metrics: Prometheus text for a scraper with the token or operations staff, nobody else."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


@override_settings(METRICS_TOKEN="scrape-secret")
def test_a_scraper_with_the_token_gets_request_and_shop_metrics():
    Client().get("/healthz")
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert 'bastion_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert 'bastion_http_request_duration_seconds_bucket{le="0.005",route="healthz"}' in text
    assert "bastion_ledger_entries " in text
    assert 'bastion_waf_events{action="blocked"}' in text
    assert "bastion_maintenance_mode 0.0" in text


@override_settings(METRICS_TOKEN="scrape-secret")
def test_anyone_else_is_refused(world):
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    refused = client_for(world.shopper).get("/metrics")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert client_for(world.owner_a).get("/metrics").status_code == 403


def test_operations_staff_may_read_them(world):
    assert client_for(world.operator).get("/metrics").status_code == 200
    assert client_for(world.auditor).get("/metrics").status_code == 200
    assert client_for(world.operator, mfa=False).get("/metrics").json()["code"] == "mfa_required"
