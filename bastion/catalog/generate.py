"""Realistic catalogs made from word lists: the demo's shop and large sets for benchmarks.

Products and variants are written with bulk_create in batches; the search index follows by
itself (database triggers on SQLite, a generated column on PostgreSQL). Not an action: it is
operator tooling (seed-demo, catalog_generate) and writes no ledger entries.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from bastion.catalog import version
from bastion.catalog.models import Category, Product, Variant
from bastion.core import clock
from bastion.merchants.models import Merchant

THEMES = {
    "tea": {
        "tree": ("Tea & teaware", ["Green tea", "Black tea", "Oolong", "Pu'er", "Herbal infusions", "Teaware"]),
        "adjectives": ["Spring", "Mountain", "Hand-rolled", "Aged", "Imperial", "Smoky", "Floral", "Organic",
                       "Roasted", "First flush", "Misty", "Golden", "Jade", "Old tree", "Wild"],
        "nouns": ["Longjing", "Biluochun", "Tieguanyin", "Da Hong Pao", "Keemun", "Dian Hong", "Lapsang",
                  "Jasmine pearls", "White peony", "Silver needle", "Sheng cake", "Shou brick", "Gaiwan",
                  "Yixing teapot", "Tea tray", "Chrysanthemum", "Osmanthus", "Rose buds"],
        "attributes": {"origin": ["Hangzhou", "Fujian", "Yunnan", "Anhui", "Sichuan", "Guangdong", "Taiwan"],
                       "harvest": ["2024 spring", "2025 spring", "2025 autumn", "2019", "2021"]},
        "options": ("size", ["50 g", "100 g", "250 g", "500 g"]),
        "prices": (Decimal("18"), Decimal("1200")),
        "phrases": ["Brews a clear, sweet cup with a long finish.", "Picked by hand and fired in small batches.",
                    "Good for three to five infusions.", "Packed in a resealable tin to keep it fresh.",
                    "A gift that tea lovers remember."],
    },
    "outdoor": {
        "tree": ("Outdoor gear", ["Jackets", "Footwear", "Backpacks", "Camping", "Climbing", "Running"]),
        "adjectives": ["Alpine", "Storm", "Trail", "Ultralight", "Waterproof", "Insulated", "Summit", "Ridge",
                       "Expedition", "Breathable", "Packable", "Rugged", "Merino", "Windproof"],
        "nouns": ["shell jacket", "down parka", "fleece", "hiking boots", "trail runners", "daypack",
                  "trekking pack", "tent", "sleeping bag", "headlamp", "trekking poles", "harness", "chalk bag",
                  "rain pants", "base layer", "gaiters", "water bottle", "camp stove"],
        "attributes": {"material": ["nylon", "polyester", "merino wool", "Gore-Tex", "ripstop", "aluminium"],
                       "season": ["all season", "summer", "winter", "three season"]},
        "options": ("size", ["XS", "S", "M", "L", "XL"]),
        "prices": (Decimal("39"), Decimal("3800")),
        "phrases": ["Tested on long days in the mountains.", "Seams are taped against rain.",
                    "Light enough to forget you carry it.", "Built to be repaired, not replaced.",
                    "Fits over a base layer and a fleece."],
    },
    "electronics": {
        "tree": ("Electronics", ["Phones & accessories", "Audio", "Smart home", "Computer accessories",
                                 "Cameras", "Power & charging"]),
        "adjectives": ["Wireless", "Compact", "Pro", "Smart", "Noise-cancelling", "Fast-charging", "Portable",
                       "Ultra-slim", "Rugged", "Dual-band", "Magnetic", "Studio"],
        "nouns": ["earbuds", "headphones", "speaker", "power bank", "charger", "USB-C hub", "keyboard", "mouse",
                  "webcam", "smart plug", "desk lamp", "phone case", "action camera", "tripod", "router",
                  "SSD", "monitor arm", "microphone"],
        "attributes": {"connectivity": ["Bluetooth 5.3", "Wi-Fi 6", "USB-C", "Zigbee", "Lightning"],
                       "warranty": ["1 year", "2 years", "3 years"]},
        "options": ("colour", ["black", "white", "silver", "blue", "graphite"]),
        "prices": (Decimal("29"), Decimal("6999")),
        "phrases": ["Charges fully in under an hour.", "Pairs with phones, tablets and laptops.",
                    "Comes with a braided cable.", "Certified for safe charging.", "Sleeps when you do not use it."],
    },
}
DEMO_THEMES = {"Jade River Tea Co.": "tea", "Northwind Outfitters": "outdoor", "Lotus Electronics": "electronics"}


def ensure_categories(theme: str) -> list[Category]:
    """The theme's top category and its children (created once); returns the children."""
    top_name, children = THEMES[theme]["tree"]
    top, _ = Category.objects.get_or_create(slug=slugify(top_name), defaults={"name": top_name,
                                                                               "position": list(THEMES).index(theme)})
    found = []
    for position, name in enumerate(children):
        child, _ = Category.objects.get_or_create(slug=slugify(name), defaults={"name": name, "parent": top,
                                                                                "position": position})
        found.append(child)
    return found


def _price(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    # Prices cluster at the low end, as in a real shop, and end in .00, .50, .90 or .99.
    raw = low + (high - low) * Decimal(str(round(rng.random() ** 3, 4)))
    return raw.quantize(Decimal(1)) + rng.choice([Decimal("0.00"), Decimal("0.50"), Decimal("0.90"),
                                                  Decimal("0.99")])


def generate(*, merchant: Merchant, theme: str, count: int, sku_prefix: str, seed: int = 0,
             batch: int = 2000, published_share: float = 0.9) -> int:
    """Add `count` products with one to four variants each to `merchant`; returns how many."""
    data = THEMES[theme]
    rng = random.Random(f"{seed}:{merchant.pk}:{sku_prefix}")  # noqa: S311 - sample data, repeatable on purpose
    categories = ensure_categories(theme)
    now = clock.now()
    made = 0
    while made < count:
        size = min(batch, count - made)
        products, variant_rows = [], []
        for n in range(made, made + size):
            noun, adjective = rng.choice(data["nouns"]), rng.choice(data["adjectives"])
            title = f"{adjective} {noun} {rng.choice(['', 'classic', 'plus', 'select', 'edition'])}".strip()
            title = f"{title} {sku_prefix}-{n + 1}" if count > 5000 else f"{title} No. {n + 1}"
            option_name, option_values = data["options"]
            sizes = sorted(rng.sample(option_values, rng.randint(1, min(4, len(option_values)))),
                           key=option_values.index)
            base = _price(rng, *data["prices"])
            prices = [base + Decimal(i * rng.choice([5, 10, 20, 40])) for i in range(len(sizes))]
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            products.append(Product(
                merchant=merchant, category=rng.choice(categories), title=title[:200],
                slug=f"{slugify(title)[:180]}-{sku_prefix.lower()}-{n + 1}",
                description=" ".join(rng.sample(data["phrases"], 3)),
                attributes={key: rng.choice(values) for key, values in data["attributes"].items()},
                status=Product.Status.PUBLISHED if rng.random() < published_share else Product.Status.DRAFT,
                created_at=created, updated_at=created, price_from=min(prices)))
            variant_rows.append([(option_name, value, price) for value, price in zip(sizes, prices, strict=True)])
        with transaction.atomic():
            Product.objects.bulk_create(products)
            Variant.objects.bulk_create([
                Variant(product=product, sku=f"{sku_prefix}-{made + i + 1}-{j + 1}", options={name: value},
                        price=price, weight_grams=rng.randint(50, 3000))
                for i, (product, rows) in enumerate(zip(products, variant_rows, strict=True))
                for j, (name, value, price) in enumerate(rows)])
        made += size
    version.bump()
    return made


def seed_demo_catalog(per_merchant: int = 670) -> int:
    """The demo shop's catalog (about 2,000 products); merchants that have products are left alone."""
    made = 0
    for name, theme in DEMO_THEMES.items():
        merchant = Merchant.objects.filter(name=name).first()
        if merchant is None or Product.objects.filter(merchant=merchant).exists():
            continue
        made += generate(merchant=merchant, theme=theme, count=per_merchant, sku_prefix=f"D{merchant.pk}",
                         seed=2026)
    return made
