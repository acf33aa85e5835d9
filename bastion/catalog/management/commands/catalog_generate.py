"""Generate a large catalog for benchmarks: `bastion manage catalog_generate --products 100000`."""

from __future__ import annotations

import secrets
import time

from django.core.management.base import BaseCommand, CommandError

from bastion.catalog.generate import THEMES, generate
from bastion.merchants.actions import create_merchant
from bastion.merchants.models import Merchant


class Command(BaseCommand):
    help = "Add N generated products (with variants) spread over the merchants, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True, help="how many products to add")
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same catalog)")

    def handle(self, *args, products: int, seed: int, **options):
        if not 1 <= products <= 5_000_000:
            raise CommandError("--products must be between 1 and 5,000,000")
        merchants = list(Merchant.objects.order_by("id"))
        if not merchants:
            merchants = [create_merchant(name=f"Benchmark merchant {i}", actor="system:catalog_generate")
                         for i in range(1, 4)]
        themes = list(THEMES)
        run = secrets.token_hex(3).upper()  # SKUs and slugs of each run differ from earlier runs'
        started = time.perf_counter()
        total = 0
        for index, merchant in enumerate(merchants):
            share = products // len(merchants) + (1 if index < products % len(merchants) else 0)
            if share:
                total += generate(merchant=merchant, theme=themes[index % len(themes)], count=share,
                                  sku_prefix=f"G{run}M{merchant.pk}", seed=seed)
        self.stdout.write(f"Added {total} products in {time.perf_counter() - started:.1f} s.")
