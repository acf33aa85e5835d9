"""Pure hashing rules of the ledger: canonical JSON and the entry hash (no database)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant white space, UTF-8: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(*, seq: int, recorded_at: datetime, actor: str, action: str, subject: str,
               payload: str, prev_hash: str) -> str:
    material = canonical_json({
        "seq": seq, "at": recorded_at.isoformat(), "actor": actor, "action": action,
        "subject": subject, "payload": payload, "prev": prev_hash,
    })
    return hashlib.sha256(material.encode()).hexdigest()
