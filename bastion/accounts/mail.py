"""Mail to people about their account. Messages are queued on the worker, not sent in the request."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bastion.accounts.tasks import deliver_mail


def _send(user, template: str, subject: str, **context) -> None:
    with translation.override(user.preferred_language or "en"):
        body = render_to_string(f"accounts/mail/{template}.txt", {"user": user, "site_url": settings.SITE_URL,
                                                                    **context})
        subject_text = str(subject)
    deliver_mail(subject_text, body, [user.email])


def send_verification(user, token: str) -> None:
    _send(user, "verify_email", _("Confirm your email address"),
          link=f"{settings.SITE_URL}/verify-email/{token}/",
          hours=int(settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds() // 3600))


def send_already_registered(user) -> None:
    _send(user, "already_registered", _("You already have a Bastion account"),
          signin=f"{settings.SITE_URL}/signin/", reset=f"{settings.SITE_URL}/password-reset/")


def send_password_reset(user, uid: str, token: str) -> None:
    _send(user, "password_reset", _("Reset your password"),
          link=f"{settings.SITE_URL}/password-reset/{uid}/{token}/",
          minutes=settings.PASSWORD_RESET_TIMEOUT // 60)
