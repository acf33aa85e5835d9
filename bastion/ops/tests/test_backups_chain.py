"""full -> incr -> diff -> incr of a live WAL database, restored to each point in time."""

from __future__ import annotations

import sqlite3
import threading

from bastion.ops.backups.manifest import seq_of
from bastion.ops.backups.pages import changed_pages, plan_chunks, to_ranges
from bastion.ops.backups.restore import restore_backup
from bastion.ops.backups.verify import verify_chain
from bastion.ops.tests.backup_shop import backup_world, rows_of


def test_restore_to_each_backup_gives_exactly_the_rows_committed_before_it(tmp_path):
    w = backup_world(tmp_path)
    expected = {}
    w.shop.place_orders(40)
    full = w.take("full")
    expected[full.id] = w.shop.rows()

    w.shop.place_orders(3)
    w.shop.execute("UPDATE orders SET status = 'shipped' WHERE id <= 2")
    incr1 = w.take("incr")
    expected[incr1.id] = w.shop.rows()

    w.shop.execute("DELETE FROM orders WHERE id BETWEEN 10 AND 12")
    w.shop.place_orders(20)
    diff = w.take("diff")
    expected[diff.id] = w.shop.rows()

    w.shop.execute("UPDATE orders SET total_minor = 1 WHERE id = 50")
    incr2 = w.take("incr")
    expected[incr2.id] = w.shop.rows()
    w.shop.place_orders(5)  # after the last backup: no restore may contain these

    assert (full.parent, incr1.parent, diff.parent, incr2.parent) == (None, full.id, full.id, diff.id)
    assert [seq_of(b.id) for b in (full, incr1, diff, incr2)] == [1, 2, 3, 4]
    assert full.pages_stored == full.page_count
    assert 0 < incr1.pages_stored < full.pages_stored
    assert incr1.pages_stored < diff.pages_stored < diff.page_count  # a diff also holds incr1's changes
    assert 0 < incr2.pages_stored <= 3
    chains = {full.id: [full.id], incr1.id: [full.id, incr1.id], diff.id: [full.id, diff.id],
              incr2.id: [full.id, diff.id, incr2.id]}
    for backup_id, rows in expected.items():
        into = tmp_path / f"restored-{backup_id}.sqlite3"
        result = restore_backup(media=w.media, keys=w.keys, to_id=backup_id, into=into)
        assert rows_of(into) == rows
        assert result.chain == chains[backup_id]
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert len(rows_of(tmp_path / f"restored-{incr2.id}.sqlite3")["orders"]) == 40 + 3 - 3 + 20


def test_manifest_describes_the_copy(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(12)
    m = w.take("full")
    assert m.row_counts == {"audit_ledgerhead": 1, "django_migrations": 3, "orders": 12}
    assert m.schema == {"audit": "0001_initial", "orders": "0002_status"}
    assert m.ledger_head == {"seq": 7, "entry_hash": "ab"}
    assert (m.page_size, m.page_count) == (4096, w.shop.page_count())
    assert m.created_at == w.clock
    assert m.id == f"000001-full-{w.clock:%Y%m%dT%H%M%SZ}"


def test_incremental_without_changes_stores_no_pages_and_restores(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(5)
    w.take("full")
    incr = w.take("incr")
    assert (incr.pages_stored, incr.chunks) == (0, [])
    restore_backup(media=w.media, keys=w.keys, to_id=incr.id, into=tmp_path / "r.sqlite3")
    assert rows_of(tmp_path / "r.sqlite3") == w.shop.rows()


def test_a_database_that_shrank_restores_to_its_smaller_size(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(60)
    full = w.take("full")
    w.shop.execute("DELETE FROM orders WHERE id > 5")
    w.shop.conn.execute("VACUUM")
    incr = w.take("incr")
    assert incr.page_count < full.page_count
    into = tmp_path / "r.sqlite3"
    restore_backup(media=w.media, keys=w.keys, to_id=incr.id, into=into)
    assert into.stat().st_size == incr.page_count * incr.page_size
    assert rows_of(into) == w.shop.rows()


def test_a_backup_taken_while_another_connection_writes_is_consistent(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(20)
    stop, warmed_up, written = threading.Event(), threading.Event(), []

    def writer():
        conn = sqlite3.connect(w.shop.path, isolation_level=None, timeout=10)
        for i in range(2000):
            if i == 20:
                warmed_up.set()
            if stop.is_set():
                break
            conn.execute("INSERT INTO orders (number, total_minor, status, note) VALUES (?, 1, 'placed', 'w')",
                         (f"W-{i}",))
            written.append(i)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    warmed_up.wait(timeout=10)
    try:
        m = w.take("full")
    finally:
        stop.set()
        thread.join()
    into = tmp_path / "r.sqlite3"
    restore_backup(media=w.media, keys=w.keys, to_id=m.id, into=into)  # checks integrity and row counts
    numbers = [row[1] for row in rows_of(into)["orders"]]
    concurrent = [n for n in numbers if n.startswith("W-")]
    assert concurrent == [f"W-{i}" for i in range(len(concurrent))]  # a prefix of the commits, no gaps
    assert len(concurrent) >= 20
    assert len(numbers) == m.row_counts["orders"] == 20 + len(concurrent)


def test_verify_reports_a_sound_chain(tmp_path):
    w = backup_world(tmp_path)
    w.shop.place_orders(10)
    full = w.take("full")
    w.shop.place_orders(1)
    incr = w.take("incr")
    report = verify_chain(media=w.media, keys=w.keys, backup_id=incr.id)
    assert report.ok and report.findings == []
    assert report.chain == [full.id, incr.id]
    assert report.chunks_checked == len(full.chunks) + len(incr.chunks)


def test_changed_pages_and_chunk_plan():
    a, b, c = b"a" * 16, b"b" * 16, b"c" * 16
    assert changed_pages([a, b, c], None) == [1, 2, 3]
    assert changed_pages([a, c, c, a], [a, b, c]) == [2, 4]
    assert changed_pages([a], [a, b, c]) == []
    assert to_ranges([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]
    assert plan_chunks([1, 2, 3, 7, 9, 10], pages_per_chunk=4) == [[(1, 3), (7, 7)], [(9, 10)]]
    assert plan_chunks([], pages_per_chunk=4) == []
