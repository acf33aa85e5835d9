"""Where a merchant ships (zones), how (methods with weight bands and a free-shipping threshold), and tax.

Prices in Bastion are tax-inclusive (docs/pricing.md): a TaxRate says how much of a gross price is tax.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ShippingZone(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="shipping_zones")
    name = models.CharField(max_length=100)
    countries = models.JSONField(default=list, help_text='ISO 3166 alpha-2 codes, e.g. ["CN"]')
    regions = models.JSONField(default=list, blank=True,
                               help_text="provinces or regions covered; empty means the whole countries")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["merchant", "name"], name="uniq_zone_name_per_merchant")]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(models.Model):
    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    name = models.CharField(max_length=60)
    carrier_code = models.CharField(max_length=32)
    days_min = models.PositiveSmallIntegerField(default=1)
    days_max = models.PositiveSmallIntegerField(default=3)
    price = models.DecimalField(max_digits=12, decimal_places=2, help_text="flat price when there are no bands")
    currency = models.CharField(max_length=3, default="CNY")
    free_above = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                     help_text="free shipping when the merchant's goods reach this value")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["zone", "price", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="uniq_method_name_per_zone"),
            models.CheckConstraint(condition=Q(days_min__lte=models.F("days_max")), name="method_days_ordered"),
            models.CheckConstraint(condition=Q(price__gte=0), name="method_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.zone.name}: {self.name}"


class WeightBand(models.Model):
    """Up to `max_grams` the method costs `price`; bands replace the flat price when a method has any."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="bands")
    max_grams = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["method", "max_grams"]
        constraints = [
            models.UniqueConstraint(fields=["method", "max_grams"], name="uniq_band_per_method"),
            models.CheckConstraint(condition=Q(price__gte=0), name="band_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"up to {self.max_grams} g: {self.price}"


class TaxRate(models.Model):
    """The VAT/GST share of a merchant's tax-inclusive prices for buyers in a country (or one region of it)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="tax_rates")
    country = models.CharField(max_length=2)
    region = models.CharField(max_length=100, blank=True, help_text="empty: the whole country")
    name = models.CharField(max_length=40, default="VAT")
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["merchant", "country", "region"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "country", "region"], name="uniq_tax_rate_per_place"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="tax_percent_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.percent}% {self.country} {self.region}".strip()
