"""The pure shipping and tax rules, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.core.errors import Problem
from bastion.core.money import Money
from bastion.shipping.rates import Method, Tax, Zone, included_tax, method_price, quote, tax_percent

CHINA = Zone(id=1, name="Mainland China", countries=("CN",))
EAST = Zone(id=2, name="East China", countries=("CN",), regions=("Zhejiang", "Shanghai"))
STANDARD = Method(id=10, zone_id=1, name="Standard", carrier_code="YTO", days_min=3, days_max=5,
                  price=Money("10.00"), free_above=Money("99.00"),
                  bands=((1000, Money("8.00")), (5000, Money("15.00"))))
EXPRESS = Method(id=11, zone_id=1, name="Express", carrier_code="SF", days_min=1, days_max=2, price=Money("22.00"))
EAST_NEXT_DAY = Method(id=12, zone_id=2, name="Next day", carrier_code="SF", days_min=1, days_max=1,
                       price=Money("12.00"))


def test_bands_pick_the_smallest_band_that_holds_the_weight():
    value = Money("50.00")
    assert method_price(STANDARD, weight_grams=1000, value=value) == Money("8.00")
    assert method_price(STANDARD, weight_grams=1001, value=value) == Money("15.00")
    assert method_price(STANDARD, weight_grams=5001, value=value) is None


def test_free_above_the_threshold_whatever_the_weight():
    assert method_price(STANDARD, weight_grams=9000, value=Money("99.00")) == Money("0.00")
    assert method_price(STANDARD, weight_grams=9000, value=Money("98.99")) is None


def test_quote_lists_cheapest_first():
    options = quote(zones=[CHINA, EAST], methods=[STANDARD, EXPRESS, EAST_NEXT_DAY], weight_grams=800,
                    value=Money("30.00"), country="cn", region="Sichuan")
    assert [(o.name, o.price, o.free) for o in options] == [("Standard", Money("8.00"), False),
                                                            ("Express", Money("22.00"), False)]


def test_a_zone_naming_the_region_wins_over_the_whole_country():
    options = quote(zones=[CHINA, EAST], methods=[STANDARD, EXPRESS, EAST_NEXT_DAY], weight_grams=800,
                    value=Money("30.00"), country="CN", region=" zhejiang ")
    assert [o.method_id for o in options] == [12]


@pytest.mark.parametrize(("country", "region", "weight"), [("US", "", 100), ("CN", "Tibet", 6000)])
def test_no_zone_or_no_method_is_region_unsupported(country, region, weight):
    with pytest.raises(Problem) as refused:
        quote(zones=[CHINA], methods=[STANDARD], weight_grams=weight, value=Money("10.00"), country=country,
              region=region)
    assert (refused.value.code, refused.value.status) == ("region_unsupported", 422)


def test_tax_percent_prefers_the_region_then_the_country():
    taxes = [Tax("CN", "", Decimal("13")), Tax("CN", "Hainan", Decimal("9")), Tax("HK", "", Decimal("0"))]
    assert tax_percent(taxes, country="CN", region="Hainan") == Decimal("9")
    assert tax_percent(taxes, country="cn", region="Zhejiang") == Decimal("13")
    assert tax_percent(taxes, country="US") == Decimal("0")


def test_included_tax_rounds_half_up_once():
    assert included_tax(Money("113.00"), Decimal("13")) == Money("13.00")
    assert included_tax(Money("0.17"), Decimal("13")) == Money("0.02")  # 0.01955… rounds up
    assert included_tax(Money("1000", "JPY"), Decimal("10")) == Money("91", "JPY")  # 90.9 → 91


amounts = st.integers(min_value=0, max_value=10**9).map(lambda minor: Money.from_minor(minor))
percents = st.decimals(min_value=0, max_value=100, places=2)


@given(gross=amounts, percent=percents)
def test_included_tax_is_within_half_a_fen_of_the_exact_share(gross, percent):
    tax = included_tax(gross, percent)
    exact = gross.amount * percent / (100 + percent)
    assert abs(tax.amount - exact) <= Decimal("0.005")
    assert Money.zero() <= tax <= gross


@given(gross=amounts, low=percents, high=percents)
def test_included_tax_grows_with_the_rate(gross, low, high):
    low, high = sorted((low, high))
    assert included_tax(gross, low) <= included_tax(gross, high)


@given(weight=st.integers(min_value=0, max_value=10_000), value=amounts)
def test_quote_never_offers_a_method_that_cannot_take_the_parcel(weight, value):
    try:
        options = quote(zones=[CHINA], methods=[STANDARD, EXPRESS], weight_grams=weight, value=value, country="CN")
    except Problem:
        pytest.fail("Express has no bands, so China is always served")
    prices = [o.price.amount for o in options]
    assert prices == sorted(prices)
    assert all(o.price == method_price(m, weight_grams=weight, value=value)
               for o in options for m in (STANDARD, EXPRESS) if m.id == o.method_id)
    assert (11 in [o.method_id for o in options]) and ((10 in [o.method_id for o in options])
                                                       == (weight <= 5000 or value.amount >= 99))


@pytest.mark.django_db
def test_demo_shipping_serves_mainland_provinces_and_is_idempotent(world):
    from bastion.shipping.demo import seed_demo_shipping
    from bastion.shipping.queries import rules_of

    assert seed_demo_shipping() == 2 and seed_demo_shipping() == 0
    zones, methods, taxes = rules_of([world.merchant_a.pk])[world.merchant_a.pk]
    value = Money("50.00")
    assert [o.name for o in quote(zones=zones, methods=methods, weight_grams=800, value=value, country="CN",
                                  region="Guangdong")] == ["Standard", "Express"]
    remote = quote(zones=zones, methods=methods, weight_grams=800, value=value, country="CN", region="Tibet")
    assert [(o.carrier_code, o.price) for o in remote] == [("EMS", Money("20.00"))]
    assert tax_percent(taxes, country="SG") == Decimal("9.00")
