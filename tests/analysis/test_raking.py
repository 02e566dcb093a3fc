"""Raking, checked against samplics' SampleWeight.rake and against its own definition."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.analysis.raking import (
    RakingConvergenceError,
    kish_design_effect,
    rake,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    from samplics.weighting import SampleWeight

MARGINS = {
    "age": {"18-34": 3000.0, "35-54": 3500.0, "55+": 3500.0},
    "sex": {"f": 5100.0, "m": 4900.0},
    "area": {"north": 2000.0, "south": 3000.0, "east": 2500.0, "west": 2500.0},
}


def respondents(seed: int = 0, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            # Skewed towards the old, as telephone samples are.
            "age": rng.choice(["18-34", "35-54", "55+"], n, p=[0.2, 0.3, 0.5]),
            "sex": rng.choice(["f", "m"], n, p=[0.6, 0.4]),
            "area": rng.choice(["north", "south", "east", "west"], n),
            "base": rng.uniform(1.0, 5.0, n),
        },
        index=pd.RangeIndex(100, 100 + n),
    )


def weighted_margin(frame: pd.DataFrame, weights: pd.Series, variable: str) -> pd.Series:
    return weights.groupby(frame[variable]).sum()


def test_raked_weights_agree_with_samplics() -> None:
    frame = respondents()
    result = rake(frame, MARGINS, base_weight="base", tol=1e-12)
    reference = SampleWeight().rake(
        samp_weight=frame["base"].to_numpy(),
        margins={variable: frame[variable].to_numpy() for variable in MARGINS},
        control=MARGINS,
        tol=1e-13,
        ctrl_tol=1e-13,
        max_iter=1000,
    )
    np.testing.assert_allclose(result.weights.to_numpy(), reference, rtol=1e-6)
    assert result.report.converged


def test_raked_weights_reproduce_every_margin_and_keep_the_frame_index() -> None:
    frame = respondents(seed=1)
    result = rake(frame, MARGINS, base_weight="base")
    assert result.weights.index.equals(frame.index)
    for variable, targets in MARGINS.items():
        achieved = weighted_margin(frame, result.weights, variable)
        for category, target in targets.items():
            assert achieved[category] == pytest.approx(target, rel=1e-8)
    assert result.report.max_margin_error <= 1e-8


def test_one_margin_is_plain_post_stratification() -> None:
    frame = respondents(seed=2)
    result = rake(frame, {"sex": MARGINS["sex"]}, base_weight="base")
    share = frame["base"].groupby(frame["sex"]).transform("sum")
    expected = frame["base"] * frame["sex"].map(MARGINS["sex"]) / share
    np.testing.assert_allclose(result.weights, expected, rtol=1e-12)
    assert result.report.iterations == 1


def test_shares_are_scaled_to_the_base_weight_total_or_to_the_count() -> None:
    frame = respondents(seed=3)
    shares = {"sex": {"f": 0.51, "m": 0.49}, "age": {"18-34": 0.3, "35-54": 0.35, "55+": 0.35}}
    by_weight = rake(frame, shares, base_weight="base")
    assert by_weight.weights.sum() == pytest.approx(frame["base"].sum(), rel=1e-9)
    by_count = rake(frame, shares, base_weight="base", share_total="count")
    assert by_count.weights.sum() == pytest.approx(len(frame), rel=1e-9)
    assert weighted_margin(frame, by_count.weights, "sex")["f"] == pytest.approx(0.51 * 600)


def test_shares_beside_counts_are_scaled_to_the_counts_total() -> None:
    frame = respondents(seed=4)
    mixed = {"sex": MARGINS["sex"], "age": {"18-34": 0.3, "35-54": 0.35, "55+": 0.35}}
    result = rake(frame, mixed, base_weight="base")
    assert weighted_margin(frame, result.weights, "age")["55+"] == pytest.approx(3500.0)


def test_count_margins_with_different_totals_are_an_error() -> None:
    margins = {"sex": MARGINS["sex"], "age": {"18-34": 3000.0, "35-54": 3500.0, "55+": 3600.0}}
    with pytest.raises(ValueError, match="same total"):
        rake(respondents(), margins)


def test_a_margin_category_with_no_respondent_is_an_error() -> None:
    margins = {"sex": {"f": 5000.0, "m": 4900.0, "x": 100.0}}
    with pytest.raises(ValueError, match=r"no respondent: \['x'\]"):
        rake(respondents(), margins)


def test_a_respondent_category_absent_from_the_margins_is_an_error() -> None:
    frame = respondents()
    frame.loc[105, "area"] = "island"
    frame.loc[107, "area"] = None
    with pytest.raises(ValueError, match=r"absent from the margins: \['<missing>', 'island'\]"):
        rake(frame, MARGINS)


@pytest.mark.parametrize(
    ("margins", "message"),
    [
        ({}, "at least one"),
        ({"height": {"tall": 1.0}}, "not a column"),
        ({"sex": {"f": 5100.0, "m": 0.0}}, "finite and > 0"),
        ({"sex": {"f": 5100.0, "m": np.nan}}, "finite and > 0"),
    ],
)
def test_malformed_margins_are_errors(margins: dict[str, dict[str, float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rake(respondents(), margins)


@pytest.mark.parametrize("bad", [0.0, -2.0, np.nan, np.inf])
def test_base_weights_must_be_finite_and_positive(bad: float) -> None:
    frame = respondents()
    frame.loc[110, "base"] = bad
    with pytest.raises(ValueError, match=r"finite and > 0.*rows \[110\]"):
        rake(frame, MARGINS, base_weight="base")


def test_non_convergence_raises_when_strict() -> None:
    with pytest.raises(RakingConvergenceError) as raised:
        rake(respondents(), MARGINS, base_weight="base", max_iter=1, tol=1e-12)
    assert not raised.value.report.converged
    assert raised.value.report.iterations == 1


def test_non_convergence_is_flagged_and_warned_when_not_strict() -> None:
    with pytest.warns(RuntimeWarning, match="did not converge"):
        result = rake(respondents(), MARGINS, base_weight="base", max_iter=1, strict=False)
    assert not result.report.converged
    assert result.report.max_margin_error > 1e-8


def test_feasible_bounds_on_the_adjustment_factor_are_met_with_the_margins() -> None:
    frame = respondents(seed=5)
    free = rake(frame, MARGINS, base_weight="base")
    lower, upper = 0.85 * free.report.factor_min, 0.97 * free.report.factor_max
    bounded = rake(frame, MARGINS, base_weight="base", bounds=(None, upper))
    assert bounded.report.converged
    assert bounded.report.factor_max <= upper * (1 + 1e-12)
    assert free.report.factor_max > upper
    assert lower < bounded.report.factor_min


def test_infeasible_bounds_end_in_a_flagged_report() -> None:
    # The sample is 60 % women but the target 51 %: a factor spread of 1 ± 1 % cannot do it.
    frame = respondents(seed=6).assign(base=1.0)
    margins = {"sex": {"f": 306.0, "m": 294.0}, "age": MARGINS["age"]}
    margins["age"] = {k: v * 600 / 10000 for k, v in MARGINS["age"].items()}
    with pytest.warns(RuntimeWarning):
        result = rake(frame, margins, bounds=(0.99, 1.01), max_iter=50, strict=False)
    assert not result.report.converged
    assert result.report.factor_min >= 0.99 - 1e-12
    assert result.report.factor_max <= 1.01 + 1e-12


@pytest.mark.parametrize("bounds", [(1.2, None), (None, 0.9), (-0.5, 2.0)])
def test_bounds_must_bracket_one(bounds: tuple[float | None, float | None]) -> None:
    with pytest.raises(ValueError, match="bound"):
        rake(respondents(), MARGINS, bounds=bounds)


def test_the_report_gives_kishs_design_effect_of_the_raked_weights() -> None:
    frame = respondents(seed=7)
    result = rake(frame, MARGINS, base_weight="base")
    w = result.weights.to_numpy()
    assert result.report.design_effect == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2)
    assert kish_design_effect(np.ones(10)) == 1.0
    # Half the weights at 1 and half at 3: n Σw² / (Σw)² = 4 × 20 / 8² = 1.25.
    assert kish_design_effect(np.array([1.0, 1.0, 3.0, 3.0])) == pytest.approx(1.25)


def test_the_report_is_frozen() -> None:
    report = rake(respondents(), MARGINS).report
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.converged = False  # type: ignore[misc]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    share_f=st.floats(0.3, 0.7),
    share_young=st.floats(0.1, 0.5),
)
def test_raking_always_meets_reachable_margins(
    seed: int, share_f: float, share_young: float
) -> None:
    frame = respondents(seed=seed, n=300)
    margins = {
        "sex": {"f": share_f, "m": 1 - share_f},
        "age": {"18-34": share_young, "35-54": (1 - share_young) / 2, "55+": (1 - share_young) / 2},
    }
    result = rake(frame, margins, base_weight="base")
    total = frame["base"].sum()
    achieved = weighted_margin(frame, result.weights, "sex")["f"]
    assert achieved == pytest.approx(share_f * total, rel=1e-7)
    assert (result.weights > 0).all()
