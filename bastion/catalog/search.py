"""Product search: full text over title, description and attribute values, filters, facets, sorting.

The text index lives in the database (migration 0003): on SQLite an FTS5 table kept in step by
triggers, so bulk writes are indexed too; on PostgreSQL a generated tsvector column with a GIN
index. The search itself is one hand-written SQL statement per question (ids of a page, total,
each facet), built from the same WHERE clause, so the filters and the facet counts always agree.
Price filters and sorting use Product.price_from (the lowest active variant price), kept by the
catalog actions, so no variant aggregation happens at search time.

Facet counts are taken over the current result (every filter applied). "In stock" is left out
until the inventory app exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from bastion.catalog import queries
from bastion.catalog.models import Category, Product
from bastion.merchants.models import Merchant

PAGE_SIZE = 24
MAX_PAGE = 400
SORTS = ("relevance", "price_asc", "price_desc", "newest")
# Price bands shown as a facet: [low, high) in the shop's currency; None is open-ended.
PRICE_BANDS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal(50)), (Decimal(50), Decimal(100)), (Decimal(100), Decimal(200)),
    (Decimal(200), Decimal(500)), (Decimal(500), Decimal(1000)), (Decimal(1000), None),
)
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    category: Category | None = None
    merchant_id: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass
class Facet:
    value: object
    label: str
    count: int


@dataclass
class SearchResult:
    products: list[Product]
    total: int
    page: int
    page_size: int
    categories: list[Facet] = field(default_factory=list)
    merchants: list[Facet] = field(default_factory=list)
    price_bands: list[Facet] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def terms_of(q: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(q or "")][:MAX_TERMS]


def _fts5_query(terms: list[str]) -> str:
    # Each word quoted (so FTS syntax in the input is inert) and prefix-matched; all must match.
    return " ".join(f'"{t}"*' for t in terms)


def _pg_query(terms: list[str]) -> str:
    return " & ".join(f"{t}:*" for t in terms)


class _Sql:
    """The FROM/WHERE part shared by the page, the count and the facets."""

    def __init__(self, query: SearchQuery) -> None:
        self.params: list[object] = []
        self.rank = None
        terms = terms_of(query.q)
        # The status is written out, not bound: only then can the planner use the partial index
        # catalog_product_shop, whose condition it has to see in the query.
        where = [f"p.status = '{Product.Status.PUBLISHED.value}'", "p.deleted_at IS NULL", "p.price_from IS NOT NULL"]
        source = "catalog_product p"
        if terms and connection.vendor == "sqlite":
            source = ("(SELECT rowid AS id, bm25(catalog_product_fts, 10.0, 3.0, 2.0) AS score "
                      "FROM catalog_product_fts WHERE catalog_product_fts MATCH %s) hits "
                      "CROSS JOIN catalog_product p ON p.id = hits.id")  # FTS drives the join
            self.params.insert(0, _fts5_query(terms))
            self.rank = "hits.score ASC"  # bm25: lower is better
        elif terms:
            where.append("p.search_vector @@ to_tsquery('simple', %s)")
            self.params.append(_pg_query(terms))
            self.rank_sql = "ts_rank_cd(p.search_vector, to_tsquery('simple', %s)) DESC"
            self.rank_param = _pg_query(terms)
            self.rank = "pg"
        if query.category is not None:
            ids = queries.descendant_ids(query.category)
            where.append(f"p.category_id IN ({', '.join(['%s'] * len(ids))})")
            self.params.extend(ids)
        if query.merchant_id is not None:
            where.append("p.merchant_id = %s")
            self.params.append(query.merchant_id)
        if query.min_price is not None:
            where.append("p.price_from >= %s")
            self.params.append(query.min_price)
        if query.max_price is not None:
            where.append("p.price_from <= %s")
            self.params.append(query.max_price)
        self.body = f"FROM {source} WHERE {' AND '.join(where)}"
        # Counting and facets read only columns of the partial index; SQLite's planner prefers
        # a status index plus table lookups (ten times slower on 100,000 products), so say so.
        self.count_body = self.body
        if source == "catalog_product p" and connection.vendor == "sqlite":
            self.count_body = self.body.replace(source, f"{source} INDEXED BY catalog_product_shop", 1)

    def order(self, sort: str) -> tuple[str, list[object]]:
        if sort == "price_asc":
            return "p.price_from ASC, p.id ASC", []
        if sort == "price_desc":
            return "p.price_from DESC, p.id DESC", []
        if sort == "relevance" and self.rank == "pg":
            return f"{self.rank_sql}, p.id DESC", [self.rank_param]
        if sort == "relevance" and self.rank:
            return f"{self.rank}, p.id DESC", []
        return "p.created_at DESC, p.id DESC", []


def _fetch(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _band_label(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return f"< {high}"
    return f"≥ {low}" if high is None else f"{low}-{high}"


def _band_case() -> tuple[str, list[object]]:
    parts, params = [], []
    for index, (low, high) in enumerate(PRICE_BANDS):
        conditions = []
        if low is not None:
            conditions.append("p.price_from >= %s")
            params.append(low)
        if high is not None:
            conditions.append("p.price_from < %s")
            params.append(high)
        parts.append(f"WHEN {' AND '.join(conditions)} THEN {index}")
    return f"CASE {' '.join(parts)} END", params


def _facets(sql: _Sql, result: SearchResult) -> None:
    rows = _fetch(f"SELECT p.category_id, COUNT(*) {sql.count_body} GROUP BY p.category_id", sql.params)
    names = dict(Category.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "name"))
    result.categories = sorted((Facet(pk, names.get(pk, ""), n) for pk, n in rows), key=lambda f: (-f.count, f.label))
    rows = _fetch(f"SELECT p.merchant_id, COUNT(*) {sql.count_body} GROUP BY p.merchant_id", sql.params)
    names = dict(Merchant.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "name"))
    result.merchants = sorted((Facet(pk, names.get(pk, ""), n) for pk, n in rows), key=lambda f: (-f.count, f.label))
    case, case_params = _band_case()
    rows = dict(_fetch(f"SELECT {case} AS band, COUNT(*) {sql.count_body} GROUP BY band", case_params + sql.params))
    result.price_bands = [Facet(PRICE_BANDS[i], _band_label(*PRICE_BANDS[i]), rows[i])
                          for i in range(len(PRICE_BANDS)) if rows.get(i)]


def search(query: SearchQuery, *, facets: bool = True) -> SearchResult:
    sql = _Sql(query)
    page = max(1, min(query.page, MAX_PAGE))
    order, order_params = sql.order(query.sort if query.sort in SORTS else "relevance")
    offset = (page - 1) * query.page_size
    ids = [row[0] for row in _fetch(f"SELECT p.id {sql.body} ORDER BY {order} LIMIT %s OFFSET %s",
                                    sql.params + order_params + [query.page_size, offset])]
    total = _fetch(f"SELECT COUNT(*) {sql.count_body}", sql.params)[0][0]
    by_id = queries.shop_products().in_bulk(ids)
    result = SearchResult(products=[by_id[i] for i in ids if i in by_id], total=total, page=page,
                          page_size=query.page_size)
    if facets:
        _facets(sql, result)
    return result
