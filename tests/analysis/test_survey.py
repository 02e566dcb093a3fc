"""Design-based estimation, checked against samplics and against small hand computations."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from coproduce.analysis import survey as survey_module
from coproduce.analysis.survey import (
    SINGLE_RESPONDENT,
    SinglePsuError,
    estimate_mean,
    estimate_proportion,
    survey_design,
)

with warnings.catch_warnings():
    # samplics announces on import that it is archived; it is only our reference here.
    warnings.simplefilter("ignore", FutureWarning)
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam, SinglePSUEst

RELATIVE = 1e-8


def generated_survey(seed: int, n: int = 1500, n_strata: int = 4, psus: int = 6) -> pd.DataFrame:
    """A stratified, clustered sample with unequal weights, domains and a PSU effect."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, n_strata, n)
    psu = rng.integers(0, psus, n)  # PSU labels repeat across strata: nested
    psu_effect = rng.normal(0, 0.7, (n_strata, psus))[stratum, psu]
    return pd.DataFrame(
        {
            "stratum": np.array(["north", "south", "east", "west", "centre"])[stratum],
            "psu": psu,
            "weight": rng.gamma(2.0, 50.0, n) + 1,
            "y": rng.normal(2.0, 1.0, n) + psu_effect,
            "sector": rng.choice(["safety", "environment", "health"], n),
            "sex": rng.choice(["f", "m"], n),
            "answer": rng.choice(["never", "often", "always"], n, p=[0.5, 0.3, 0.2]),
        }
    )


def samplics_estimate(
    df: pd.DataFrame,
    y: str,
    *,
    param: PopParam = PopParam.mean,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    domain: str | None = None,
    single_psu: SinglePSUEst = SinglePSUEst.error,
) -> TaylorEstimator:
    estimator = TaylorEstimator(param)
    estimator.estimate(
        y=df[y].to_numpy(),
        samp_weight=None if weight is None else df[weight].to_numpy(),
        stratum=None if strata is None else df[strata].to_numpy(),
        psu=None if psu is None else df[psu].to_numpy(),
        domain=None if domain is None else df[domain].to_numpy(),
        single_psu=single_psu,
    )
    return estimator


def by_domain(values: Any, domains: list[Any] | None) -> np.ndarray:
    """samplics returns a scalar, or a dict keyed by domain."""
    if domains is None:
        return np.array([values])
    return np.array([values[d] for d in domains])


DESIGNS = {
    "unweighted": {},
    "weighted": {"weight": "weight"},
    "stratified": {"weight": "weight", "strata": "stratum"},
    "clustered": {"weight": "weight", "psu": "psu"},
    "stratified and clustered": {"weight": "weight", "strata": "stratum", "psu": "psu"},
    "stratified and clustered, unweighted": {"strata": "stratum", "psu": "psu"},
}


@pytest.mark.parametrize("design", DESIGNS.values(), ids=DESIGNS.keys())
@pytest.mark.parametrize("domain", [None, "sector"])
def test_the_mean_and_its_standard_error_agree_with_samplics(
    design: dict[str, str], domain: str | None
) -> None:
    df = generated_survey(seed=len(design))
    ours = estimate_mean(df, "y", by=domain, **design)
    reference = samplics_estimate(df, "y", domain=domain, **design)
    domains = None if domain is None else list(ours[domain])
    for column, attribute in [
        ("estimate", "point_est"),
        ("se", "stderror"),
        ("ci_low", "lower_ci"),
        ("ci_high", "upper_ci"),
    ]:
        expected = by_domain(getattr(reference, attribute), domains)
        np.testing.assert_allclose(ours[column], expected, rtol=RELATIVE, err_msg=column)


@pytest.mark.parametrize("design", DESIGNS.values(), ids=DESIGNS.keys())
@pytest.mark.parametrize("domain", [None, "sector"])
def test_proportions_and_their_logit_intervals_agree_with_samplics(
    design: dict[str, str], domain: str | None
) -> None:
    df = generated_survey(seed=10 + len(design))
    ours = estimate_proportion(df, "answer", by=domain, **design)
    reference = samplics_estimate(df, "answer", param=PopParam.prop, domain=domain, **design)
    for row in ours.itertuples():
        key = (row.level,) if domain is None else (getattr(row, domain), row.level)
        for column, attribute in [
            ("estimate", "point_est"),
            ("se", "stderror"),
            ("ci_low", "lower_ci"),
            ("ci_high", "upper_ci"),
        ]:
            expected: Any = getattr(reference, attribute)
            for part in key:
                expected = expected[part]
            assert getattr(row, column) == pytest.approx(expected, rel=RELATIVE), (key, column)


def test_a_domain_is_estimated_as_a_subpopulation_not_a_subset() -> None:
    df = generated_survey(seed=3)
    # A domain absent from whole PSUs and from a whole stratum is where subsetting goes wrong.
    df["rare"] = np.where((df["psu"] < 2) & (df["stratum"] != "west"), "in", "out")
    design = {"weight": "weight", "strata": "stratum", "psu": "psu"}
    ours = estimate_mean(df, "y", by="rare", **design).set_index("rare")
    reference = samplics_estimate(df, "y", domain="rare", **design)
    assert ours.loc["in", "se"] == pytest.approx(reference.stderror["in"], rel=RELATIVE)
    subset = estimate_mean(df[df["rare"] == "in"], "y", **design)
    assert ours.loc["in", "estimate"] == pytest.approx(subset["estimate"].iloc[0], rel=RELATIVE)
    assert ours.loc["in", "se"] != pytest.approx(subset["se"].iloc[0], rel=1e-3)


def test_a_hand_computed_stratified_clustered_example_is_reproduced() -> None:
    # Two strata with two PSUs each; two rows per PSU; weights 1 or 2.
    df = pd.DataFrame(
        {
            "h": ["a"] * 4 + ["b"] * 4,
            "psu": [1, 1, 2, 2, 1, 1, 2, 2],
            "w": [1.0, 1.0, 2.0, 2.0, 1.0, 2.0, 1.0, 2.0],
            "y": [1.0, 3.0, 2.0, 4.0, 0.0, 6.0, 2.0, 5.0],
        }
    )
    # ȳ = Σwy / Σw = (1+3+4+8+0+12+2+10) / 12 = 40/12.
    mean = 40 / 12
    z = df["w"] * (df["y"] - mean) / 12
    totals = z.groupby([df["h"], df["psu"]]).sum()
    # n_h/(n_h-1) = 2 and Σ_i (z_hi - z̄_h)² = (z_h1 - z_h2)²/2 for two PSUs.
    variance = sum(2 * (totals[h].iloc[0] - totals[h].iloc[1]) ** 2 / 2 for h in ("a", "b"))
    result = estimate_mean(df, "y", weight="w", strata="h", psu="psu")
    assert result["estimate"].iloc[0] == pytest.approx(mean, rel=1e-12)
    assert result["se"].iloc[0] == pytest.approx(math.sqrt(variance), rel=1e-12)
    assert result["n"].iloc[0] == 8
    assert result["weight_sum"].iloc[0] == pytest.approx(12.0)
    # Hand values of the PSU totals, so that the test does not only restate the code.
    assert totals["a"].iloc[0] == pytest.approx((1 * (1 - mean) + 1 * (3 - mean)) / 12)
    assert result.attrs["degrees_of_freedom"] == 4 - 2


def test_the_interval_uses_student_t_with_psus_minus_strata_degrees_of_freedom() -> None:
    df = generated_survey(seed=4, n_strata=3, psus=4)
    result = estimate_mean(df, "y", weight="weight", strata="stratum", psu="psu")
    t_quantile = stats.t.ppf(0.975, 3 * 4 - 3)
    row = result.iloc[0]
    assert row["ci_low"] == pytest.approx(row["estimate"] - t_quantile * row["se"], rel=1e-12)
    assert row["ci_high"] == pytest.approx(row["estimate"] + t_quantile * row["se"], rel=1e-12)
    assert result.attrs["degrees_of_freedom"] == 9


def test_the_confidence_level_follows_alpha() -> None:
    df = generated_survey(seed=5)
    wide = estimate_mean(df, "y", psu="psu", alpha=0.01).iloc[0]
    narrow = estimate_mean(df, "y", psu="psu", alpha=0.10).iloc[0]
    assert wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]


def single_psu_survey() -> pd.DataFrame:
    df = generated_survey(seed=6, n_strata=3, psus=3)
    # Stratum "east" keeps only its PSU 0: a lonely PSU.
    return df[(df["stratum"] != "east") | (df["psu"] == 0)].reset_index(drop=True)


def test_a_stratum_with_a_single_psu_is_an_error_by_default() -> None:
    with pytest.raises(SinglePsuError, match="east"):
        estimate_mean(single_psu_survey(), "y", strata="stratum", psu="psu")


def test_a_certainty_psu_contributes_no_variance_like_samplics_skip() -> None:
    df = single_psu_survey()
    design = {"weight": "weight", "strata": "stratum", "psu": "psu"}
    ours = estimate_mean(df, "y", by="sector", single_psu="certainty", **design)
    reference = samplics_estimate(df, "y", domain="sector", single_psu=SinglePSUEst.skip, **design)
    expected = by_domain(reference.stderror, list(ours["sector"]))
    np.testing.assert_allclose(ours["se"], expected, rtol=RELATIVE)


def test_an_adjusted_lonely_psu_is_centred_at_the_grand_mean_of_psu_totals() -> None:
    df = pd.DataFrame(
        {
            "h": ["a", "a", "a", "a", "b", "b"],
            "psu": [1, 1, 2, 2, 1, 1],
            "y": [1.0, 2.0, 4.0, 5.0, 3.0, 9.0],
        }
    )
    mean = df["y"].mean()
    z = (df["y"] - mean) / len(df)
    totals = z.groupby([df["h"], df["psu"]]).sum()
    za1, za2, zb = totals[("a", 1)], totals[("a", 2)], totals[("b", 1)]
    grand = (za1 + za2 + zb) / 3  # zero up to rounding: linearised scores sum to zero
    by_hand = 2 * ((za1 - za2) ** 2 / 2) + (zb - grand) ** 2
    adjusted = estimate_mean(df, "y", strata="h", psu="psu", single_psu="adjust")
    certain = estimate_mean(df, "y", strata="h", psu="psu", single_psu="certainty")
    assert adjusted["se"].iloc[0] == pytest.approx(math.sqrt(by_hand), rel=1e-12)
    assert certain["se"].iloc[0] == pytest.approx(math.sqrt(by_hand - (zb - grand) ** 2))
    assert adjusted["se"].iloc[0] > certain["se"].iloc[0]


def test_an_unknown_single_psu_choice_is_rejected() -> None:
    with pytest.raises(ValueError, match="single_psu"):
        estimate_mean(generated_survey(seed=1), "y", single_psu="average")  # type: ignore[arg-type]


def test_a_domain_with_one_respondent_gets_its_estimate_and_a_flagged_missing_se() -> None:
    df = generated_survey(seed=7)
    df.loc[5, "sector"] = "housing"
    result = estimate_mean(df, "y", weight="weight", strata="stratum", psu="psu", by="sector")
    lonely = result.set_index("sector").loc["housing"]
    assert lonely["estimate"] == pytest.approx(df.loc[5, "y"])
    assert lonely["n"] == 1
    assert math.isnan(lonely["se"])
    assert math.isnan(lonely["ci_low"])
    assert lonely["flag"] == SINGLE_RESPONDENT
    others = result[result["sector"] != "housing"]
    assert (others["flag"] == "").all()
    assert others["se"].notna().all()
    shares = estimate_proportion(df, "answer", psu="psu", by="sector")
    lonely_shares = shares[shares["sector"] == "housing"]
    assert lonely_shares["estimate"].sum() == pytest.approx(1.0)
    assert lonely_shares["se"].isna().all()
    assert lonely_shares["ci_low"].isna().all()
    assert (lonely_shares["flag"] == SINGLE_RESPONDENT).all()


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_a_weight_that_is_not_finite_and_positive_is_a_clear_error(bad: float) -> None:
    df = generated_survey(seed=8)
    df.loc[3, "weight"] = bad
    with pytest.raises(ValueError, match=r"weights must be finite and > 0.*rows \[3\]"):
        estimate_mean(df, "y", weight="weight")


def test_no_weight_column_means_every_weight_is_one() -> None:
    df = generated_survey(seed=9).assign(one=1.0)
    without = estimate_mean(df, "y", strata="stratum", psu="psu", by="sex")
    ones = estimate_mean(df, "y", weight="one", strata="stratum", psu="psu", by="sex")
    pd.testing.assert_frame_equal(without, ones)


def test_a_missing_outcome_leaves_its_row_out_of_the_domain_but_in_the_design() -> None:
    df = generated_survey(seed=11)
    df.loc[df.index % 7 == 0, "y"] = np.nan
    design = {"weight": "weight", "strata": "stratum", "psu": "psu"}
    ours = estimate_mean(df, "y", **design)
    # The same thing as a domain: answered vs not answered, with y filled in arbitrarily.
    df["answered"] = np.where(df["y"].isna(), "no", "yes")
    filled = df.assign(y=df["y"].fillna(1.0))
    reference = samplics_estimate(filled, "y", domain="answered", **design)
    assert ours["se"].iloc[0] == pytest.approx(reference.stderror["yes"], rel=RELATIVE)
    assert ours["n"].iloc[0] == df["y"].notna().sum()


def test_many_domains_at_once_match_one_domain_at_a_time() -> None:
    df = generated_survey(seed=12, n=3000)
    design = {"weight": "weight", "strata": "stratum", "psu": "psu"}
    together = estimate_mean(df, "y", by=["sector", "sex"], **design)
    assert list(together.columns[:2]) == ["sector", "sex"]
    assert len(together) == 6
    df["cell"] = df["sector"] + "/" + df["sex"]
    reference = samplics_estimate(df, "y", domain="cell", **design)
    keys = list(together["sector"] + "/" + together["sex"])
    np.testing.assert_allclose(together["se"], by_domain(reference.stderror, keys), rtol=RELATIVE)


def test_rows_with_a_missing_domain_value_belong_to_no_domain() -> None:
    df = generated_survey(seed=13)
    df.loc[:9, "sector"] = None
    result = estimate_mean(df, "y", by="sector", psu="psu")
    assert result["sector"].notna().all()
    assert result["n"].sum() == len(df) - 10


def test_the_result_has_the_documented_columns() -> None:
    df = generated_survey(seed=14)
    result = estimate_mean(df, "y", by="sector")
    expected = ["sector", "estimate", "se", "ci_low", "ci_high", "n", "weight_sum", "flag"]
    assert list(result.columns) == expected
    assert list(estimate_mean(df, "y").columns) == expected[1:]
    assert list(estimate_proportion(df, "answer", by="sector").columns) == [
        "sector",
        "level",
        *expected[1:],
    ]


def test_categorical_domains_keep_their_category_order() -> None:
    df = generated_survey(seed=15)
    order = ["safety", "health", "environment"]
    df["sector"] = pd.Categorical(df["sector"], categories=order)
    result = estimate_mean(df, "y", by="sector")
    assert list(result["sector"]) == order
    assert isinstance(result["sector"].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"column": "psu", "value": None}, "psu column 'psu' has missing values"),
        ({"column": "stratum", "value": None}, "strata column 'stratum' has missing values"),
        ({"column": "y", "value": np.inf}, "infinite"),
    ],
)
def test_missing_design_labels_and_infinite_outcomes_are_clear_errors(
    change: dict[str, Any], message: str
) -> None:
    df = generated_survey(seed=16).astype({"psu": object})
    df.loc[2, change["column"]] = change["value"]
    with pytest.raises(ValueError, match=message):
        estimate_mean(df, "y", strata="stratum", psu="psu")


def test_unknown_columns_and_empty_frames_are_clear_errors() -> None:
    df = generated_survey(seed=17)
    with pytest.raises(ValueError, match="not in the frame"):
        estimate_mean(df, "nope")
    with pytest.raises(ValueError, match="empty"):
        estimate_mean(df.iloc[:0], "y")
    with pytest.raises(ValueError, match="numeric"):
        estimate_mean(df, "sector")


def test_a_design_is_coded_with_nested_psus() -> None:
    df = generated_survey(seed=18, n_strata=2, psus=3)
    design = survey_design(df, weight="weight", strata="stratum", psu="psu")
    assert design.n_psu == 6
    assert design.n_strata == 2
    assert design.degrees_of_freedom == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(20, 200),
    n_strata=st.integers(1, 4),
    psus=st.integers(2, 5),
    with_psu=st.booleans(),
)
def test_random_designs_agree_with_samplics(
    seed: int, n: int, n_strata: int, psus: int, with_psu: bool
) -> None:
    df = generated_survey(seed, n=n, n_strata=n_strata, psus=psus)
    counts = df.groupby("stratum")["psu"].nunique()
    if (counts < 2).any() or df.groupby("stratum").size().min() < 2:
        return  # single-PSU strata are tested on their own
    design = {"weight": "weight", "strata": "stratum", "psu": "psu" if with_psu else None}
    ours = estimate_mean(df, "y", by="sex", **design)
    reference = samplics_estimate(df, "y", domain="sex", **design)
    domains = list(ours["sex"])
    valid = ours["n"] > 1
    np.testing.assert_allclose(
        ours["estimate"], by_domain(reference.point_est, domains), rtol=RELATIVE
    )
    np.testing.assert_allclose(
        ours["se"][valid], by_domain(reference.stderror, domains)[valid], rtol=RELATIVE
    )


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-3, 1e3), seed=st.integers(0, 1000))
def test_scaling_every_weight_changes_neither_estimate_nor_standard_error(
    scale: float, seed: int
) -> None:
    df = generated_survey(seed, n=200)
    design = {"strata": "stratum", "psu": "psu", "by": "sector"}
    base = estimate_mean(df, "y", weight="weight", **design)
    scaled = estimate_mean(df.assign(weight=df["weight"] * scale), "y", weight="weight", **design)
    np.testing.assert_allclose(scaled["estimate"], base["estimate"], rtol=1e-10)
    np.testing.assert_allclose(scaled["se"], base["se"], rtol=1e-9)


def test_an_unused_stratum_category_does_not_count_as_a_stratum() -> None:
    df = generated_survey(seed=19, n_strata=2, psus=3)
    df["stratum"] = pd.Categorical(df["stratum"], categories=["north", "south", "nowhere"])
    design = survey_design(df, strata="stratum", psu="psu")
    assert design.n_strata == 2
    assert design.degrees_of_freedom == 6 - 2


def test_the_sorting_path_for_huge_key_ranges_gives_the_dense_result() -> None:
    df = generated_survey(seed=20)
    design = {"weight": "weight", "strata": "stratum", "psu": "psu", "by": ["sector", "sex"]}
    dense = estimate_mean(df, "y", **design)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(survey_module, "_DENSE_FACTOR", 0)
        patch.setattr(survey_module, "_DENSE_FLOOR", 0)
        sparse = estimate_mean(df, "y", **design)
    pd.testing.assert_frame_equal(sparse, dense)
