"""Retention rules, as a pure function: no kept backup ever loses a backup it depends on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.ops.backups.retention import BackupRef, plan_retention

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def build(steps: list[tuple[str, int]], dropped: set[int] = frozenset()) -> list[BackupRef]:
    """A catalog as the engine makes it: diff -> newest full, incr -> newest backup; then gaps."""
    refs: list[BackupRef] = []
    at = NOW - timedelta(hours=sum(gap for _, gap in steps))
    last_full = last = None
    for seq, (kind, gap) in enumerate(steps, start=1):
        if kind != "full" and last_full is None:
            kind = "full"
        at += timedelta(hours=gap)
        parent = None if kind == "full" else (last_full if kind == "diff" else last)
        ref = BackupRef(id=f"{seq:06d}-{kind}", kind=kind, parent=parent, created_at=at, seq=seq)
        refs.append(ref)
        last = ref.id
        last_full = ref.id if kind == "full" else last_full
    return [r for i, r in enumerate(refs) if i not in dropped]


def ancestors(ref: BackupRef, by_id: dict[str, BackupRef]) -> list[str]:
    found, current = [], ref.parent
    while current in by_id:
        found.append(current)
        current = by_id[current].parent
    return found


catalogs = st.lists(st.tuples(st.sampled_from(["full", "diff", "incr", "incr"]), st.integers(0, 72)),
                    max_size=40).flatmap(
    lambda steps: st.tuples(st.just(steps), st.sets(st.integers(0, max(len(steps) - 1, 0)), max_size=3)))


@given(catalogs, st.integers(1, 5), st.integers(0, 20))
def test_no_kept_backup_loses_a_parent_and_the_rules_hold(catalog, keep_full, keep_days):
    steps, dropped = catalog
    refs = build(steps, dropped)
    by_id = {r.id: r for r in refs}
    plan = plan_retention(refs, keep_full=keep_full, keep_days=keep_days, now=NOW)

    assert plan.keep | set(plan.delete) == set(by_id) and not plan.keep & set(plan.delete)
    assert len(plan.delete) == len(set(plan.delete))
    for kept in plan.keep:
        assert set(ancestors(by_id[kept], by_id)) <= plan.keep
    newest_fulls = sorted((r for r in refs if r.kind == "full"), key=lambda r: r.seq)[-keep_full:]
    assert {r.id for r in newest_fulls} <= plan.keep
    recent = {r.id for r in refs if r.kind != "full" and r.created_at >= NOW - timedelta(days=keep_days)}
    assert recent <= plan.keep
    wanted = {r.id for r in newest_fulls} | recent
    assert plan.keep == wanted | {a for w in wanted for a in ancestors(by_id[w], by_id)}  # nothing more
    position = {backup_id: i for i, backup_id in enumerate(plan.delete)}
    for gone in plan.delete:
        for ancestor in ancestors(by_id[gone], by_id):
            if ancestor in position:
                assert position[gone] < position[ancestor]  # children go first


def test_a_recent_incremental_keeps_an_old_full():
    refs = build([("full", 0), ("full", 24 * 20), ("incr", 1), ("full", 1), ("full", 1), ("full", 1)])
    plan = plan_retention(refs, keep_full=2, keep_days=14, now=NOW)
    assert plan.keep == {"000002-full", "000003-incr", "000005-full", "000006-full"}
    assert plan.delete == ("000004-full", "000001-full")


def test_old_diffs_and_incrementals_go_with_their_fulls():
    refs = build([("full", 0), ("diff", 1), ("incr", 1), ("full", 24 * 30), ("incr", 1)])
    plan = plan_retention(refs, keep_full=1, keep_days=14, now=NOW)
    assert plan.keep == {"000004-full", "000005-incr"}
    assert plan.delete == ("000003-incr", "000002-diff", "000001-full")


def test_retention_never_deletes_the_last_full():
    with pytest.raises(ValueError, match="keep_full must be at least 1"):
        plan_retention([], keep_full=0, keep_days=14, now=NOW)
