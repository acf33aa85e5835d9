from __future__ import annotations

from ninja import Schema


class WebhookReceiptOut(Schema):
    received: bool  # False: this event id was received before, so nothing changed
