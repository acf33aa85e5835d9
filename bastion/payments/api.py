"""Webhooks from payment providers. No session and no API key: the provider's signature is the only credential."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from bastion.core import clock
from bastion.core.apitools import responses
from bastion.core.errors import NotAuthenticated, Problem
from bastion.payments import actions, webhook_signature
from bastion.payments.providers import get_provider
from bastion.payments.providers.base import ProviderError
from bastion.payments.schemas import WebhookReceiptOut

router = Router(tags=["payments"], auth=None)


@router.post("/webhooks/sandbox", response=responses(WebhookReceiptOut, 400, 401, 409, 503), openapi_extra={
    "description": "Signed Standard Webhooks style (webhook-id, webhook-timestamp, webhook-signature headers). "
                   "A replayed event id answers 200 with received=false and changes nothing."})
def sandbox_webhook(request: HttpRequest):
    provider = get_provider("sandbox")
    headers = {name: request.headers.get(name, "") for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    try:
        event = provider.verify_webhook(headers=headers, body=request.body, now=clock.now().timestamp())
    except webhook_signature.SignatureInvalid:
        raise NotAuthenticated(_("The webhook signature is not valid."), code="webhook_signature_invalid") from None
    except webhook_signature.TimestampOutOfWindow:
        raise NotAuthenticated(_("The webhook timestamp is more than %(seconds)s seconds away from now.")
                               % {"seconds": webhook_signature.TOLERANCE_SECONDS},
                               code="webhook_timestamp_out_of_window") from None
    except ProviderError as exc:
        raise Problem(str(exc), code=exc.code, status=400) from None
    received = actions.apply_webhook_event(provider_name=provider.name, event=event)
    return {"received": received}



