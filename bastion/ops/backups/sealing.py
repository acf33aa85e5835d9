"""Chunk and data-key cryptography: zstd, then AES-256-GCM, with AAD that pins each chunk.

Every backup has its own random data key, wrapped (AES key wrap, RFC 3394) by the backup key,
so a leaked data key exposes one backup and rotating the backup key never re-encrypts chunks.
The AAD names the backup id and chunk index: a chunk moved to another position or into another
backup fails authentication even if someone also rewrote the checksums.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

NONCE_BYTES = 12
ZSTD_LEVEL = 3


class SealError(Exception):
    """A chunk or key did not authenticate, decompress or match its checksum."""


def chunk_aad(backup_id: str, index: int) -> bytes:
    return f"bastion-backup/1 chunk {backup_id} {index}".encode()


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(wrap_key: bytes, data_key: bytes) -> bytes:
    return aes_key_wrap(wrap_key, data_key)


def unwrap_data_key(wrap_key: bytes, wrapped: bytes) -> bytes:
    try:
        return aes_key_unwrap(wrap_key, wrapped)
    except (InvalidUnwrap, ValueError) as exc:
        raise SealError("the data key does not unwrap: wrong backup key or damaged manifest") from exc


@dataclass(frozen=True)
class SealedChunk:
    ciphertext: bytes
    plain_bytes: int
    plain_sha256: str
    cipher_sha256: str


def seal_chunk(data_key: bytes, *, backup_id: str, index: int, plaintext: bytes) -> SealedChunk:
    compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(plaintext)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = nonce + AESGCM(data_key).encrypt(nonce, compressed, chunk_aad(backup_id, index))
    return SealedChunk(ciphertext=ciphertext, plain_bytes=len(plaintext),
                       plain_sha256=hashlib.sha256(plaintext).hexdigest(),
                       cipher_sha256=hashlib.sha256(ciphertext).hexdigest())


def open_chunk(data_key: bytes, *, backup_id: str, index: int, ciphertext: bytes, cipher_bytes: int,
               cipher_sha256: str, plain_bytes: int, plain_sha256: str) -> bytes:
    """Check size and checksum of the stored bytes, authenticate, decompress, check the plaintext."""
    if len(ciphertext) != cipher_bytes:
        raise SealError(f"truncated or extended: {len(ciphertext)} bytes, the manifest says {cipher_bytes}")
    if hashlib.sha256(ciphertext).hexdigest() != cipher_sha256:
        raise SealError("ciphertext checksum mismatch (flipped bytes or another chunk's content)")
    nonce, body = ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:]
    try:
        compressed = AESGCM(data_key).decrypt(nonce, body, chunk_aad(backup_id, index))
    except InvalidTag as exc:
        raise SealError("does not authenticate for this backup and position (swapped or forged chunk)") from exc
    try:
        plaintext = zstandard.ZstdDecompressor().decompress(compressed, max_output_size=plain_bytes)
    except zstandard.ZstdError as exc:
        raise SealError(f"does not decompress: {exc}") from exc
    if len(plaintext) != plain_bytes or hashlib.sha256(plaintext).hexdigest() != plain_sha256:
        raise SealError("plaintext checksum mismatch")
    return plaintext
