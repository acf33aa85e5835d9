"""Read-only stock queries, and the conservation check over the whole journal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from bastion.catalog.models import Variant
from bastion.inventory.models import Reservation, StockLevel, StockMovement, Warehouse
from bastion.inventory.rules import VariantTotals, conservation_problems


def warehouses_of(merchant_id: int) -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(merchant_id=merchant_id).order_by("code")


def stock_levels_of(merchant_id: int, *, warehouse_id: int | None = None) -> QuerySet[StockLevel]:
    levels = StockLevel.objects.filter(warehouse__merchant_id=merchant_id).select_related(
        "variant", "warehouse").order_by("warehouse__code", "variant__sku")
    return levels.filter(warehouse_id=warehouse_id) if warehouse_id is not None else levels


def movements_of(merchant_id: int, *, warehouse_id: int | None = None, variant_id: int | None = None
                 ) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.filter(warehouse__merchant_id=merchant_id).select_related(
        "variant", "warehouse").order_by("-id")
    if warehouse_id is not None:
        movements = movements.filter(warehouse_id=warehouse_id)
    if variant_id is not None:
        movements = movements.filter(variant_id=variant_id)
    return movements


def available_of(variant_id: int) -> int:
    totals = StockLevel.objects.filter(variant_id=variant_id, warehouse__is_active=True).aggregate(
        on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    return (totals["on_hand"] or 0) - (totals["reserved"] or 0)


@dataclass
class ConservationReport:
    totals: list[VariantTotals] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_R = StockMovement.Reason


def conservation_report(*, variant_ids: list[int] | None = None) -> ConservationReport:
    """For every variant with stock: the journal's sums against the counts (see rules.conservation_problems)."""
    scope = Q(variant_id__in=variant_ids) if variant_ids is not None else Q()
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (StockMovement.objects.filter(scope).values("variant_id", "reason")
                .annotate(on_hand=Sum("delta_on_hand"), reserved=Sum("delta_reserved"))):
        entry = sums[row["variant_id"]]
        entry[row["reason"]] += row["on_hand"]
        entry["journal_reserved"] += row["reserved"]
    for row in StockLevel.objects.filter(scope).values("variant_id").annotate(
            on_hand=Sum("on_hand"), reserved=Sum("reserved")):
        sums[row["variant_id"]]["on_hand"] += row["on_hand"]
        sums[row["variant_id"]]["reserved"] += row["reserved"]
    for row in (Reservation.objects.filter(scope, status=Reservation.Status.ACTIVE).values("variant_id")
                .annotate(quantity=Sum("quantity"))):
        sums[row["variant_id"]]["active"] += row["quantity"]
    skus = dict(Variant.objects.filter(pk__in=sums).values_list("pk", "sku"))
    report = ConservationReport()
    for variant_id in sorted(sums):
        s = sums[variant_id]
        totals = VariantTotals(
            variant_id=variant_id, sku=skus.get(variant_id, str(variant_id)), received=s[_R.RECEIPT],
            adjusted=s[_R.ADJUSTMENT] + s[_R.CORRECTION], sold=-s[_R.SALE], returned=s[_R.RETURN],
            on_hand=s["on_hand"], reserved=s["reserved"], journal_reserved=s["journal_reserved"],
            active_reservations=s["active"])
        report.totals.append(totals)
        report.problems.extend(conservation_problems(totals))
    return report
