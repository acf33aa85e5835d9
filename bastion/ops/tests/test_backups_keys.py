"""The backup key: from the environment or a private file; invented only outside production."""

from __future__ import annotations

import base64

import pytest

from bastion.ops.backups import actions
from bastion.ops.backups.errors import BackupKeyError
from bastion.ops.backups.keys import BackupKeys, load_backup_key
from bastion.ops.tests.backup_shop import KEY, KEY_B64, ShopFile


def test_the_environment_key_wins(tmp_path):
    (tmp_path / "backup.key").write_text(base64.b64encode(b"\x01" * 32).decode())
    assert load_backup_key(env_key=KEY_B64, key_file=tmp_path / "backup.key", may_generate=False) == KEY


@pytest.mark.parametrize(("value", "message"), [("not base64!", "not valid base64"),
                                                (base64.b64encode(b"short").decode(), "must decode to 32 bytes")])
def test_a_bad_environment_key_is_refused(value, message):
    with pytest.raises(BackupKeyError, match=message):
        load_backup_key(env_key=value, key_file=None, may_generate=True)


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "backup.key"
    path.write_text(KEY_B64)
    path.chmod(0o644)
    with pytest.raises(BackupKeyError, match=r"readable by others .* run chmod 600"):
        load_backup_key(env_key="", key_file=path, may_generate=True)
    path.chmod(0o600)
    assert load_backup_key(env_key="", key_file=path, may_generate=False) == KEY


def test_development_creates_a_private_key_file_once(tmp_path):
    path = tmp_path / "var" / "backup.key"
    first = load_backup_key(env_key="", key_file=path, may_generate=True)
    assert len(first) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_backup_key(env_key="", key_file=path, may_generate=True) == first
    assert [p.name for p in path.parent.iterdir()] == ["backup.key"]


def test_production_without_a_key_fails_loudly_and_writes_nothing(tmp_path, settings):
    shop = ShopFile(tmp_path / "shop.sqlite3")
    shop.place_orders(2)
    settings.PRODUCTION = True
    settings.BACKUP_KEY = ""
    settings.BACKUP_KEY_FILE = tmp_path / "missing.key"
    settings.BACKUP_DIR = tmp_path / "backups"
    with pytest.raises(BackupKeyError, match="no backup key: set BACKUP_KEY"):
        actions.run_backup(kind="full", actor="system:test", db_path=shop.path)
    assert not (tmp_path / "backups").exists()
    assert not (tmp_path / "missing.key").exists()


def test_derived_keys_are_distinct_and_never_printed():
    keys = BackupKeys.derive(KEY)
    assert len({keys.wrap_key, keys.manifest_key, keys.page_hash_key, KEY}) == 4
    assert repr(keys) == f"BackupKeys(key_id='{keys.key_id}')"
    with pytest.raises(BackupKeyError, match="must be 32 bytes"):
        BackupKeys.derive(b"short")
