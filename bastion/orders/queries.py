"""Read-only order querysets, N+1-safe: lines and timeline are prefetched, merchant joined."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from bastion.orders.models import Order, OrderEvent, OrderLine, ReturnRequest


def with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("merchant").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
        Prefetch("events", queryset=OrderEvent.objects.order_by("at", "id")),
        Prefetch("returns", queryset=ReturnRequest.objects.order_by("id")))


def orders_of_shopper(shopper_id: int) -> QuerySet[Order]:
    return (Order.objects.filter(shopper_id=shopper_id).select_related("merchant")
            .annotate(line_count=Count("lines")).order_by("-placed_at", "-id"))


def order_queue(merchant_id: int, *, status: str | None = None) -> QuerySet[Order]:
    """A merchant's orders, oldest first when filtered by a status (work in arrival order), else newest."""
    orders = Order.objects.filter(merchant_id=merchant_id).annotate(line_count=Count("lines"))
    if status:
        return orders.filter(status=status).order_by("placed_at", "id")
    return orders.order_by("-placed_at", "-id")


def status_counts(merchant_id: int) -> dict[str, int]:
    return dict(Order.objects.filter(merchant_id=merchant_id).values_list("status").annotate(n=Count("id"))
                .values_list("status", "n"))
