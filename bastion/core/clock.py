"""The one clock. Tests replace it with `use_clock(...)`; code calls `now()`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

_clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    return _clock()


@contextlib.contextmanager
def use_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    global _clock
    previous, _clock = _clock, clock
    try:
        yield
    finally:
        _clock = previous
