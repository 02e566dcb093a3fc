"""The co-production index, checked by hand and against a plain pandas computation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.analysis import index as index_module
from coproduce.analysis.index import coproduction_index


def answers(rows: list[tuple[Any, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "sector", "item", "score"])


def test_the_index_is_a_hundred_times_the_mean_answered_score_over_k() -> None:
    frame = answers(
        [
            (1, "safety", "lock", 0),
            (1, "safety", "watch", 3),
            (1, "safety", "report", np.nan),
            (1, "health", "diet", 2),
            (2, "safety", "lock", 1),
            (2, "safety", "watch", 1),
        ]
    )
    result = coproduction_index(frame, k=3)
    assert list(result.columns) == ["respondent_id", "sector", "index", "n_items"]
    assert result.to_dict("records") == [
        {"respondent_id": 1, "sector": "health", "index": pytest.approx(200 / 3), "n_items": 1},
        {"respondent_id": 1, "sector": "safety", "index": pytest.approx(50.0), "n_items": 2},
        {"respondent_id": 2, "sector": "safety", "index": pytest.approx(100 / 3), "n_items": 2},
    ]


def test_a_respondent_with_no_answered_item_in_a_sector_is_left_out_of_that_sector() -> None:
    frame = answers(
        [
            (1, "safety", "lock", np.nan),
            (1, "safety", "watch", np.nan),
            (1, "health", "diet", 3),
        ]
    )
    result = coproduction_index(frame, k=3)
    assert list(zip(result["respondent_id"], result["sector"], strict=True)) == [(1, "health")]


def test_zero_and_hero_are_the_ends_of_the_scale() -> None:
    frame = answers([("a", "env", "recycle", 0), ("b", "env", "recycle", 4)])
    result = coproduction_index(frame, k=4).set_index("respondent_id")
    assert result.loc["a", "index"] == 0.0
    assert result.loc["b", "index"] == 100.0


def tagged() -> pd.DataFrame:
    return answers(
        [
            (1, "safety", "lock", 3),  # individual
            (1, "safety", "watch", 1),  # collective
            (1, "safety", "report", 2),  # individual
            (2, "safety", "lock", np.nan),
            (2, "safety", "watch", 2),
            (2, "safety", "report", np.nan),
        ]
    )


TAGS = {"lock": "individual", "report": "individual", "watch": "collective"}


def test_individual_and_collective_sub_indices_come_from_an_item_tag_mapping() -> None:
    result = coproduction_index(tagged(), k=3, item_tags=TAGS).set_index("respondent_id")
    assert result.loc[1, "index"] == pytest.approx(100 * 6 / 9)
    assert result.loc[1, "index_individual"] == pytest.approx(100 * 5 / 6)
    assert result.loc[1, "n_individual"] == 2
    assert result.loc[1, "index_collective"] == pytest.approx(100 / 3)
    # Respondent 2 answered no individual item: no individual sub-index.
    assert math.isnan(result.loc[2, "index_individual"])
    assert result.loc[2, "n_individual"] == 0
    assert result.loc[2, "index_collective"] == pytest.approx(200 / 3)


def test_a_tag_column_gives_the_same_sub_indices_as_a_mapping() -> None:
    frame = tagged()
    with_column = coproduction_index(frame.assign(tag=frame["item"].map(TAGS)), k=3)
    with_mapping = coproduction_index(frame, k=3, item_tags=TAGS)
    pd.testing.assert_frame_equal(with_column, with_mapping)


def test_an_untagged_item_in_a_tag_column_counts_only_in_the_overall_index() -> None:
    frame = tagged()
    frame["tag"] = frame["item"].map({"lock": "individual", "watch": "collective"})
    result = coproduction_index(frame, k=3).set_index("respondent_id")
    assert result.loc[1, "n_items"] == 3
    assert result.loc[1, "n_individual"] + result.loc[1, "n_collective"] == 2


@pytest.mark.parametrize("score", [-1, 4, 3.5, np.inf])
def test_a_score_outside_the_scale_is_an_error_that_names_the_row(score: float) -> None:
    frame = tagged()
    frame.index = [f"row{i}" for i in range(len(frame))]
    frame.loc["row4", "score"] = score
    with pytest.raises(ValueError, match=r"outside 0\.\.3.*'row4'"):
        coproduction_index(frame, k=3)


@pytest.mark.parametrize("k", [0, -3, 2.5, True, "3", None])
def test_k_must_be_a_positive_int(k: Any) -> None:
    with pytest.raises(ValueError, match="positive int"):
        coproduction_index(tagged(), k=k)


def test_numpy_integers_are_accepted_as_k() -> None:
    assert len(coproduction_index(tagged(), k=np.int64(3))) == 2  # type: ignore[arg-type]


def test_the_same_answer_given_twice_is_an_error() -> None:
    frame = pd.concat([tagged(), tagged().iloc[[1]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"more than once.*\[1, 6\]"):
        coproduction_index(frame, k=3)


def test_unknown_tags_and_incomplete_mappings_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown tag"):
        coproduction_index(tagged().assign(tag="solo"), k=3)
    with pytest.raises(ValueError, match="no tag for the item"):
        coproduction_index(tagged(), k=3, item_tags={"lock": "individual"})
    with pytest.raises(ValueError, match="not both"):
        coproduction_index(tagged().assign(tag="individual"), k=3, item_tags=TAGS)


def test_an_item_tagged_two_ways_is_an_error() -> None:
    frame = tagged().assign(tag=["individual", "collective", "individual"] * 2)
    frame.loc[3, "tag"] = "collective"  # "lock" is individual in row 0
    with pytest.raises(ValueError, match="different tags"):
        coproduction_index(frame, k=3)


def test_missing_columns_and_identifiers_are_errors() -> None:
    with pytest.raises(ValueError, match="lack the column"):
        coproduction_index(tagged().drop(columns="item"), k=3)
    frame = tagged().astype({"respondent_id": object})
    frame.loc[2, "respondent_id"] = None
    with pytest.raises(ValueError, match="missing values"):
        coproduction_index(frame, k=3)
    with pytest.raises(ValueError, match="numeric"):
        coproduction_index(tagged().assign(score="often"), k=3)


def test_sparse_integer_and_string_identifiers_give_the_same_index() -> None:
    frame = tagged()
    sparse = coproduction_index(frame.assign(respondent_id=frame["respondent_id"] * 10**12), k=3)
    named = coproduction_index(frame.assign(respondent_id=frame["respondent_id"].astype(str)), k=3)
    np.testing.assert_allclose(sparse["index"], named["index"])
    assert list(sparse["respondent_id"]) == [10**12, 2 * 10**12]


answer_rows = st.lists(
    st.tuples(
        st.integers(0, 6),
        st.sampled_from(["safety", "environment", "health"]),
        st.sampled_from(["a", "b", "c", "d"]),
        st.one_of(st.integers(0, 3).map(float), st.just(float("nan"))),
    ),
    min_size=1,
    max_size=60,
    unique_by=lambda row: row[:3],
)


@settings(max_examples=60, deadline=None)
@given(rows=answer_rows)
def test_the_index_matches_a_plain_groupby_and_stays_between_zero_and_a_hundred(
    rows: list[tuple[int, str, str, float]],
) -> None:
    frame = answers(rows)
    result = coproduction_index(frame, k=3)
    expected = (
        frame.dropna(subset=["score"])
        .groupby(["respondent_id", "sector"])["score"]
        .agg(["mean", "count"])
        .reset_index()
    )
    assert len(result) == len(expected)
    np.testing.assert_allclose(result["index"], 100 * expected["mean"] / 3)
    np.testing.assert_array_equal(result["n_items"], expected["count"])
    assert ((result["index"] >= 0) & (result["index"] <= 100)).all()


def test_an_item_label_shared_by_two_sectors_is_two_items() -> None:
    frame = answers(
        [
            (1, "safety", "q1", 3),
            (1, "health", "q1", 0),
            (2, "safety", "q1", 1),
        ]
    )
    result = coproduction_index(frame, k=3)
    assert list(result["index"]) == [0.0, 100.0, pytest.approx(100 / 3)]
    with pytest.raises(ValueError, match="more than once"):
        coproduction_index(pd.concat([frame, frame.iloc[[1]]], ignore_index=True), k=3)


@settings(max_examples=30, deadline=None)
@given(rows=answer_rows)
def test_the_sparse_path_for_huge_code_ranges_gives_the_dense_result(
    rows: list[tuple[int, str, str, float]],
) -> None:
    frame = answers(rows).assign(tag=lambda f: f["item"].map(TAGS_BY_LETTER))
    dense = coproduction_index(frame, k=3)
    with pytest.MonkeyPatch.context() as patch:
        # No slack at all: every key product is "too big", so the sorting paths run.
        patch.setattr(index_module, "_DENSE_FACTOR", 0)
        patch.setattr(index_module, "_DENSE_FLOOR", 0)
        sparse = coproduction_index(frame, k=3)
    pd.testing.assert_frame_equal(sparse, dense)


TAGS_BY_LETTER = {"a": "individual", "b": "individual", "c": "collective", "d": "collective"}


def test_no_answers_give_an_empty_index_with_the_usual_columns() -> None:
    result = coproduction_index(tagged().iloc[:0], k=3, item_tags=TAGS)
    assert len(result) == 0
    assert list(result.columns) == list(coproduction_index(tagged(), k=3, item_tags=TAGS).columns)
