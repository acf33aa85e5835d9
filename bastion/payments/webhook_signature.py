"""Standard Webhooks signatures, pure standard library (the sandbox gateway signs with it too).

signature = "v1," + base64(HMAC-SHA256(secret, f"{id}.{timestamp}.{body}")); the header may carry
several space-separated signatures (key rotation); one matching is enough.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TOLERANCE_SECONDS = 300


class SignatureInvalid(Exception):
    """The signature is missing, malformed or does not match."""


class TimestampOutOfWindow(Exception):
    """The timestamp is missing, not a number, or more than the tolerance away from now."""


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(*, secret: str, msg_id: str, timestamp: str, signature_header: str, body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> None:
    """Raise unless the signature matches and the timestamp is within ±tolerance of now."""
    if not secret:
        raise SignatureInvalid("no webhook secret is configured: nothing can be verified")
    if not msg_id or not signature_header:
        raise SignatureInvalid("missing webhook-id or webhook-signature")
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        raise TimestampOutOfWindow("webhook-timestamp is not an integer") from None
    expected = sign(secret=secret, msg_id=msg_id, timestamp=stamp, body=body).encode()
    matched = False
    for candidate in signature_header.split():
        # compare every candidate in constant time; no early exit on the first match
        matched |= hmac.compare_digest(candidate.encode(), expected)
    if not matched:
        raise SignatureInvalid("no signature matches")
    if abs(now - stamp) > tolerance:
        raise TimestampOutOfWindow("webhook-timestamp is outside the tolerance window")
