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


# --- The fast paths against a slow reference --------------------------------------------


def reference_index(
    frame: pd.DataFrame, k: int, item_tags: dict[str, str] | None = None
) -> pd.DataFrame:
    """The module docstring's formula, one Python loop over the rows: slow but obvious."""
    cells: dict[tuple[Any, Any], dict[str, list[float]]] = {}
    tag_of = item_tags
    if tag_of is None and "tag" in frame.columns:
        tag_of = {}
        for item, tag in zip(frame["item"], frame["tag"], strict=True):
            if isinstance(tag, str):
                tag_of[item] = tag
    for respondent, sector, item, score in zip(
        frame["respondent_id"], frame["sector"], frame["item"], frame["score"], strict=True
    ):
        cell = cells.setdefault((respondent, sector), {"": [], "individual": [], "collective": []})
        if not math.isnan(score):
            cell[""].append(float(score))
            if tag_of is not None and tag_of.get(item) in ("individual", "collective"):
                cell[tag_of[item]].append(float(score))

    def scaled(scores: list[float]) -> float:
        return 100.0 * (sum(scores) / len(scores)) / k if scores else math.nan

    # Sorted by respondent, then sector: in category order when sectors are categorical.
    order = list(frame["sector"].cat.categories) if frame["sector"].dtype == "category" else None

    def key(pair: tuple[tuple[Any, Any], Any]) -> tuple[Any, Any]:
        respondent, sector = pair[0]
        return respondent, sector if order is None else order.index(sector)

    rows = []
    for (respondent, sector), cell in sorted(cells.items(), key=key):
        if not cell[""]:
            continue
        row = {"respondent_id": respondent, "sector": sector}
        row |= {"index": scaled(cell[""]), "n_items": len(cell[""])}
        if tag_of is not None:
            for tag in ("individual", "collective"):
                row |= {f"index_{tag}": scaled(cell[tag]), f"n_{tag}": len(cell[tag])}
        rows.append(row)
    columns = ["respondent_id", "sector", "index", "n_items"]
    if tag_of is not None:
        columns += ["index_individual", "n_individual", "index_collective", "n_collective"]
    return pd.DataFrame(rows, columns=columns)


def assert_matches_reference(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(result.columns) == list(expected.columns)
    assert list(result["respondent_id"]) == list(expected["respondent_id"])
    assert [str(s) for s in result["sector"]] == [str(s) for s in expected["sector"]]
    for column in result.columns[2:]:
        if column.startswith("n_"):
            np.testing.assert_array_equal(
                result[column].to_numpy(), expected[column].to_numpy(dtype=np.int64)
            )
            assert result[column].dtype == np.int64
        else:
            np.testing.assert_allclose(
                result[column].to_numpy(dtype=float),
                expected[column].to_numpy(dtype=float),
                rtol=1e-12,
                atol=0,
            )


def block_answers(
    n_respondents: int,
    pattern: list[tuple[str, str]],
    scores: list[float],
    ids: list[int],
) -> pd.DataFrame:
    """Every respondent answers ``pattern`` (sector, item) in the same order."""
    rows = [
        (respondent, sector, item, scores[(r * len(pattern) + j) % len(scores)])
        for r, respondent in enumerate(ids[:n_respondents])
        for j, (sector, item) in enumerate(pattern)
    ]
    return answers(rows)


score_values = st.one_of(
    st.sampled_from([0.0, 1.0, 2.0, 3.0, 0.5, 2.25, 1 / 3]), st.just(float("nan"))
)
patterns = st.lists(
    st.tuples(st.sampled_from(["safety", "environment", "health"]), st.sampled_from("abcd")),
    min_size=1,
    max_size=8,
    unique=True,
)
LETTER_TAGS = {"a": "individual", "b": "individual", "c": "collective", "d": "collective"}


@settings(max_examples=80, deadline=None)
@given(
    n_respondents=st.integers(1, 12),
    pattern=patterns,
    scores=st.lists(score_values, min_size=1, max_size=40),
    ids=st.lists(st.integers(-(10**12), 10**12), min_size=12, max_size=12, unique=True),
    tagged=st.booleans(),
    categorical=st.booleans(),
    string_ids=st.booleans(),
)
def test_the_block_layout_matches_the_reference_and_the_general_path(
    n_respondents: int,
    pattern: list[tuple[str, str]],
    scores: list[float],
    ids: list[int],
    tagged: bool,
    categorical: bool,
    string_ids: bool,
) -> None:
    ordered = sorted(ids)
    frame = block_answers(n_respondents, pattern, scores, ordered)
    if string_ids:
        # Zero-padded, so that string order is numeric order and the blocks stay sorted.
        frame["respondent_id"] = frame["respondent_id"].map(lambda i: f"{i + 10**12:014d}")
    if categorical:
        frame = frame.astype({"sector": "category", "item": "category"})
    tags = LETTER_TAGS if tagged else None
    result = coproduction_index(frame, k=3, item_tags=tags)
    assert_matches_reference(result, reference_index(frame, 3, tags))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_MAX_BLOCK", 0)  # no block layout: the general path
        general = coproduction_index(frame, k=3, item_tags=tags)
    pd.testing.assert_frame_equal(result, general, check_exact=False, rtol=1e-12, atol=0)


@settings(max_examples=60, deadline=None)
@given(
    rows=answer_rows.map(
        lambda rows: [(r, s, i, x if i != "b" or math.isnan(x) else x / 3) for r, s, i, x in rows]
    ),
    tagged=st.booleans(),
)
def test_the_general_path_matches_the_reference(
    rows: list[tuple[int, str, str, float]], tagged: bool
) -> None:
    frame = answers(rows)
    tags = LETTER_TAGS if tagged else None
    assert_matches_reference(
        coproduction_index(frame, k=3, item_tags=tags), reference_index(frame, 3, tags)
    )


def spy_on_block_path(patch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = index_module._block_index

    def spy(*args: Any, **kwargs: Any) -> pd.DataFrame:
        calls.append(1)
        return original(*args, **kwargs)

    patch.setattr(index_module, "_block_index", spy)
    return calls


def test_a_survey_laid_out_in_sorted_blocks_takes_the_block_path() -> None:
    frame = block_answers(
        5, [("health", "a"), ("safety", "b")], [1.0, 2.0, np.nan], [3, 5, 8, 9, 11]
    )
    with pytest.MonkeyPatch.context() as patch:
        calls = spy_on_block_path(patch)
        coproduction_index(frame, k=3)
        assert calls == [1]
        # Unsorted respondents, unequal blocks and a tag column all take the general path.
        coproduction_index(frame.iloc[::-1].reset_index(drop=True), k=3)
        coproduction_index(frame.iloc[1:], k=3)
        coproduction_index(frame.assign(tag="individual"), k=3)
        assert calls == [1]


def test_errors_are_the_same_on_the_block_path() -> None:
    frame = block_answers(4, [("safety", "a"), ("safety", "c")], [1.0, 2.0, 3.0], [1, 2, 3, 4])
    frame.index = [f"row{i}" for i in range(len(frame))]
    bad = frame.copy()
    bad.loc["row5", "score"] = 4.0
    with pytest.raises(ValueError, match=r"1 score\(s\) outside 0\.\.3: rows \['row5'\]"):
        coproduction_index(bad, k=3)
    with pytest.raises(ValueError, match="no tag for the item"):
        coproduction_index(frame, k=3, item_tags={"a": "individual"})
    with pytest.raises(ValueError, match="unknown tag"):
        coproduction_index(frame, k=3, item_tags={"a": "individual", "c": "solo"})
    # Every respondent answering "a" twice is a block layout with a duplicated pair.
    twice = block_answers(3, [("safety", "a"), ("safety", "a")], [1.0], [1, 2, 3])
    with pytest.raises(ValueError, match=r"6 rows answer .* more than once, e\.g\. rows \[0, 1"):
        coproduction_index(twice, k=3)


def test_the_block_path_keeps_unused_categories_out_and_the_sector_dtype() -> None:
    frame = block_answers(3, [("safety", "a"), ("health", "c")], [2.0, np.nan, 1.0], [1, 2, 3])
    frame["sector"] = pd.Categorical(frame["sector"], categories=["safety", "env", "health"])
    frame["item"] = pd.Categorical(frame["item"], categories=["z", "c", "a"])
    result = coproduction_index(frame, k=3, item_tags={"a": "individual", "c": "collective"})
    assert result["sector"].dtype == frame["sector"].dtype
    assert_matches_reference(
        result, reference_index(frame, 3, {"a": "individual", "c": "collective"})
    )


def test_a_bad_score_is_reported_before_other_errors_on_the_block_path() -> None:
    frame = block_answers(3, [("safety", "a"), ("safety", "c")], [1.0, 2.0], [1, 2, 3])
    frame.loc[5, "score"] = -1.0
    with pytest.raises(ValueError, match=r"outside 0\.\.3"):
        coproduction_index(frame, k=3, item_tags={"a": "individual"})
    named = frame.astype({"respondent_id": object})
    named.loc[0, "respondent_id"] = None
    with pytest.raises(ValueError, match=r"outside 0\.\.3"):
        coproduction_index(named, k=3)
    with pytest.raises(ValueError, match="missing values"):
        coproduction_index(named.assign(score=1.0), k=3)


@pytest.mark.parametrize("score", [np.inf, -np.inf, -0.5, 3.0001])
def test_the_block_path_range_checks_every_chunk(score: float) -> None:
    frame = block_answers(
        40, [("safety", "a"), ("health", "b")], [0.0, 3.0, np.nan], list(range(40))
    )
    frame.loc[len(frame) - 1, "score"] = score
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_CHUNK_CELLS", 8)  # many chunks, the bad one last
        with pytest.raises(ValueError, match=rf"outside 0\.\.3: rows \[{len(frame) - 1}\]"):
            coproduction_index(frame, k=3)
