"""Social value and SROI: worked by hand, the break-even checked by recomputing, and
properties of the arithmetic for any outcome (hypothesis)."""

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.social_value import (
    SHARES,
    Outcome,
    Share,
    break_even,
    present_value,
    sensitivity,
    sroi,
    uprate,
    yearly_values,
)

INDEX = {2019: 90.0, 2024: 100.0, 2025: 102.0}  # an illustrative price index
LESS_LONELY = Outcome(
    name="less lonely",
    quantity=20,
    proxy=900.0,
    price_year=2019,
    deadweight=0.25,
    attribution=0.2,
    displacement=0.0,
    drop_off=0.5,
    duration=3,
)
WELLBY = Outcome(name="life satisfaction", quantity=4.0, proxy=13000.0, price_year=2024)


def test_a_proxy_is_uprated_to_the_base_year() -> None:
    assert uprate(900.0, 2019, 2024, INDEX) == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="no value for 2010"):
        uprate(1.0, 2010, 2024, INDEX)


def test_the_four_adjustments_and_drop_off_by_hand() -> None:
    # 20 people x £1,000 (2024 prices) x 0.75 x 0.8 = £12,000 in year 1, then halving.
    assert yearly_values(LESS_LONELY, base_year=2024, index=INDEX) == pytest.approx(
        [12000.0, 6000.0, 3000.0]
    )
    expected = 12000 / 1.035 + 6000 / 1.035**2 + 3000 / 1.035**3
    assert present_value(LESS_LONELY, base_year=2024, index=INDEX) == pytest.approx(expected)


def test_the_ratio_divides_the_total_by_the_investment() -> None:
    result = sroi([LESS_LONELY, WELLBY], 40000.0, base_year=2024, index=INDEX)
    wellby = 4 * 13000 / 1.035
    assert result.present_values["life satisfaction"] == pytest.approx(wellby)
    assert result.ratio == pytest.approx(result.total / 40000.0)


def test_sensitivity_moves_every_assumption_and_ranks_by_swing() -> None:
    rows = sensitivity([LESS_LONELY, WELLBY], 40000.0, base_year=2024, index=INDEX)
    moved = {(row.outcome, row.assumption) for row in rows}
    for assumption in (
        "deadweight",
        "attribution",
        "displacement",
        "drop_off",
        "proxy",
        "duration",
    ):
        assert ("less lonely", assumption) in moved
    assert ("", "discount rate") in moved
    assert [row.swing for row in rows] == sorted((row.swing for row in rows), reverse=True)
    lonely_deadweight = next(
        r for r in rows if (r.outcome, r.assumption) == ("less lonely", "deadweight")
    )
    assert (lonely_deadweight.low, lonely_deadweight.high) == pytest.approx((0.15, 0.35))
    assert lonely_deadweight.ratio_low > lonely_deadweight.ratio_high


@pytest.mark.parametrize("assumption", ["deadweight", "attribution", "displacement", "drop_off"])
def test_at_the_break_even_value_the_ratio_is_one(assumption: str) -> None:
    outcomes = [LESS_LONELY]
    investment = 15000.0
    value = break_even(
        outcomes,
        investment,
        outcome="less lonely",
        assumption=assumption,  # type: ignore[arg-type]
        base_year=2024,
        index=INDEX,
    )
    assert value is not None
    assert 0.0 <= value <= 1.0
    changed = Outcome(**{**LESS_LONELY.__dict__, assumption: value})
    assert sroi([changed], investment, base_year=2024, index=INDEX).ratio == pytest.approx(
        1.0, abs=1e-9
    )


def test_no_break_even_when_the_ratio_stays_above_one() -> None:
    assert (
        break_even(
            [WELLBY, LESS_LONELY],
            1000.0,
            outcome="less lonely",
            assumption="deadweight",
            base_year=2024,
            index=INDEX,
        )
        is None
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadweight": 1.5}, "between 0 and 1"),
        ({"duration": 0}, "at least one year"),
        ({"proxy": -1.0}, "cannot be negative"),
    ],
)
def test_impossible_assumptions_are_refused(change: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        present_value(Outcome(**{**WELLBY.__dict__, **change}), base_year=2024, index=INDEX)
    with pytest.raises(ValueError, match="more than 0"):
        sroi([WELLBY], 0.0, base_year=2024, index=INDEX)


# ---------------------------------------------------------------------------------------
# Properties, for any outcome

shares = st.floats(min_value=0.0, max_value=1.0)
outcomes = st.builds(
    Outcome,
    name=st.just("an outcome"),
    quantity=st.floats(min_value=0.0, max_value=1e5),
    proxy=st.floats(min_value=0.0, max_value=1e5),
    price_year=st.sampled_from(sorted(INDEX)),
    deadweight=shares,
    attribution=shares,
    displacement=shares,
    drop_off=shares,
    duration=st.integers(min_value=1, max_value=10),
)
rates = st.floats(min_value=0.0, max_value=0.2)


def value_of(outcome: Outcome, rate: float) -> float:
    return present_value(outcome, base_year=2024, index=INDEX, rate=rate)


@given(outcomes, st.sampled_from(SHARES), shares, rates)
def test_raising_a_share_never_raises_the_present_value(
    outcome: Outcome, share: Share, higher: float, rate: float
) -> None:
    change: dict[str, Any] = {share: max(higher, getattr(outcome, share))}
    raised = replace(outcome, **change)
    assert value_of(raised, rate) <= value_of(outcome, rate) * (1 + 1e-12)


@given(outcomes, rates)
def test_no_outcome_gives_no_value(outcome: Outcome, rate: float) -> None:
    nothing = replace(outcome, quantity=0.0)
    assert value_of(nothing, rate) == 0.0
    assert sroi([nothing], 1000.0, base_year=2024, index=INDEX, rate=rate).total == 0.0


@given(
    st.lists(outcomes, min_size=1, max_size=3),
    st.floats(min_value=1.0, max_value=1e7),
    st.floats(min_value=0.01, max_value=100.0),
)
def test_the_ratio_scales_inversely_with_the_investment(
    listed: list[Outcome], investment: float, factor: float
) -> None:
    named = [replace(o, name=f"outcome {n}") for n, o in enumerate(listed)]
    once = sroi(named, investment, base_year=2024, index=INDEX)
    scaled = sroi(named, investment * factor, base_year=2024, index=INDEX)
    assert scaled.total == once.total
    assert scaled.ratio == pytest.approx(once.ratio / factor, rel=1e-9)


def test_the_proxy_at_its_break_even_makes_the_ratio_one() -> None:
    investment = 15000.0
    value = break_even(
        [LESS_LONELY], investment, outcome="less lonely", assumption="proxy",
        base_year=2024, index=INDEX,
    )  # fmt: skip
    assert value is not None
    changed = Outcome(**{**LESS_LONELY.__dict__, "proxy": value})
    assert sroi([changed], investment, base_year=2024, index=INDEX).ratio == pytest.approx(1.0)


def test_the_discount_rate_at_its_break_even_makes_the_ratio_one() -> None:
    outcomes = [Outcome(**{**LESS_LONELY.__dict__, "duration": 5, "drop_off": 0.0})]
    investment = sroi(outcomes, 1.0, base_year=2024, index=INDEX, rate=0.10).total
    value = break_even(
        outcomes, investment, outcome="", assumption="discount rate", base_year=2024, index=INDEX
    )
    assert value == pytest.approx(0.10, abs=1e-9)


def test_the_duration_break_even_is_the_fewest_whole_years_that_pay_back() -> None:
    outcomes = [Outcome(**{**LESS_LONELY.__dict__, "duration": 1, "drop_off": 0.0})]
    one_year = sroi(outcomes, 1.0, base_year=2024, index=INDEX).total
    investment = one_year * 2.5  # a bit under three years' value, discounted
    years = break_even(
        outcomes, investment, outcome="less lonely", assumption="duration",
        base_year=2024, index=INDEX,
    )  # fmt: skip
    assert years == 3.0

    def ratio(duration: int) -> float:
        changed = [Outcome(**{**outcomes[0].__dict__, "duration": duration})]
        return sroi(changed, investment, base_year=2024, index=INDEX).ratio

    assert ratio(2) < 1.0 <= ratio(3)
    # Paid back within one year already: no duration brings the ratio down to 1.
    quickly = break_even(
        outcomes, one_year / 2, outcome="less lonely", assumption="duration",
        base_year=2024, index=INDEX,
    )  # fmt: skip
    assert quickly is None


def test_an_unknown_assumption_is_refused() -> None:
    with pytest.raises(ValueError, match="no assumption"):
        break_even(
            [LESS_LONELY], 1000.0, outcome="less lonely", assumption="optimism",
            base_year=2024, index=INDEX,
        )  # fmt: skip
