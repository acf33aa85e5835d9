#!/usr/bin/env python3
"""Verify a Bastion ledger proof without Bastion: Python's standard library and `cryptography` only.

    python tools/verify_ledger_proof.py PROOF.json [--public-key HEX]

PROOF.json is the output of `bastion audit proof inclusion SEQ` or `bastion audit proof consistency
M N` ("-" reads standard input). Exit status 0 when the proof holds, 1 with one line of cause when
it does not. Pin the ledger's public key with --public-key (64 hex digits, from the operator, out
of band): without it the key carried in the proof is used, which shows only that the proof is
consistent with itself, not that the ledger's owner signed it.

The rules are restated here on purpose, not imported, so this file can be read and audited alone:
  entry hash  SHA-256 of the canonical JSON (sorted keys, "," and ":" separators, UTF-8, non-ASCII
              kept) of {seq, at, actor, action, subject, payload, prev}
  leaf        SHA-256(0x00 || the 32 bytes of the entry hash)      RFC 6962 section 2.1
  node        SHA-256(0x01 || left || right)
  inclusion   RFC 9162 section 2.1.3.2       consistency   RFC 9162 section 2.1.4.2
  checkpoint  Ed25519 signature over "bastion-ledger-checkpoint v1\\n<size>\\n<root hex>\\n<signed_at>\\n"
  key id      the first 16 hex digits of SHA-256 of the raw 32-byte public key
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

INCLUSION = "bastion-ledger-inclusion-proof"
CONSISTENCY = "bastion-ledger-consistency-proof"


class ProofFailed(Exception):
    pass


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(r, root)


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2 (equal sizes: empty proof and equal roots)."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and hmac.compare_digest(first_root, second_root)
    if not proof:
        return False
    path = ([first_root] if first & (first - 1) == 0 else []) + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(fr, first_root) and hmac.compare_digest(sr, second_root)


def hash_bytes(value: object, what: str) -> bytes:
    try:
        raw = bytes.fromhex(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ProofFailed(f"{what} is not a 32-byte hex hash")
    return raw


def whole_number(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProofFailed(f"{what} is not a whole number")
    return value


def public_key_from(proof: dict, pinned: str | None) -> Ed25519PublicKey:
    carried = proof.get("public_key")
    if pinned is not None and carried is not None and carried.lower() != pinned.lower():
        raise ProofFailed("the proof carries a different public key from the pinned one")
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(pinned or carried))
    except (TypeError, ValueError) as exc:
        raise ProofFailed("the public key is not 32 bytes of hex") from exc


def check_checkpoint(checkpoint: dict, key: Ed25519PublicKey, name: str) -> tuple[int, bytes]:
    """The checkpoint's signature holds under `key`; returns its tree size and root."""
    if not isinstance(checkpoint, dict):
        raise ProofFailed(f"{name} is missing")
    size = whole_number(checkpoint.get("tree_size"), f"{name} tree size")
    root_hex = checkpoint.get("root_hash")
    root = hash_bytes(root_hex, f"{name} root")
    raw_key = key.public_bytes_raw()
    if checkpoint.get("key_id") != hashlib.sha256(raw_key).hexdigest()[:16]:
        raise ProofFailed(f"{name} names key {checkpoint.get('key_id')}, not the key given")
    signed_at = checkpoint.get("signed_at")
    if not isinstance(signed_at, str):
        raise ProofFailed(f"{name} has no signing time")
    message = f"bastion-ledger-checkpoint v1\n{size}\n{root_hex}\n{signed_at}\n".encode()
    try:
        key.verify(bytes.fromhex(checkpoint.get("signature", "")), message)
    except (InvalidSignature, TypeError, ValueError) as exc:
        raise ProofFailed(f"{name}: the signature does not verify") from exc
    return size, root


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_inclusion(proof: dict, key: Ed25519PublicKey) -> str:
    size, root = check_checkpoint(proof.get("checkpoint") or {}, key, "the checkpoint")
    index = whole_number(proof.get("leaf_index"), "the leaf index")
    if proof.get("tree_size") != size or proof.get("root_hash") != proof["checkpoint"]["root_hash"]:
        raise ProofFailed("the proof's tree size or root differs from its signed checkpoint")
    entry = proof.get("entry")
    if not isinstance(entry, dict) or set(entry) != {"seq", "at", "actor", "action", "subject", "payload", "prev"}:
        raise ProofFailed("the entry does not have the hashed fields")
    if entry["seq"] != index + 1:
        raise ProofFailed(f"entry #{entry['seq']} cannot be leaf {index}")
    digest = hashlib.sha256(canonical_json(entry).encode()).hexdigest()
    if digest != proof.get("entry_hash"):
        raise ProofFailed(f"entry #{entry['seq']}: its fields do not hash to its entry hash")
    path = [hash_bytes(h, "an audit path hash") for h in proof.get("audit_path") or []]
    if not verify_inclusion(leaf_hash(bytes.fromhex(digest)), index, size, path, root):
        raise ProofFailed(f"the audit path does not lead from entry #{entry['seq']} to the signed root")
    return f"entry #{entry['seq']} ({entry['action']} {entry['subject']}) is in the signed tree of size {size}"


def check_consistency(proof: dict, key: Ed25519PublicKey) -> str:
    first, first_root = check_checkpoint(proof.get("first") or {}, key, "the first checkpoint")
    second, second_root = check_checkpoint(proof.get("second") or {}, key, "the second checkpoint")
    path = [hash_bytes(h, "a consistency path hash") for h in proof.get("consistency_path") or []]
    if not verify_consistency(first, second, first_root, second_root, path):
        raise ProofFailed(f"the signed tree of size {second} does not extend the signed tree of size {first}")
    return f"the signed tree of size {second} extends the signed tree of size {first}"


def verify(proof: object, pinned: str | None) -> str:
    if not isinstance(proof, dict):
        raise ProofFailed("the proof is not a JSON object")
    key = public_key_from(proof, pinned)
    if proof.get("kind") == INCLUSION:
        return check_inclusion(proof, key)
    if proof.get("kind") == CONSISTENCY:
        return check_consistency(proof, key)
    raise ProofFailed(f"unknown proof kind {proof.get('kind')!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Bastion ledger proof (inclusion or consistency).")
    parser.add_argument("proof", help="the proof JSON file, or - for standard input")
    parser.add_argument("--public-key", help="the ledger's Ed25519 public key, 64 hex digits (pin it)")
    args = parser.parse_args(argv)
    try:
        if args.proof == "-":
            text = sys.stdin.read()
        else:
            with open(args.proof, encoding="utf-8") as file:
                text = file.read()
        print(f"proof holds: {verify(json.loads(text), args.public_key)}")
        return 0
    except (OSError, ValueError, ProofFailed) as exc:
        cause = f"not valid JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        print(f"proof does not hold: {cause}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
