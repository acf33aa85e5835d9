"""Verification: every chunk of a backup and of every backup it depends on, decrypted and checked.

A backup is only as good as its chain, so verify(id) walks parent links down to the full backup
and checks each link: the parent exists, is the very backup the child was taken from (manifest
digest), has an earlier sequence number, and is a full backup when the child is a differential.
Then every chunk is checked for size, ciphertext checksum, GCM authentication with its position,
decompression and plaintext checksum. All findings are collected, each naming backup and file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.ops.backups.errors import BackupError, Finding
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import MANIFEST_FILE, ChunkRecord, Manifest, ManifestError
from bastion.ops.backups.media import BackupMedia
from bastion.ops.backups.pages import Progress
from bastion.ops.backups.sealing import SealError, open_chunk, unwrap_data_key


@dataclass
class VerifyReport:
    backup_id: str
    chain: list[str] = field(default_factory=list)  # full first, the verified backup last
    findings: list[Finding] = field(default_factory=list)
    chunks_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


def _link_problem(child: Manifest, parent: Manifest, parent_digest: str) -> str | None:
    if child.parent_digest != parent_digest:
        return f"parent {parent.id} is not the backup this one was taken from (its manifest differs)"
    if parent.seq >= child.seq:
        return f"parent {parent.id} is not older than this backup"
    if child.kind == "diff" and parent.kind != "full":
        return f"a differential must be based on a full backup, not on {parent.kind} {parent.id}"
    return None


def load_chain(media: BackupMedia, keys: BackupKeys, backup_id: str) -> tuple[list[Manifest], list[Finding]]:
    """Authenticated manifests from the full backup to `backup_id`, and any problem on the way."""
    chain: list[Manifest] = []
    current: str | None = backup_id
    while current is not None:
        child = chain[-1] if chain else None
        try:
            folder = media.path_of(current)
        except BackupError as exc:
            return chain[::-1], [Finding(child.id if child else current, MANIFEST_FILE, str(exc))]
        if not folder.is_dir():
            problem = f"missing (it is the parent of {child.id})" if child else "no such backup"
            return chain[::-1], [Finding(current, "-", problem)]
        try:
            manifest, manifest_digest = media.load(current, keys)
        except (ManifestError, OSError) as exc:
            return chain[::-1], [Finding(current, MANIFEST_FILE, str(exc))]
        if child and (problem := _link_problem(child, manifest, manifest_digest)):
            return chain[::-1], [Finding(child.id, MANIFEST_FILE, problem)]
        chain.append(manifest)
        current = manifest.parent
    return chain[::-1], []


def read_chunk(media: BackupMedia, manifest: Manifest, data_key: bytes, chunk: ChunkRecord) -> bytes:
    """The plaintext pages of one chunk; raises SealError or OSError naming what is wrong."""
    try:
        ciphertext = media.read_chunk(manifest.id, chunk.file)
    except FileNotFoundError as exc:
        raise SealError("missing") from exc
    return open_chunk(data_key, backup_id=manifest.id, index=chunk.index, ciphertext=ciphertext,
                      cipher_bytes=chunk.cipher_bytes, cipher_sha256=chunk.cipher_sha256,
                      plain_bytes=chunk.plain_bytes, plain_sha256=chunk.plain_sha256)


def data_key_of(manifest: Manifest, keys: BackupKeys) -> bytes:
    return unwrap_data_key(keys.wrap_key, manifest.wrapped_data_key)


def verify_chain(*, media: BackupMedia, keys: BackupKeys, backup_id: str,
                 progress: Progress | None = None) -> VerifyReport:
    report = VerifyReport(backup_id=backup_id)
    chain, report.findings = load_chain(media, keys, backup_id)
    report.chain = [m.id for m in chain]
    total = sum(len(m.chunks) for m in chain)
    for manifest in chain:
        try:
            data_key = data_key_of(manifest, keys)
        except SealError as exc:
            report.findings.append(Finding(manifest.id, MANIFEST_FILE, str(exc)))
            continue
        for chunk in manifest.chunks:
            try:
                read_chunk(media, manifest, data_key, chunk)
            except (SealError, OSError) as exc:
                report.findings.append(Finding(manifest.id, chunk.file, str(exc)))
            report.chunks_checked += 1
            report.bytes_checked += chunk.cipher_bytes
            if progress:
                progress("verify", report.chunks_checked, total)
    return report
