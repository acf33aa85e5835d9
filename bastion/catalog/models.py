"""Categories, merchants' products, their variants (the things that have a SKU, a price and stock)."""

from __future__ import annotations

from django.db import models

from bastion.core.money import DEFAULT_CURRENCY, Money


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True, help_text='e.g. {"material": "cotton"}')
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Soft delete: order lines keep pointing at the product and its variants.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # The lowest price of the active variants, kept by the catalog actions: search filters and
    # sorts by it without aggregating variants. None while the product has no active variant.
    price_from = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["merchant", "slug"], name="uniq_product_slug_per_merchant")]
        indexes = [models.Index(fields=["status", "category"]), models.Index(fields=["merchant", "status"]),
                   models.Index(fields=["status", "created_at"], name="catalog_product_newest"),
                   models.Index(fields=["status", "price_from"], name="catalog_product_price"),
                   # Covers the shop's counts and facets (catalog/search.py spells the condition out).
                   models.Index(fields=["category", "merchant", "price_from"], name="catalog_product_shop",
                                condition=models.Q(status="published", deleted_at__isnull=True))]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deleted_at is None


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="variants")
    sku = models.CharField(max_length=64, unique=True)
    options = models.JSONField(default=dict, blank=True, help_text='e.g. {"size": "M", "colour": "red"}')
    price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    weight_grams = models.PositiveIntegerField(default=0)
    barcode = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(price__gte=0), name="variant_price_not_negative")]

    def __str__(self) -> str:
        return self.sku

    @property
    def unit_price(self) -> Money:
        return Money(self.price, self.currency)


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"image {self.position} of {self.product_id}"
