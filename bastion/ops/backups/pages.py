"""Pages of an SQLite file: a consistent copy, per-page hashes, and which pages changed.

The live database is in WAL mode and written by other processes, so the bytes of the file on
disk are never a consistent image. SQLite's online backup API copies every page inside one read
transaction (all pages in a single step), which gives the image a reader would see at that
instant. Everything after that works on the copy, which nobody else writes.

Page hashes are keyed BLAKE2b: comparing them finds changed pages exactly like plain hashes,
but someone holding the backup media cannot confirm a guess of a page's content from them.
Page numbers are SQLite's, starting at 1.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

PAGE_HASH_BYTES = 16
Ranges = list[tuple[int, int]]
Progress = Callable[[str, int, int], None]


def copy_consistent(db_path: Path, dest: Path) -> None:
    """Copy the live database into `dest` with the online backup API, in one read transaction."""
    if not db_path.is_file():
        raise FileNotFoundError(f"database {db_path} does not exist")
    source = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True, timeout=30)
    try:
        source.execute("PRAGMA query_only=ON")
        target = sqlite3.connect(dest)
        try:
            source.backup(target)  # pages=-1: every page in one step, so one consistent snapshot
        finally:
            target.close()
    finally:
        source.close()


def open_copy(path: Path) -> sqlite3.Connection:
    """Read a copy without creating -wal/-shm files next to it or changing a byte of it."""
    return sqlite3.connect(f"file:{path}?immutable=1", uri=True)


def page_geometry(path: Path) -> tuple[int, int]:
    """(page_size, page_count) of a database file nobody is writing."""
    conn = open_copy(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    return page_size, page_count


def hash_page(key: bytes, page: bytes) -> bytes:
    return hashlib.blake2b(page, digest_size=PAGE_HASH_BYTES, key=key).digest()


def iter_pages(path: Path, page_size: int, page_count: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        for pgno in range(1, page_count + 1):
            page = f.read(page_size)
            if len(page) != page_size:
                raise OSError(f"{path} ends inside page {pgno}")
            yield page


def hash_pages(path: Path, *, key: bytes, page_size: int, page_count: int,
               progress: Progress | None = None) -> list[bytes]:
    hashes = []
    for pgno, page in enumerate(iter_pages(path, page_size, page_count), start=1):
        hashes.append(hash_page(key, page))
        if progress and (pgno % 256 == 0 or pgno == page_count):
            progress("hash", pgno, page_count)
    return hashes


def changed_pages(current: Sequence[bytes], parent: Sequence[bytes] | None) -> list[int]:
    """Page numbers whose hash differs from the parent's, or that the parent did not have."""
    if parent is None:
        return list(range(1, len(current) + 1))
    return [pgno for pgno, digest in enumerate(current, start=1)
            if pgno > len(parent) or parent[pgno - 1] != digest]


def to_ranges(pages: Sequence[int]) -> Ranges:
    """Sorted page numbers as inclusive (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    ranges: Ranges = []
    for pgno in pages:
        if ranges and pgno == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], pgno)
        else:
            ranges.append((pgno, pgno))
    return ranges


def plan_chunks(pages: Sequence[int], *, pages_per_chunk: int) -> list[Ranges]:
    """Split changed pages into chunks of at most `pages_per_chunk` pages, each as page ranges."""
    if pages_per_chunk < 1:
        raise ValueError("pages_per_chunk must be at least 1")
    return [to_ranges(pages[i:i + pages_per_chunk]) for i in range(0, len(pages), pages_per_chunk)]


def pages_in(ranges: Ranges) -> int:
    return sum(last - first + 1 for first, last in ranges)


def read_ranges(path: Path, ranges: Ranges, page_size: int) -> bytes:
    parts = []
    with path.open("rb") as f:
        for first, last in ranges:
            f.seek((first - 1) * page_size)
            data = f.read((last - first + 1) * page_size)
            if len(data) != (last - first + 1) * page_size:
                raise OSError(f"{path} ends inside pages {first}-{last}")
            parts.append(data)
    return b"".join(parts)
