"""Security events: what the WAF (and later intrusion detection) saw, for the security console.

Rows are evidence, written once and never edited. They hold no raw request data: matched values
are masked (bastion.security.masking) before they are stored.
"""

from django.db import models


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        WAF = "waf", "Web application firewall"

    class Action(models.TextChoices):
        BLOCKED = "blocked", "Blocked"
        DETECTED = "detected", "Detected (let through)"

    class Severity(models.TextChoices):
        # ModSecurity's (syslog) severities 0-7.
        EMERGENCY = "emergency", "Emergency"
        ALERT = "alert", "Alert"
        CRITICAL = "critical", "Critical"
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"
        NOTICE = "notice", "Notice"
        INFO = "info", "Info"
        DEBUG = "debug", "Debug"

    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rule_id = models.PositiveIntegerField(null=True, blank=True, help_text="the ModSecurity/CRS rule id")
    message = models.CharField(max_length=300)
    matched_data = models.CharField(max_length=300, blank=True, help_text="masked and truncated")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=16)
    path = models.CharField(max_length=500, help_text="masked and truncated; no query string")
    request_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-occurred_at"], name="security_event_kind_time"),
            models.Index(fields=["client_address", "-occurred_at"], name="security_event_client_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} rule {self.rule_id} {self.method} {self.path}"
