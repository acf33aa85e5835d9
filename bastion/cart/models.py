"""Carts of anonymous visitors (found through their session) and of signed-in shoppers (their user)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

MAX_LINE_QUANTITY = 99


class Cart(models.Model):
    # A signed-in shopper has one cart; an anonymous cart has no user and is found by the id kept in
    # the visitor's session (see bastion/cart/queries.py::cart_for_request).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="cart")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"cart {self.pk} of {'user ' + str(self.user_id) if self.user_id else 'a visitor'}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, help_text="the price the shopper saw")
    currency = models.CharField(max_length=3)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="uniq_cart_line_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY),
                                   name="cart_line_quantity_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x variant {self.variant_id}"
