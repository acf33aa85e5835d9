"""Monitor readings: taken from the real machine and database, stored, pruned, drawn in the console."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bastion.core import clock
from bastion.ops import monitors
from bastion.ops.models import MonitorSample
from bastion.testing.world import client_for

pytestmark = pytest.mark.django_db


def test_readings_are_stored_and_old_ones_pruned(settings):
    settings.MONITOR_RETENTION_DAYS = 14
    old = MonitorSample.objects.create(taken_at=clock.now() - timedelta(days=15), component="server",
                                       metric="cpu_percent", value=1.0)
    count = monitors.record_readings()
    metrics = set(MonitorSample.objects.values_list("metric", flat=True))
    assert {"cpu_percent", "memory_used_percent", "disk_used_percent", "load_1m", "query_latency_ms"} <= metrics
    assert MonitorSample.objects.count() == count
    assert not MonitorSample.objects.filter(pk=old.pk).exists()
    disk = MonitorSample.objects.get(metric="disk_used_percent").value
    assert 0 <= disk <= 100


def test_sparkline_scales_points_into_the_box():
    now = clock.now()
    points = [(now, 10.0), (now, 20.0), (now, 15.0)]
    assert monitors.sparkline(points, width=100, height=10) == "0.0,10.0 50.0,0.0 100.0,5.0"
    assert monitors.sparkline(points[:1]) == ""


def test_the_console_draws_each_metric_for_operations_staff(world):
    for minutes_ago, value in ((2, 30.0), (1, 50.0)):
        MonitorSample.objects.create(taken_at=clock.now() - timedelta(minutes=minutes_ago), component="server",
                                     metric="cpu_percent", value=value)
    response = client_for(world.operator).get("/console/monitors/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="monitor-cpu_percent"' in html
    assert "<strong>50.0</strong> %" in html
    assert 'points="0.0,60.0 300.0,0.0"' in html
    assert client_for(world.owner_a).get("/console/monitors/").status_code in (302, 403)
    assert client_for(world.security_officer).get("/console/monitors/").status_code == 403
