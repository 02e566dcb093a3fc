"""The cost of engagement: worked figures, bad input by field, and properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.costs import (
    HOUSEHOLD_BENCHMARK,
    CostError,
    EngagementInputs,
    HourRates,
    engagement_cost,
    per_head,
    uprated,
)

RATES = HourRates("GBP", staff=Decimal("18.50"), volunteer=Decimal("12.21"))

amounts = st.decimals(min_value=0, max_value=10**6, places=2)
hours = st.decimals(min_value=0, max_value=10**4, places=2)


def inputs(money: Decimal = Decimal("0"), staff: Decimal = Decimal("0"),
           volunteer: Decimal = Decimal("0")) -> EngagementInputs:  # fmt: skip
    return EngagementInputs({"GBP": money}, staff_hours=staff, volunteer_hours=volunteer)


def test_money_plus_hours_at_their_rates() -> None:
    cost = engagement_cost(inputs(Decimal("1200"), Decimal("40"), Decimal("100.5")), RATES)
    assert cost.staff_value == Decimal("740.00")  # 40 x 18.50
    assert cost.volunteer_value == Decimal("1227.11")  # 100.5 x 12.21 = 1227.105
    assert cost.total == Decimal("3167.11")


def test_per_head_rounds_to_the_penny_and_has_nothing_to_share_without_people() -> None:
    assert per_head(Decimal("100"), 3) == Decimal("33.33")
    assert per_head(Decimal("100"), 0) is None
    assert per_head(Decimal("100"), None) is None


def test_the_benchmark_uprated_by_the_index() -> None:
    benchmark = uprated(HOUSEHOLD_BENCHMARK, 2024, {2005: Decimal("80"), 2024: Decimal("120")})
    assert (benchmark.low, benchmark.high, benchmark.price_year) == (
        Decimal("67.50"),
        Decimal("90.00"),
        2024,
    )


def test_a_missing_index_year_is_named() -> None:
    with pytest.raises(ValueError, match="no value for 2005"):
        uprated(HOUSEHOLD_BENCHMARK, 2024, {2024: Decimal("120")})


@pytest.mark.parametrize(
    ("rates", "given_inputs", "field"),
    [
        (HourRates("GBP", Decimal("-1"), Decimal("1")), inputs(), "staff_rate"),
        (HourRates("GBP", Decimal("1"), Decimal("-1")), inputs(), "volunteer_rate"),
        (RATES, inputs(money=Decimal("-5")), "cost"),
        (RATES, inputs(staff=Decimal("-1")), "staff_hours"),
        (HourRates("pounds", Decimal("1"), Decimal("1")), inputs(), "currency"),
    ],
)
def test_bad_input_names_its_field(
    rates: HourRates, given_inputs: EngagementInputs, field: str
) -> None:
    with pytest.raises(CostError) as error:
        engagement_cost(given_inputs, rates)
    assert error.value.field == field


def test_money_in_another_currency_is_never_added() -> None:
    mixed = EngagementInputs({"GBP": Decimal("10"), "EUR": Decimal("5")}, Decimal(0), Decimal(0))
    with pytest.raises(CostError, match="costed in EUR, not GBP") as error:
        engagement_cost(mixed, RATES)
    assert error.value.field == "cost_currency"


@given(money=amounts, staff=hours, volunteer=hours, rise=amounts)
def test_raising_a_rate_never_lowers_the_cost(
    money: Decimal, staff: Decimal, volunteer: Decimal, rise: Decimal
) -> None:
    used = inputs(money, staff, volunteer)
    before = engagement_cost(used, RATES).total
    for higher in (
        HourRates("GBP", RATES.staff + rise, RATES.volunteer),
        HourRates("GBP", RATES.staff, RATES.volunteer + rise),
    ):
        assert engagement_cost(used, higher).total >= before


@given(staff_rate=amounts, volunteer_rate=amounts)
def test_no_activity_costs_nothing(staff_rate: Decimal, volunteer_rate: Decimal) -> None:
    cost = engagement_cost(inputs(), HourRates("GBP", staff_rate, volunteer_rate))
    assert cost.total == 0


@given(money=amounts, staff=hours, volunteer=hours, more=hours)
def test_more_hours_never_lower_the_cost(
    money: Decimal, staff: Decimal, volunteer: Decimal, more: Decimal
) -> None:
    before = engagement_cost(inputs(money, staff, volunteer), RATES).total
    assert engagement_cost(inputs(money, staff + more, volunteer), RATES).total >= before
    assert engagement_cost(inputs(money, staff, volunteer + more), RATES).total >= before


@given(total=amounts, households=st.integers(min_value=1, max_value=10**6))
def test_cost_per_household_times_households_is_the_total_to_half_a_penny_each(
    total: Decimal, households: int
) -> None:
    share = per_head(total, households)
    assert share is not None
    assert abs(share * households - total) <= Decimal("0.005") * households
