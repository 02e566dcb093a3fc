"""The perception gap between officials' expectations and citizens' estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.gap import GAP_COLUMNS, perception_gap


def citizens() -> pd.DataFrame:
    # The survey's headline indices (DOMAIN.md), with made-up +/-3 intervals.
    return pd.DataFrame(
        {
            "sector": ["community safety", "local environment", "public health"],
            "citizens_estimate": [45.0, 61.0, 54.0],
            "ci_low": [42.0, 58.0, 51.0],
            "ci_high": [48.0, 64.0, 57.0],
        }
    )


def officials(rows: list[tuple[object, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "sector", "expected_index"])


def by_sector(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("sector")


def test_the_gap_is_the_officials_mean_minus_the_citizens_estimate() -> None:
    answers = officials(
        [
            (1, "community safety", 30.0),
            (2, "community safety", 40.0),
            (3, "community safety", 26.0),
            (1, "local environment", 60.0),
            (2, "local environment", 64.0),
        ]
    )
    table = by_sector(perception_gap(answers, citizens()))
    safety = table.loc["community safety"]
    assert safety["officials_mean"] == pytest.approx(32.0)
    assert safety["officials_n"] == 3
    assert safety["gap"] == pytest.approx(32.0 - 45.0)
    assert bool(safety["outside_ci"]) is True
    environment = table.loc["local environment"]
    assert environment["gap"] == pytest.approx(1.0)
    assert bool(environment["outside_ci"]) is False


def test_the_output_has_one_row_per_sector_with_the_documented_columns() -> None:
    table = perception_gap(officials([(1, "public health", 20.0)]), citizens())
    assert tuple(table.columns) == GAP_COLUMNS
    assert list(table["sector"]) == ["community safety", "local environment", "public health"]
    assert table["outside_ci"].dtype == "boolean"
    assert table["officials_n"].dtype.kind == "i"


def test_a_mean_on_the_edge_of_the_interval_counts_as_inside() -> None:
    answers = officials([(1, "community safety", 42.0), (2, "local environment", 64.0)])
    table = by_sector(perception_gap(answers, citizens()))
    assert not table.loc["community safety", "outside_ci"]
    assert not table.loc["local environment", "outside_ci"]


def test_officials_overestimating_are_outside_with_a_positive_gap() -> None:
    table = by_sector(perception_gap(officials([(1, "public health", 80.0)]), citizens()))
    assert table.loc["public health", "gap"] == pytest.approx(26.0)
    assert table.loc["public health", "outside_ci"]


def test_shares_are_compared_on_the_zero_to_one_scale() -> None:
    shares = pd.DataFrame(
        {"sector": ["recycling"], "citizens_estimate": [0.7], "ci_low": [0.65], "ci_high": [0.75]}
    )
    answers = officials([(1, "recycling", 0.3), (2, "recycling", 0.5)])
    row = by_sector(perception_gap(answers, shares, scale="share")).loc["recycling"]
    assert row["officials_mean"] == pytest.approx(0.4)
    assert row["gap"] == pytest.approx(-0.3)
    assert row["outside_ci"]


def test_a_sector_without_a_citizens_estimate_is_reported_with_nan_and_flagged() -> None:
    answers = officials([(1, "community safety", 40.0), (1, "libraries", 15.0)])
    table = by_sector(perception_gap(answers, citizens()))
    libraries = table.loc["libraries"]
    assert libraries["citizens_missing"]
    assert libraries["officials_mean"] == pytest.approx(15.0)
    assert np.isnan(libraries["citizens_estimate"])
    assert np.isnan(libraries["gap"])
    assert libraries["outside_ci"] is pd.NA
    assert not table.loc["community safety", "citizens_missing"]


def test_a_sector_without_a_citizens_estimate_can_be_made_an_error() -> None:
    answers = officials([(1, "libraries", 15.0)])
    with pytest.raises(ValueError, match=r"no citizens' estimate: \['libraries'\]"):
        perception_gap(answers, citizens(), on_missing="raise")


def test_a_sector_no_official_answered_has_zero_officials_and_no_gap() -> None:
    table = by_sector(perception_gap(officials([(1, "public health", 20.0)]), citizens()))
    safety = table.loc["community safety"]
    assert safety["officials_n"] == 0
    assert np.isnan(safety["officials_mean"])
    assert np.isnan(safety["gap"])
    assert safety["outside_ci"] is pd.NA


def test_a_blank_expectation_is_left_out_of_the_mean_and_counted() -> None:
    answers = officials(
        [(1, "public health", 20.0), (2, "public health", None), (3, "public health", 40.0)]
    )
    row = by_sector(perception_gap(answers, citizens())).loc["public health"]
    assert row["officials_mean"] == pytest.approx(30.0)
    assert row["officials_n"] == 2
    assert row["officials_blank"] == 1


@pytest.mark.parametrize("value", [-1.0, 100.5, 250.0])
def test_an_expected_index_outside_0_to_100_is_an_error(value: float) -> None:
    with pytest.raises(ValueError, match=r"officials' expected values outside 0\.\.100"):
        perception_gap(officials([(1, "public health", value)]), citizens())


def test_an_expected_share_above_one_is_an_error_that_suggests_the_index_scale() -> None:
    shares = pd.DataFrame(
        {"sector": ["recycling"], "citizens_estimate": [0.7], "ci_low": [0.6], "ci_high": [0.8]}
    )
    with pytest.raises(ValueError, match=r"outside 0\.\.1 .*scale='index'"):
        perception_gap(officials([(1, "recycling", 40.0)]), shares, scale="share")


def test_a_citizens_estimate_on_the_wrong_scale_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"citizens' citizens_estimate outside 0\.\.1"):
        perception_gap(officials([(1, "public health", 0.2)]), citizens(), scale="share")


def test_an_interval_that_does_not_contain_its_estimate_is_an_error() -> None:
    wrong = citizens()
    wrong.loc[0, ["ci_low", "ci_high"]] = [48.0, 42.0]
    with pytest.raises(ValueError, match=r"ci_low <= estimate <= ci_high: \['community safety'\]"):
        perception_gap(officials([(1, "public health", 20.0)]), wrong)


def test_an_official_answering_a_sector_twice_is_an_error() -> None:
    answers = officials([(7, "public health", 20.0), (7, "public health", 30.0)])
    with pytest.raises(ValueError, match=r"more than once.*\(7, 'public health'\)"):
        perception_gap(answers, citizens())


def test_a_sector_listed_twice_by_the_citizens_is_an_error() -> None:
    twice = pd.concat([citizens(), citizens().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="more than once"):
        perception_gap(officials([(1, "public health", 20.0)]), twice)


def test_empty_officials_input_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="officials' estimates are empty"):
        perception_gap(officials([]), citizens())


def test_empty_citizens_input_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="citizens' estimates are empty"):
        perception_gap(officials([(1, "public health", 20.0)]), citizens().iloc[:0])


def test_officials_who_all_left_the_answer_blank_are_an_error() -> None:
    with pytest.raises(ValueError, match="no answers"):
        perception_gap(officials([(1, "public health", None)]), citizens())


def test_a_missing_column_is_an_error_naming_it() -> None:
    answers = officials([(1, "public health", 20.0)]).rename(columns={"expected_index": "guess"})
    with pytest.raises(ValueError, match=r"lack columns \['expected_index'\]"):
        perception_gap(answers, citizens())


def test_an_unknown_scale_is_an_error() -> None:
    with pytest.raises(ValueError, match="scale"):
        perception_gap(officials([(1, "public health", 20.0)]), citizens(), scale="percent")  # type: ignore[arg-type]


@given(
    expected=st.lists(st.floats(0, 100), min_size=1, max_size=20),
    estimate=st.floats(0, 100),
    half_width=st.floats(0, 50),
)
def test_outside_ci_agrees_with_the_gap_and_the_interval(
    expected: list[float], estimate: float, half_width: float
) -> None:
    low, high = max(0.0, estimate - half_width), min(100.0, estimate + half_width)
    frame = pd.DataFrame(
        {"sector": ["s"], "citizens_estimate": [estimate], "ci_low": [low], "ci_high": [high]}
    )
    answers = officials([(i, "s", value) for i, value in enumerate(expected)])
    row = perception_gap(answers, frame).iloc[0]
    mean = float(np.mean(expected))
    assert row["gap"] == pytest.approx(mean - estimate, abs=1e-9)
    assert bool(row["outside_ci"]) == (row["officials_mean"] < low or row["officials_mean"] > high)
    assert row["officials_n"] == len(expected)
