"""The checkpoint signing key (Ed25519) and the exact bytes a checkpoint signature covers.

Why Ed25519: small deterministic signatures, no parameters to get wrong, and `cryptography`
(already a dependency) verifies them, so an auditor's verifier needs nothing else.

The key lives in a PEM (PKCS#8) file, AUDIT_SIGNING_KEY_FILE, compatible with
`openssl genpkey -algorithm ed25519`. Development and tests generate it on first use with
mode 0600; production never generates one (a fresh key would silently make every earlier
checkpoint unverifiable) and refuses to sign without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MESSAGE_HEADER = "bastion-ledger-checkpoint v1"


def format_signed_at(moment: datetime) -> str:
    """One fixed-width UTC text per instant, so the signed bytes survive any database round trip."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def checkpoint_message(*, tree_size: int, root_hash: str, signed_at: str) -> bytes:
    """The signed bytes: a header naming the format, the size, the hex root and the time, one per line.

    tools/verify_ledger_proof.py rebuilds the same bytes; change both or neither.
    """
    return f"{MESSAGE_HEADER}\n{tree_size}\n{root_hash}\n{signed_at}\n".encode()


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_key(public_key)).hexdigest()[:16]


def sign_checkpoint(key: Ed25519PrivateKey, *, tree_size: int, root_hash: str, signed_at: str) -> str:
    return key.sign(checkpoint_message(tree_size=tree_size, root_hash=root_hash, signed_at=signed_at)).hex()


def signature_holds(public_key: Ed25519PublicKey, *, tree_size: int, root_hash: str, signed_at: str,
                    signature: str) -> bool:
    try:
        public_key.verify(bytes.fromhex(signature),
                          checkpoint_message(tree_size=tree_size, root_hash=root_hash, signed_at=signed_at))
    except (InvalidSignature, ValueError):
        return False
    return True


def load_signing_key(*, create: bool = True) -> Ed25519PrivateKey:
    """The configured key; generated first when `create` and not in production mode."""
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                f"the ledger signing key {path} does not exist, so no checkpoint can be signed: create it with "
                f"`openssl genpkey -algorithm ed25519 -out {path} && chmod 600 {path}` or set AUDIT_SIGNING_KEY_FILE")
        if not create:
            raise ImproperlyConfigured(f"the ledger signing key {path} does not exist")
        _generate(path)
    if settings.PRODUCTION and path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(f"the ledger signing key {path} is readable by other users: chmod 600 it")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise ImproperlyConfigured(f"the ledger signing key {path} is not a PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"the ledger signing key {path} is not an Ed25519 key")
    return key


def _generate(path: Path) -> None:
    """Write a new key under a temporary name, then link it into place: a concurrent process
    (another test worker) either wins the link or reads the complete file, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM,
                                                     serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
