"""Pure hashing rules of the ledger: canonical JSON, the entry hash and the Merkle leaf (no database)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from bastion.audit import merkle

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant white space, UTF-8: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_material(*, seq: int, recorded_at: datetime, actor: str, action: str, subject: str,
                   payload: str, prev_hash: str) -> dict[str, Any]:
    """The fields an entry hash covers, under the names the hash uses (also what a proof exports).

    The time is written in UTC: the database hands it back in UTC whatever zone the clock used,
    so hashing the clock's own offset would make a sound entry fail verification.
    """
    return {"seq": seq, "at": recorded_at.astimezone(UTC).isoformat(), "actor": actor, "action": action,
            "subject": subject, "payload": payload, "prev": prev_hash}


def entry_hash(*, seq: int, recorded_at: datetime, actor: str, action: str, subject: str,
               payload: str, prev_hash: str) -> str:
    material = canonical_json(entry_material(seq=seq, recorded_at=recorded_at, actor=actor, action=action,
                                             subject=subject, payload=payload, prev_hash=prev_hash))
    return hashlib.sha256(material.encode()).hexdigest()


def entry_leaf_hash(entry_hash_hex: str) -> bytes:
    """The Merkle leaf of an entry: RFC 6962 leaf hash of the 32 raw bytes of its entry hash.

    Why the entry hash and not the row's canonical bytes: the entry hash already commits to
    every field and to the previous entry, it is what the database stores (a tree over a
    million entries needs no re-serialisation), and a proof still carries the entry's fields
    so a verifier recomputes fields -> entry hash -> leaf -> root and trusts no stored hash.
    """
    return merkle.leaf_hash(bytes.fromhex(entry_hash_hex))
