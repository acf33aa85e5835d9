from django.db import models


class MaintenanceMode(models.Model):
    """One row: whether the shop is closed for maintenance. Staff still get in."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    enabled = models.BooleanField(default=False)
    message = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return "maintenance on" if self.enabled else "maintenance off"


class MonitorSample(models.Model):
    """One reading of one metric, taken by the worker; the console draws them over time."""

    taken_at = models.DateTimeField(db_index=True)
    component = models.CharField(max_length=30)  # server, database, network, security
    metric = models.CharField(max_length=60)
    value = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["metric", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.metric}={self.value} at {self.taken_at:%Y-%m-%d %H:%M}"
