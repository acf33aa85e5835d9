"""Background jobs of accounts. Idempotent: a retried job does no harm."""

from __future__ import annotations

from django.core import management
from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=5, retry_delay=30)
def deliver_mail(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, None, recipients)


@db_periodic_task(crontab(minute="17", hour="3"))
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")
