"""The manifest: what a backup holds, and the proof that nobody changed that description.

A manifest is canonical JSON with an HMAC-SHA256 over its body, keyed by a key derived from the
backup key. It lists the chunks with their page ranges and checksums, and the keyed hash of
every page of the copy, which is what the next differential or incremental compares against.
A child names its parent's id and the SHA-256 of the parent's manifest file, so a chain cannot
be spliced onto another parent. Parsing checks the structure, so later code can trust it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import zstandard

from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.pages import PAGE_HASH_BYTES, Ranges, pages_in

FORMAT = "bastion-backup/1"
KINDS = ("full", "diff", "incr")
MANIFEST_FILE = "manifest.json"
BACKUP_ID = re.compile(r"^\d{6}-(full|diff|incr)-\d{8}T\d{6}Z$")


class ManifestError(ValueError):
    """The manifest is unreadable, not ours, written with another key, or altered."""


def chunk_file(index: int) -> str:
    return f"chunk-{index:05d}.bin"


def backup_id_for(*, seq: int, kind: str, created_at: datetime) -> str:
    return f"{seq:06d}-{kind}-{created_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def seq_of(backup_id: str) -> int:
    return int(backup_id.split("-", 1)[0])


@dataclass(frozen=True)
class ChunkRecord:
    index: int
    file: str
    ranges: Ranges
    plain_bytes: int
    plain_sha256: str
    cipher_bytes: int
    cipher_sha256: str


@dataclass(frozen=True)
class Manifest:
    id: str
    seq: int
    kind: str
    parent: str | None
    parent_digest: str | None
    created_at: datetime
    key_id: str
    wrapped_data_key: bytes
    page_size: int
    page_count: int
    page_hashes: list[bytes]
    chunks: list[ChunkRecord]
    schema: dict[str, str]
    row_counts: dict[str, int]
    ledger_head: dict[str, Any] | None
    source: str

    @property
    def database_bytes(self) -> int:
        return self.page_size * self.page_count

    @property
    def pages_stored(self) -> int:
        return sum(pages_in(c.ranges) for c in self.chunks)

    @property
    def bytes_stored(self) -> int:
        return sum(c.cipher_bytes for c in self.chunks)


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _pack_hashes(hashes: list[bytes]) -> str:
    return base64.b64encode(zstandard.ZstdCompressor(level=3).compress(b"".join(hashes))).decode()


def _unpack_hashes(text: str, page_count: int) -> list[bytes]:
    size = page_count * PAGE_HASH_BYTES
    raw = zstandard.ZstdDecompressor().decompress(base64.b64decode(text, validate=True), max_output_size=size) \
        if page_count else b""
    if len(raw) != size:
        raise ManifestError(f"page hash list has {len(raw)} bytes, expected {size}")
    return [raw[i:i + PAGE_HASH_BYTES] for i in range(0, size, PAGE_HASH_BYTES)]


def to_body(m: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT, "id": m.id, "seq": m.seq, "type": m.kind, "parent": m.parent,
        "parent_digest": m.parent_digest, "created_at": m.created_at.astimezone(UTC).isoformat(),
        "key_id": m.key_id, "wrapped_data_key": base64.b64encode(m.wrapped_data_key).decode(),
        "page_size": m.page_size, "page_count": m.page_count, "database_bytes": m.database_bytes,
        "page_hashes": _pack_hashes(m.page_hashes),
        "chunks": [{"index": c.index, "file": c.file, "ranges": [list(r) for r in c.ranges],
                    "plain_bytes": c.plain_bytes, "plain_sha256": c.plain_sha256,
                    "cipher_bytes": c.cipher_bytes, "cipher_sha256": c.cipher_sha256} for c in m.chunks],
        "pages_stored": m.pages_stored, "bytes_stored": m.bytes_stored,
        "schema": m.schema, "row_counts": m.row_counts, "ledger_head": m.ledger_head, "source": m.source,
    }


def _check_structure(m: Manifest) -> None:
    if not BACKUP_ID.match(m.id) or seq_of(m.id) != m.seq or m.id.split("-")[1] != m.kind:
        raise ManifestError(f"backup id {m.id!r} does not match its sequence and type")
    if (m.kind == "full") != (m.parent is None) or (m.parent is None) != (m.parent_digest is None):
        raise ManifestError(f"a {m.kind} backup {'cannot' if m.kind == 'full' else 'must'} have a parent")
    if m.parent is not None and not BACKUP_ID.match(m.parent):
        raise ManifestError(f"parent {m.parent!r} is not a backup id")
    if m.page_size not in {2 ** n for n in range(9, 17)} or m.page_count < 0:
        raise ManifestError(f"impossible page geometry {m.page_size} x {m.page_count}")
    covered: list[int] = []
    for position, c in enumerate(m.chunks):
        if c.index != position or c.file != chunk_file(position):
            raise ManifestError(f"chunk {position} is listed out of order")
        if c.plain_bytes != pages_in(c.ranges) * m.page_size:
            raise ManifestError(f"chunk {position} size does not match its pages")
        for first, last in c.ranges:
            if not 1 <= first <= last <= m.page_count or (covered and first <= covered[-1]):
                raise ManifestError(f"chunk {position} has page range {first}-{last} out of order or bounds")
            covered.extend(range(first, last + 1))
    if m.kind == "full" and covered != list(range(1, m.page_count + 1)):
        raise ManifestError("a full backup must store every page")


def from_body(body: dict[str, Any]) -> Manifest:
    if body.get("format") != FORMAT:
        raise ManifestError(f"unknown format {body.get('format')!r}")
    try:
        m = Manifest(
            id=body["id"], seq=int(body["seq"]), kind=body["type"], parent=body["parent"],
            parent_digest=body["parent_digest"], created_at=datetime.fromisoformat(body["created_at"]),
            key_id=body["key_id"], wrapped_data_key=base64.b64decode(body["wrapped_data_key"], validate=True),
            page_size=int(body["page_size"]), page_count=int(body["page_count"]),
            page_hashes=_unpack_hashes(body["page_hashes"], int(body["page_count"])),
            chunks=[ChunkRecord(index=int(c["index"]), file=c["file"],
                                ranges=[(int(a), int(b)) for a, b in c["ranges"]],
                                plain_bytes=int(c["plain_bytes"]), plain_sha256=c["plain_sha256"],
                                cipher_bytes=int(c["cipher_bytes"]), cipher_sha256=c["cipher_sha256"])
                    for c in body["chunks"]],
            schema=dict(body["schema"]), row_counts=dict(body["row_counts"]), ledger_head=body["ledger_head"],
            source=body["source"])
    except ManifestError:
        raise
    except (KeyError, TypeError, ValueError, zstandard.ZstdError) as exc:
        raise ManifestError(f"malformed manifest: {type(exc).__name__}: {exc}") from exc
    _check_structure(m)
    return m


def _mac(keys: BackupKeys, body: dict[str, Any]) -> str:
    return hmac.new(keys.manifest_key, canonical(body), hashlib.sha256).hexdigest()


def seal_manifest(m: Manifest, keys: BackupKeys) -> bytes:
    body = to_body(m)
    return canonical({"body": body, "hmac_sha256": _mac(keys, body)}) + b"\n"


def open_manifest(data: bytes, keys: BackupKeys, *, expected_id: str) -> Manifest:
    """Parse, check the key id and the HMAC, then the structure; the id must match its folder."""
    try:
        document = json.loads(data)
        body, mac = document["body"], document["hmac_sha256"]
        key_id = body["key_id"]
    except (ValueError, TypeError, KeyError) as exc:
        raise ManifestError(f"unreadable manifest: {exc}") from exc
    if key_id != keys.key_id:
        raise ManifestError(f"wrong backup key: written with key id {key_id}, the configured key is {keys.key_id}")
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(keys, body)):
        raise ManifestError("manifest authentication failed: it was altered after it was written")
    m = from_body(body)
    if m.id != expected_id:
        raise ManifestError(f"manifest describes backup {m.id}, not {expected_id}")
    return m


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
