"""What influences co-production: the logistic model against statsmodels and by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from coproduce.analysis.regression import TABLE_COLUMNS, coproduces, fit_coproduction_logit

TRUE_LOG_ODDS = {
    "Intercept": -0.6,
    "age_band[T.35-64]": 0.4,
    "age_band[T.65+]": 0.9,
    "sex[T.female]": 0.5,
    "employment[T.outside labour market]": 0.6,
    "self_efficacy": 0.7,
}


def survey(n: int = 4000, seed: int = 20240) -> pd.DataFrame:
    """Respondents whose co-production follows TRUE_LOG_ODDS exactly in expectation."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age_band": rng.choice(["18-34", "35-64", "65+"], n, p=[0.3, 0.45, 0.25]),
            "sex": rng.choice(["male", "female"], n),
            "employment": rng.choice(["employed", "outside labour market"], n, p=[0.6, 0.4]),
            "self_efficacy": rng.normal(0, 1, n),
        }
    )
    eta = (
        TRUE_LOG_ODDS["Intercept"]
        + TRUE_LOG_ODDS["age_band[T.35-64]"] * (frame["age_band"] == "35-64")
        + TRUE_LOG_ODDS["age_band[T.65+]"] * (frame["age_band"] == "65+")
        + TRUE_LOG_ODDS["sex[T.female]"] * (frame["sex"] == "female")
        + TRUE_LOG_ODDS["employment[T.outside labour market]"]
        * (frame["employment"] == "outside labour market")
        + TRUE_LOG_ODDS["self_efficacy"] * frame["self_efficacy"]
    )
    frame["coproduces"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    frame["weight"] = rng.uniform(0.3, 3.0, n)
    return frame


REFERENCE = {"age_band": "18-34", "sex": "male", "employment": "employed"}
FORMULA = (
    "coproduces ~ C(age_band, Treatment(reference='18-34'))"
    " + C(sex, Treatment(reference='male'))"
    " + C(employment, Treatment(reference='employed')) + self_efficacy"
)


def fit(frame: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    result = fit_coproduction_logit(
        frame,
        "coproduces",
        ["age_band", "sex", "employment"],
        ["self_efficacy"],
        reference=REFERENCE,
        **kwargs,  # type: ignore[arg-type]
    )
    return result.table.set_index("term")


def formula_table(result: sm.GLM) -> pd.DataFrame:
    """statsmodels' formula results, renamed to patsy's plain term names."""
    names = [
        name.replace("C(age_band, Treatment(reference='18-34'))", "age_band")
        .replace("C(sex, Treatment(reference='male'))", "sex")
        .replace("C(employment, Treatment(reference='employed'))", "employment")
        for name in result.params.index
    ]
    ci = result.conf_int()
    return pd.DataFrame(
        {
            "odds_ratio": np.exp(result.params.to_numpy()),
            "ci_low": np.exp(ci[0].to_numpy()),
            "ci_high": np.exp(ci[1].to_numpy()),
            "p_value": result.pvalues.to_numpy(),
        },
        index=names,
    )


def test_the_table_has_the_tidy_columns_and_reports_n_and_convergence() -> None:
    result = fit_coproduction_logit(
        survey(), "coproduces", ["age_band", "sex", "employment"], ["self_efficacy"]
    )
    assert tuple(result.table.columns) == TABLE_COLUMNS
    assert result.n == 4000
    assert result.converged is True
    assert result.events + result.non_events == 4000
    assert result.weight_kind == "none"


def test_odds_ratios_match_statsmodels_formula_api_and_recover_the_true_ones() -> None:
    frame = survey()
    ours = fit(frame)
    theirs = formula_table(smf.logit(FORMULA, data=frame).fit(disp=0))
    assert set(ours.index) == set(theirs.index) == set(TRUE_LOG_ODDS)
    for column in ["odds_ratio", "ci_low", "ci_high", "p_value"]:
        np.testing.assert_allclose(
            ours.loc[theirs.index, column], theirs[column], rtol=1e-6, atol=1e-12
        )
    for term, log_odds in TRUE_LOG_ODDS.items():
        assert ours.loc[term, "ci_low"] < math.exp(log_odds) < ours.loc[term, "ci_high"], term


def test_a_two_by_two_table_gives_the_cross_product_odds_ratio_and_woolf_interval() -> None:
    # women: 30 co-produce, 20 do not; men: 20 and 30 -> OR = (30*30)/(20*20) = 2.25
    rows = [("female", 1)] * 30 + [("female", 0)] * 20 + [("male", 1)] * 20 + [("male", 0)] * 30
    frame = pd.DataFrame(rows, columns=["sex", "coproduces"])
    result = fit_coproduction_logit(frame, "coproduces", ["sex"], reference={"sex": "male"})
    row = result.table.set_index("term").loc["sex[T.female]"]
    se = math.sqrt(1 / 30 + 1 / 20 + 1 / 20 + 1 / 30)
    assert row["odds_ratio"] == pytest.approx(2.25, rel=1e-8)
    assert row["ci_low"] == pytest.approx(2.25 * math.exp(-1.959963984540054 * se), rel=1e-6)
    assert row["ci_high"] == pytest.approx(2.25 * math.exp(1.959963984540054 * se), rel=1e-6)
    assert result.table.set_index("term").loc["Intercept", "odds_ratio"] == pytest.approx(20 / 30)


def test_the_chosen_reference_category_is_the_one_left_out() -> None:
    frame = survey()
    as_male = fit_coproduction_logit(frame, "coproduces", ["sex"], reference={"sex": "male"})
    as_female = fit_coproduction_logit(frame, "coproduces", ["sex"], reference={"sex": "female"})
    assert as_male.reference["sex"] == "male"
    assert list(as_male.table["term"]) == ["Intercept", "sex[T.female]"]
    assert list(as_female.table["term"]) == ["Intercept", "sex[T.male]"]
    female_vs_male = as_male.table.set_index("term").loc["sex[T.female]", "odds_ratio"]
    male_vs_female = as_female.table.set_index("term").loc["sex[T.male]", "odds_ratio"]
    assert female_vs_male == pytest.approx(1 / male_vs_female)


def test_without_a_reference_the_most_frequent_level_is_used() -> None:
    result = fit_coproduction_logit(survey(), "coproduces", ["age_band"])
    assert result.reference["age_band"] == "35-64"
    assert "age_band[T.35-64]" not in set(result.table["term"])


def test_sampling_weights_give_pseudo_likelihood_estimates_with_sandwich_errors() -> None:
    frame = survey()
    ours = fit(frame, weights="weight", weight_kind="sampling")
    reference = smf.glm(
        FORMULA, data=frame, family=sm.families.Binomial(), var_weights=frame["weight"]
    ).fit(cov_type="HC0")
    theirs = formula_table(reference)
    np.testing.assert_allclose(ours.loc[theirs.index, "odds_ratio"], theirs["odds_ratio"])
    # The sandwich by hand: A^-1 B A^-1, A = sum w mu(1-mu) xx', B = sum w^2 (y-mu)^2 xx'.
    x = reference.model.exog
    y = frame["coproduces"].to_numpy()
    w = frame["weight"].to_numpy()
    mu = reference.fittedvalues.to_numpy()
    a_inv = np.linalg.inv((x * (w * mu * (1 - mu))[:, None]).T @ x)
    b = (x * ((w * (y - mu)) ** 2)[:, None]).T @ x
    se = pd.Series(np.sqrt(np.diag(a_inv @ b @ a_inv)), index=theirs.index)
    np.testing.assert_allclose(ours.loc[theirs.index, "std_err"], se, rtol=1e-6)


def test_sampling_weights_can_be_rescaled_without_changing_anything() -> None:
    frame = survey()
    once = fit(frame, weights="weight")
    frame["weight"] = frame["weight"] * 250
    scaled = fit(frame, weights="weight")
    np.testing.assert_allclose(
        once[["odds_ratio", "ci_low", "ci_high"]],
        scaled[["odds_ratio", "ci_low", "ci_high"]],
        rtol=1e-7,
    )


def test_frequency_weights_equal_fitting_the_expanded_respondents() -> None:
    frame = survey(n=1500)
    frame["times"] = np.random.default_rng(3).integers(1, 4, len(frame))
    ours = fit_coproduction_logit(
        frame,
        "coproduces",
        ["sex"],
        ["self_efficacy"],
        reference={"sex": "male"},
        weights="times",
        weight_kind="frequency",
    )
    expanded = frame.loc[frame.index.repeat(frame["times"])]
    plain = fit_coproduction_logit(
        expanded, "coproduces", ["sex"], ["self_efficacy"], reference={"sex": "male"}
    )
    np.testing.assert_allclose(
        ours.table[["odds_ratio", "ci_low", "ci_high", "p_value"]],
        plain.table[["odds_ratio", "ci_low", "ci_high", "p_value"]],
        rtol=1e-7,
    )
    assert ours.n == 1500
    assert ours.n_weighted == len(expanded)
    assert ours.events == plain.events


def test_missing_values_are_dropped_counted_and_reported() -> None:
    frame = survey()
    frame.loc[[0, 1, 2], "sex"] = None
    frame.loc[[2, 3], "self_efficacy"] = np.nan
    frame.loc[[4], "coproduces"] = np.nan
    result = fit_coproduction_logit(
        frame,
        "coproduces",
        ["age_band", "sex", "employment"],
        ["self_efficacy"],
        reference=REFERENCE,
    )
    assert result.n_dropped == 5
    assert result.n == 3995
    assert result.dropped_by_column["sex"] == 3
    assert result.dropped_by_column["self_efficacy"] == 2
    assert result.dropped_by_column["coproduces"] == 1
    complete = fit(frame.drop(index=[0, 1, 2, 3, 4]))
    np.testing.assert_allclose(result.table["odds_ratio"], complete["odds_ratio"])


def test_rows_with_zero_weight_are_dropped_and_counted() -> None:
    frame = survey()
    frame.loc[:9, "weight"] = 0.0
    result = fit_coproduction_logit(frame, "coproduces", ["sex"], weights="weight")
    assert result.n_zero_weight == 10
    assert result.n == 3990


def test_perfect_separation_by_a_category_is_an_error_naming_the_term() -> None:
    frame = survey()
    frame.loc[frame["employment"] == "outside labour market", "coproduces"] = 1
    with pytest.raises(ValueError, match=r"separation.*employment\[T.outside labour market\]"):
        fit_coproduction_logit(
            frame, "coproduces", ["sex", "employment"], reference={"employment": "employed"}
        )


def test_complete_separation_by_a_numeric_score_is_an_error() -> None:
    frame = survey()
    frame["coproduces"] = (frame["self_efficacy"] > 0.1).astype(int)
    with pytest.raises(ValueError, match=r"separation.*self_efficacy"):
        fit_coproduction_logit(frame, "coproduces", ["sex"], ["self_efficacy"])


def test_a_predictor_with_one_level_is_an_error() -> None:
    frame = survey()
    frame["sex"] = "female"
    with pytest.raises(ValueError, match=r"'sex' has a single level"):
        fit_coproduction_logit(frame, "coproduces", ["sex", "age_band"])


def test_a_predictor_left_with_one_level_after_dropping_missing_values_is_an_error() -> None:
    frame = survey()
    frame.loc[frame["sex"] == "male", "sex"] = None
    with pytest.raises(ValueError, match=r"'sex' has a single level"):
        fit_coproduction_logit(frame, "coproduces", ["sex"])


def test_a_numeric_predictor_that_does_not_vary_is_an_error() -> None:
    frame = survey()
    frame["self_efficacy"] = 3.0
    with pytest.raises(ValueError, match=r"'self_efficacy' does not vary"):
        fit_coproduction_logit(frame, "coproduces", ["sex"], ["self_efficacy"])


def test_too_few_cases_per_parameter_is_an_error() -> None:
    # 4 coefficients besides the intercept need 40 cases of the rarer outcome.
    frame = survey(n=200)
    frame["coproduces"] = 0
    frame.loc[:29, "coproduces"] = 1
    with pytest.raises(ValueError, match=r"too few cases.*30 co-producers.*= 40"):
        fit_coproduction_logit(frame, "coproduces", ["age_band", "sex"], ["self_efficacy"])


def test_the_minimum_cases_per_parameter_can_be_lowered_explicitly() -> None:
    frame = survey(n=200)
    frame["coproduces"] = 0
    frame.loc[:29, "coproduces"] = 1
    result = fit_coproduction_logit(
        frame, "coproduces", ["age_band", "sex"], ["self_efficacy"], min_events_per_parameter=5
    )
    assert result.events == 30


def test_an_outcome_nobody_has_is_an_error() -> None:
    frame = survey()
    frame["coproduces"] = 0
    with pytest.raises(ValueError, match="outcome is constant"):
        fit_coproduction_logit(frame, "coproduces", ["sex"])


def test_an_outcome_that_is_not_binary_is_an_error() -> None:
    frame = survey()
    frame["index"] = np.linspace(0, 100, len(frame))
    with pytest.raises(ValueError, match="boolean or 0/1"):
        fit_coproduction_logit(frame, "index", ["sex"])


def test_collinear_predictors_are_an_error() -> None:
    frame = survey()
    frame["gender"] = frame["sex"].map({"male": "m", "female": "f"})
    with pytest.raises(ValueError, match="collinear"):
        fit_coproduction_logit(frame, "coproduces", ["sex", "gender"])


def test_a_reference_that_is_not_a_level_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"reference 'other' for 'sex'"):
        fit_coproduction_logit(survey(), "coproduces", ["sex"], reference={"sex": "other"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"categorical": ["nope"]}, "columns not in the data"),
        ({"categorical": []}, "no predictors"),
        ({"categorical": ["sex"], "weights": "bad"}, "finite and non-negative"),
        ({"categorical": ["sex"], "weights": "weight", "weight_kind": "frequency"}, "whole"),
        ({"categorical": ["sex"], "alpha": 1.5}, "alpha"),
    ],
)
def test_bad_arguments_are_errors(kwargs: dict[str, object], message: str) -> None:
    frame = survey(n=300)
    frame["bad"] = -1.0
    with pytest.raises(ValueError, match=message):
        fit_coproduction_logit(frame, "coproduces", **kwargs)  # type: ignore[arg-type]


def test_empty_data_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        fit_coproduction_logit(survey().iloc[:0], "coproduces", ["sex"])


def test_coproduces_is_an_index_above_zero_and_keeps_missing_values_missing() -> None:
    out = coproduces(pd.Series([0.0, 12.5, np.nan, 100.0]))
    assert out.iloc[[0, 1, 3]].tolist() == [0.0, 1.0, 1.0]
    assert np.isnan(out.iloc[2])
