"""Damage to a backup or its chain is found, named precisely, and stops a restore before it writes."""

from __future__ import annotations

import json
import shutil

import pytest

from bastion.ops.backups.errors import CorruptBackup, Finding
from bastion.ops.backups.keys import BackupKeys
from bastion.ops.backups.manifest import MANIFEST_FILE, from_body, seal_manifest
from bastion.ops.backups.restore import restore_backup
from bastion.ops.backups.verify import verify_chain
from bastion.ops.tests.backup_shop import OTHER_KEY, backup_world


@pytest.fixture
def chain(tmp_path):
    """A full backup in several chunks and an incremental on top of it."""
    w = backup_world(tmp_path)
    w.shop.place_orders(30)
    full = w.take("full", chunk_pages=2)
    w.shop.place_orders(2)
    incr = w.take("incr", chunk_pages=2)
    assert len(full.chunks) >= 3
    return w, full, incr


def _verify(w, backup_id, keys=None):
    return verify_chain(media=w.media, keys=keys or w.keys, backup_id=backup_id)


def _only_finding(report) -> Finding:
    assert len(report.findings) == 1, report.findings
    return report.findings[0]


def test_truncated_chunk_is_named(chain):
    w, full, incr = chain
    path = w.media.path_of(full.id) / "chunk-00001.bin"
    path.write_bytes(path.read_bytes()[:-10])
    finding = _only_finding(_verify(w, incr.id))
    assert (finding.backup_id, finding.file) == (full.id, "chunk-00001.bin")
    assert finding.problem.startswith("truncated or extended")


def test_flipped_byte_is_named(chain):
    w, full, incr = chain
    path = w.media.path_of(full.id) / "chunk-00002.bin"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    finding = _only_finding(_verify(w, incr.id))
    assert (finding.backup_id, finding.file) == (full.id, "chunk-00002.bin")
    assert "checksum mismatch" in finding.problem


def test_swapped_chunks_are_both_named(chain):
    w, full, incr = chain
    folder = w.media.path_of(full.id)
    first, second = (folder / "chunk-00000.bin").read_bytes(), (folder / "chunk-00001.bin").read_bytes()
    (folder / "chunk-00000.bin").write_bytes(second)
    (folder / "chunk-00001.bin").write_bytes(first)
    report = _verify(w, incr.id)
    assert [(f.backup_id, f.file) for f in report.findings] == [(full.id, "chunk-00000.bin"),
                                                                (full.id, "chunk-00001.bin")]


def test_swapped_chunks_fail_authentication_even_with_rewritten_checksums(chain):
    """Defence in depth: the AAD binds position, so even a key holder rewriting checksums is caught."""
    w, full, _ = chain
    folder = w.media.path_of(full.id)
    first, second = (folder / "chunk-00000.bin").read_bytes(), (folder / "chunk-00001.bin").read_bytes()
    (folder / "chunk-00000.bin").write_bytes(second)
    (folder / "chunk-00001.bin").write_bytes(first)
    body = json.loads((folder / MANIFEST_FILE).read_bytes())["body"]
    c0, c1 = body["chunks"][0], body["chunks"][1]
    for key in ("cipher_bytes", "cipher_sha256"):
        c0[key], c1[key] = c1[key], c0[key]
    (folder / MANIFEST_FILE).write_bytes(seal_manifest(from_body(body), w.keys))
    report = _verify(w, full.id)
    assert [f.file for f in report.findings] == ["chunk-00000.bin", "chunk-00001.bin"]
    assert all("does not authenticate" in f.problem for f in report.findings)


def test_wrong_key_is_reported_as_such(chain):
    w, _, incr = chain
    finding = _only_finding(_verify(w, incr.id, keys=BackupKeys.derive(OTHER_KEY)))
    assert (finding.backup_id, finding.file) == (incr.id, MANIFEST_FILE)
    assert finding.problem.startswith("wrong backup key: written with key id " + w.keys.key_id)


def test_missing_parent_is_named(chain):
    w, full, incr = chain
    shutil.rmtree(w.media.path_of(full.id))
    finding = _only_finding(_verify(w, incr.id))
    assert finding == Finding(full.id, "-", f"missing (it is the parent of {incr.id})")


def test_tampered_manifest_is_detected(chain):
    w, full, incr = chain
    path = w.media.path_of(full.id) / MANIFEST_FILE
    document = json.loads(path.read_bytes())
    document["body"]["row_counts"]["orders"] = 999
    path.write_text(json.dumps(document))
    finding = _only_finding(_verify(w, incr.id))
    assert (finding.backup_id, finding.file) == (full.id, MANIFEST_FILE)
    assert "authentication failed" in finding.problem


def test_a_parent_replaced_by_another_signed_manifest_is_detected(chain):
    """Even a manifest re-signed with the right key is not accepted as a parent it never was."""
    w, full, incr = chain
    path = w.media.path_of(full.id) / MANIFEST_FILE
    body = json.loads(path.read_bytes())["body"]
    body["row_counts"]["orders"] = 31
    path.write_bytes(seal_manifest(from_body(body), w.keys))
    finding = _only_finding(_verify(w, incr.id))
    assert finding == Finding(incr.id, MANIFEST_FILE,
                              f"parent {full.id} is not the backup this one was taken from (its manifest differs)")


def test_missing_chunk_file_is_named(chain):
    w, _, incr = chain
    (w.media.path_of(incr.id) / "chunk-00000.bin").unlink()
    assert _only_finding(_verify(w, incr.id)) == Finding(incr.id, "chunk-00000.bin", "missing")


def test_a_damaged_chain_is_refused_before_anything_is_written(chain, tmp_path):
    w, full, incr = chain
    path = w.media.path_of(full.id) / "chunk-00000.bin"
    path.write_bytes(path.read_bytes()[:-1])
    into = tmp_path / "restored" / "shop.sqlite3"
    into.parent.mkdir()
    with pytest.raises(CorruptBackup) as excinfo:
        restore_backup(media=w.media, keys=w.keys, to_id=incr.id, into=into)
    assert str(excinfo.value).startswith(f"{full.id}/chunk-00000.bin: truncated or extended")
    assert list(into.parent.iterdir()) == []


def test_restore_with_the_wrong_key_writes_nothing(chain, tmp_path):
    w, _, incr = chain
    into = tmp_path / "restored.sqlite3"
    with pytest.raises(CorruptBackup, match="wrong backup key"):
        restore_backup(media=w.media, keys=BackupKeys.derive(OTHER_KEY), to_id=incr.id, into=into)
    assert not into.exists()
