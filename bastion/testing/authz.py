"""The authorization matrix: every API operation, five kinds of caller, one expected outcome each.

Each app lists its operations in `tests/authz_cases.py` as CASES. tests/test_authz_matrix.py
runs every case and fails when an API route has no case, so a new route cannot ship unchecked.

The five callers:
  anonymous                 no session, no key
  shopper                   a signed-in person with no staff role
  other_merchant            the owner of another merchant (merchant B)
  staff_without_permission  staff who lack the permission (default: merchant A's staff)
  staff_with_permission     staff who hold it (default: merchant A's owner)
Callers run in that order, so the one expected to succeed goes last. For every caller whose
expected status is 4xx, the case's `snapshot` (and the ledger) must be unchanged afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "shopper", "other_merchant", "staff_without_permission", "staff_with_permission")


@dataclass(frozen=True)
class Call:
    path_params: dict[str, Any] = field(default_factory=dict)
    json: Any = None


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, int]
    prepare: Callable[[Any, Any], Call] = lambda world, user: Call()
    snapshot: Callable[[Any], Any] | None = None
    without: str = "staff_a"
    with_: str = "owner_a"

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.method} {self.path}: no expectation for {sorted(missing)}")

    @property
    def route(self) -> tuple[str, str]:
        return self.method.upper(), self.path

    def person_for(self, persona: str) -> str | None:
        return {"anonymous": None, "shopper": "shopper", "other_merchant": "owner_b",
                "staff_without_permission": self.without, "staff_with_permission": self.with_}[persona]


def expect(anonymous: int, shopper: int, other_merchant: int, without: int, with_: int) -> dict[str, int]:
    return dict(zip(PERSONAS, (anonymous, shopper, other_merchant, without, with_), strict=True))
