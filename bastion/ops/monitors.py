"""Monitors run by the worker: readings of the server and the database, kept as time series in
the database (so the console works without Prometheus) and pruned after MONITOR_RETENTION_DAYS.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import timedelta

import psutil
from django.conf import settings
from django.db import connection, transaction

from bastion.core import clock
from bastion.ops.models import MonitorSample

_STARTED = time.time()


@dataclass(frozen=True)
class Reading:
    component: str
    metric: str
    value: float
    unit: str


def server_readings() -> list[Reading]:
    memory = psutil.virtual_memory()
    disk = psutil.disk_usage(str(settings.VAR_DIR))
    io = psutil.disk_io_counters()
    process = psutil.Process()
    readings = [
        Reading("server", "cpu_percent", psutil.cpu_percent(interval=0.2), "%"),
        Reading("server", "memory_used_percent", memory.percent, "%"),
        Reading("server", "disk_used_percent", disk.percent, "%"),
        Reading("server", "disk_free_bytes", float(disk.free), "bytes"),
        Reading("server", "load_1m", os.getloadavg()[0], ""),
        Reading("server", "open_files", float(len(process.open_files())), ""),
        Reading("server", "worker_uptime_seconds", time.time() - _STARTED, "s"),
    ]
    if io is not None:
        readings.append(Reading("server", "disk_read_bytes_total", float(io.read_bytes), "bytes"))
        readings.append(Reading("server", "disk_write_bytes_total", float(io.write_bytes), "bytes"))
    return readings


def database_readings() -> list[Reading]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    readings = [Reading("database", "query_latency_ms", (time.perf_counter() - started) * 1000, "ms")]
    if connection.vendor == "sqlite":
        path = settings.DATABASES["default"]["NAME"]
        if os.path.isfile(str(path)):
            readings.append(Reading("database", "size_bytes", float(os.path.getsize(path)), "bytes"))
            wal = f"{path}-wal"
            readings.append(Reading("database", "wal_bytes", float(os.path.getsize(wal)) if os.path.exists(wal)
                                    else 0.0, "bytes"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database()), "
                           "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()), "
                           "(SELECT count(*) FROM pg_locks WHERE NOT granted)")
            size, connections, waiting = cursor.fetchone()
        readings += [Reading("database", "size_bytes", float(size), "bytes"),
                     Reading("database", "connections", float(connections), ""),
                     Reading("database", "lock_waits", float(waiting), "")]
    return readings


@transaction.atomic
def record_readings() -> int:
    """Take every reading now, store it, and drop samples older than the retention."""
    now = clock.now()
    readings = server_readings() + database_readings()
    MonitorSample.objects.bulk_create(
        MonitorSample(taken_at=now, component=r.component, metric=r.metric, value=r.value) for r in readings)
    MonitorSample.objects.filter(taken_at__lt=now - timedelta(days=settings.MONITOR_RETENTION_DAYS)).delete()
    return len(readings)


def series(metric: str, *, hours: int = 24) -> list[tuple]:
    since = clock.now() - timedelta(hours=hours)
    return list(MonitorSample.objects.filter(metric=metric, taken_at__gte=since)
                .order_by("taken_at").values_list("taken_at", "value"))


def sparkline(points: list[tuple], *, width: int = 300, height: int = 60) -> str:
    """An SVG polyline path for the points (pure; drawn server-side, no script needed)."""
    if len(points) < 2:
        return ""
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(points) - 1)
    coords = [f"{i * step:.1f},{height - (v - low) / span * height:.1f}" for i, v in enumerate(values)]
    return " ".join(coords)
