"""API keys for integrations: created once with a secret shown once, revoked at any time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from bastion.accounts.actor import Actor
from bastion.accounts.models import ApiKey
from bastion.audit.actions import append_entry
from bastion.core import clock
from bastion.core.errors import Conflict, Invalid
from bastion.core.roles import Perm
from bastion.merchants.models import Merchant

KEY_PREFIX = "bst"
MAX_ACTIVE_KEYS = 25
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str


@transaction.atomic
def create_api_key(*, actor: Actor, name: str, merchant: Merchant | None = None,
                   expires_at: datetime | None = None) -> IssuedKey:
    actor.require(Perm.APIKEYS_MANAGE, merchant.pk if merchant else None)
    name = name.strip()
    if not name or len(name) > 80:
        raise Invalid("Give the key a name of 1 to 80 characters.", code="api_key_name_invalid",
                      extra={"field": "name"})
    if expires_at is not None and expires_at <= clock.now():
        raise Invalid("The expiry must be in the future.", code="api_key_expiry_invalid",
                      extra={"field": "expires_at"})
    # Expired keys no longer work, so they do not count against the limit.
    active = (ApiKey.objects.filter(owner_id=actor.user_id, revoked_at__isnull=True)
              .exclude(expires_at__lte=clock.now()).count())
    if active >= MAX_ACTIVE_KEYS:
        raise Conflict(f"You already have {MAX_ACTIVE_KEYS} active keys; revoke one first.",
                       code="api_key_limit")
    prefix = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(owner_id=actor.user_id, merchant=merchant, name=name, prefix=prefix,
                                secret_hash=hash_secret(secret), created_at=clock.now(), expires_at=expires_at)
    append_entry(actor=actor.label, action="api_key.created", subject=f"api_key:{key.pk}",
                 payload={"prefix": prefix, "name": name, "merchant": merchant.pk if merchant else None,
                          "expires_at": expires_at})
    return IssuedKey(key=key, secret=secret)


@transaction.atomic
def revoke_api_key(*, actor: Actor, key: ApiKey) -> ApiKey:
    if key.revoked_at is not None:
        raise Conflict("This key is already revoked.", code="api_key_revoked")
    key.revoked_at = clock.now()
    key.save(update_fields=["revoked_at"])
    append_entry(actor=actor.label, action="api_key.revoked", subject=f"api_key:{key.pk}",
                 payload={"prefix": key.prefix})
    return key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The live key behind a presented secret, or None. Compares in constant time."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = ApiKey.objects.select_related("owner").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(raw)):
        return None
    now = clock.now()
    if key.revoked_at is not None or (key.expires_at and key.expires_at <= now) or not key.owner.is_active:
        return None
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
