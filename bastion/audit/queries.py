"""Read-only views of the ledger and its checkpoints."""

from __future__ import annotations

from django.db.models import QuerySet

from bastion.audit.models import Checkpoint, LedgerEntry, LedgerHead


def recent_entries(*, action_prefix: str = "", limit: int = 50) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.order_by("-seq")
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    return entries[:limit]


def ledger_size() -> int:
    """How many entries the head says the ledger holds (the tree size a checkpoint would sign)."""
    head = LedgerHead.objects.filter(id=1).first()
    return head.seq if head is not None else 0


def entry_at(seq: int) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(seq=seq).first()


def entry_hashes(*, upto: int) -> list[str]:
    """The entry hashes of entries #1..#upto in order: the leaves of the tree of size `upto`."""
    return list(LedgerEntry.objects.filter(seq__lte=upto).order_by("seq").values_list("entry_hash", flat=True))


def checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("tree_size")


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def checkpoint_at(tree_size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(tree_size=tree_size).first()
