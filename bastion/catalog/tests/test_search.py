"""Search: ranking, filters, facets with exact counts, sorting and pagination (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bastion.accounts.actor import actor_for_user
from bastion.catalog import actions
from bastion.catalog.search import SearchQuery, search, terms_of
from bastion.catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world):
    tea = CategoryFactory(name="Tea", slug="tea")
    green = CategoryFactory(name="Green tea", slug="green-tea", parent=tea)
    bikes = CategoryFactory(name="Bikes", slug="bikes")
    a, b = world.merchant_a, world.merchant_b
    made = {
        "longjing": ProductFactory(merchant=a, category=green, title="Longjing green tea",
                                   description="Spring harvest from Hangzhou", price="88.00"),
        "biluochun": ProductFactory(merchant=a, category=green, title="Biluochun",
                                    description="A green tea with a fruity scent", price="120.00"),
        "puer": ProductFactory(merchant=a, category=tea, title="Pu'er cake", description="Aged dark tea",
                               attributes={"origin": "Yunnan"}, price="450.00"),
        "bike": ProductFactory(merchant=b, category=bikes, title="City bike", description="Green frame",
                               attributes={"colour": "green"}, price="1999.00"),
        "draft": ProductFactory(merchant=a, category=green, title="Draft green tea", status="draft", price="10"),
        "no_price": ProductFactory(merchant=a, category=green, title="Green tea sampler"),
    }
    return made


def _titles(result):
    return [p.title for p in result.products]


def test_title_matches_rank_above_description_and_attribute_matches(shop):
    result = search(SearchQuery(q="green"))
    assert result.total == 3 + 0  # draft and unpriced products are not in the shop
    assert _titles(result)[0] == "Longjing green tea"
    assert set(_titles(result)) == {"Longjing green tea", "Biluochun", "City bike"}


def test_words_are_prefix_matched_and_all_must_match(shop):
    assert _titles(search(SearchQuery(q="long"))) == ["Longjing green tea"]
    assert _titles(search(SearchQuery(q="green frame"))) == ["City bike"]
    assert _titles(search(SearchQuery(q="yunnan"))) == ["Pu'er cake"]
    assert search(SearchQuery(q="nothing-like-this")).total == 0


def test_search_syntax_in_the_query_is_inert():
    assert terms_of('green" OR * NEAR(') == ["green", "or", "near"]


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "*", "tea:*", "a & | ! b", "(", "\\x00", "_", "a_b __", "ß 茶 ①"])
def test_odd_queries_do_not_fail(shop, q):
    search(SearchQuery(q=q))


def test_category_filter_includes_descendants(shop):
    tea = shop["puer"].category
    result = search(SearchQuery(category=tea, sort="price_asc"))
    assert _titles(result) == ["Longjing green tea", "Biluochun", "Pu'er cake"]


def test_merchant_and_price_filters(shop, world):
    result = search(SearchQuery(merchant_id=world.merchant_a.pk, min_price=Decimal("100"), max_price=Decimal("450")))
    assert set(_titles(result)) == {"Biluochun", "Pu'er cake"}


def test_facets_count_the_current_result_exactly(shop, world):
    result = search(SearchQuery(q="tea"))
    assert [(f.label, f.count) for f in result.categories] == [("Green tea", 2), ("Tea", 1)]
    assert [(f.value, f.count) for f in result.merchants] == [(world.merchant_a.pk, 3)]
    assert [(f.label, f.count) for f in result.price_bands] == [("50-100", 1), ("100-200", 1), ("200-500", 1)]
    everything = search(SearchQuery())
    assert [(f.label, f.count) for f in everything.price_bands] == [
        ("50-100", 1), ("100-200", 1), ("200-500", 1), ("≥ 1000", 1)]


def test_sorts(shop):
    assert _titles(search(SearchQuery(sort="price_desc")))[:2] == ["City bike", "Pu'er cake"]
    assert _titles(search(SearchQuery(sort="newest")))[0] == "City bike"


def test_pagination(shop):
    first = search(SearchQuery(sort="price_asc", page_size=3))
    second = search(SearchQuery(sort="price_asc", page_size=3, page=2))
    assert (first.total, first.pages, second.page) == (4, 2, 2)
    assert _titles(first) + _titles(second) == ["Longjing green tea", "Biluochun", "Pu'er cake", "City bike"]
    assert search(SearchQuery(page=99, page_size=3)).products == []


def test_the_index_follows_edits_and_deletions(shop, world):
    actor = actor_for_user(world.owner_a, mfa_verified=True)
    actions.update_product(actor=actor, product=shop["biluochun"], title="Biluochun spring pick",
                           attributes={"region": "Suzhou"})
    assert _titles(search(SearchQuery(q="suzhou"))) == ["Biluochun spring pick"]
    actions.delete_product(actor=actor, product=shop["longjing"])
    assert "Longjing green tea" not in _titles(search(SearchQuery(q="green")))
