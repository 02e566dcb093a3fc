"""The instruments' scoring rules, against hand-worked examples and their properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.instruments import (
    BELONGING_ITEMS,
    LONELINESS_ITEMS,
    ONS4_ITEMS,
    ROSENBERG_ITEMS,
    SWEMWBS_ITEMS,
    SWEMWBS_METRIC,
    TRUST_ITEMS,
    ItemRange,
    ScoreError,
    belonging_score,
    loneliness_score,
    ons4_band,
    ons4_item,
    reverse,
    rosenberg_score,
    swemwbs_metric,
    swemwbs_raw,
    swemwbs_score,
    trust_score,
)


def answers_for(items: dict[str, ItemRange]) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {key: st.integers(allowed.low, allowed.high) for key, allowed in items.items()}
    )


# --- hand-worked examples --------------------------------------------------------------


def test_swemwbs_sums_the_seven_items_then_converts_the_raw_score() -> None:
    # 3 + 4 + 3 + 4 + 3 + 3 + 4 = 24, which the published table turns into 21.54.
    answers = dict(zip(SWEMWBS_ITEMS, [3, 4, 3, 4, 3, 3, 4], strict=True))
    assert swemwbs_raw(answers) == 24
    assert swemwbs_score(answers) == 21.54


def test_the_swemwbs_table_runs_from_7_to_35_and_always_rises() -> None:
    assert sorted(SWEMWBS_METRIC) == list(range(7, 36))
    assert swemwbs_metric(7) == 7.00
    assert swemwbs_metric(35) == 35.00
    values = [SWEMWBS_METRIC[raw] for raw in range(7, 36)]
    assert values == sorted(values)
    assert len(set(values)) == len(values)


def test_a_swemwbs_raw_score_outside_7_to_35_is_refused() -> None:
    with pytest.raises(ScoreError, match="raw score: 36 is outside 7–35"):
        swemwbs_metric(36)


def test_rosenberg_reverse_scores_items_2_5_6_8_and_9() -> None:
    # "Strongly agree" (3) to every item: the five positive items give 3 each (15) and
    # the five reversed items give 0 each, so 15.
    assert rosenberg_score(dict.fromkeys(ROSENBERG_ITEMS, 3)) == 15
    # Agreeing with every positive item and disagreeing strongly with every negative one
    # is the highest self-esteem: 30.
    best = {key: 0 if key in {"item2", "item5", "item6", "item8", "item9"} else 3
            for key in ROSENBERG_ITEMS}  # fmt: skip
    assert rosenberg_score(best) == 30
    # A worked mix: item1 = 2, item2 = 1 (reversed to 2), the rest 0 (reversed items to 3):
    # 2 + 2 + 0 + 0 + 3 + 3 + 0 + 3 + 3 + 0 = 16.
    mixed = dict.fromkeys(ROSENBERG_ITEMS, 0) | {"item1": 2, "item2": 1}
    assert rosenberg_score(mixed) == 16


def test_loneliness_totals_three_items_from_3_to_9() -> None:
    assert loneliness_score({"companionship": 1, "left_out": 2, "isolated": 3}) == 6


def test_ons4_bands_follow_the_ons_thresholds() -> None:
    assert [ons4_band("satisfied", s) for s in (0, 4, 5, 6, 7, 8, 9, 10)] == [
        "low", "low", "medium", "medium", "high", "high", "very high", "very high",
    ]  # fmt: skip
    assert [ons4_band("anxious", s) for s in (0, 1, 2, 3, 4, 5, 6, 10)] == [
        "very low", "very low", "low", "low", "medium", "medium", "high", "high",
    ]  # fmt: skip


def test_single_items_score_as_answered() -> None:
    assert ons4_item({"satisfied": 7, "happy": 2}, "satisfied") == 7
    assert belonging_score({"belonging": 4}) == 4
    assert trust_score({"trust": 0}) == 0


# --- bad input: the error names the item -----------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"companionship": 1, "left_out": 4, "isolated": 1}, "left_out: 4 is outside 1–3"),
        ({"companionship": 1, "isolated": 1}, "left_out: no answer"),
        ({"companionship": 1, "left_out": None, "isolated": 1}, "left_out: no answer"),
        ({"companionship": "2", "left_out": 1, "isolated": 1}, "companionship: '2' is not a whole"),
        ({"companionship": True, "left_out": 1, "isolated": 1}, "companionship: True is not"),
    ],
)
def test_a_bad_answer_is_refused_naming_its_item(answers: dict[str, object], message: str) -> None:
    with pytest.raises(ScoreError, match=message) as caught:
        loneliness_score(answers)
    assert caught.value.item in LONELINESS_ITEMS


def test_an_ons4_score_of_11_is_refused() -> None:
    with pytest.raises(ScoreError, match="anxious: 11 is outside 0–10"):
        ons4_band("anxious", 11)


# --- properties --------------------------------------------------------------------------


@given(answers_for(SWEMWBS_ITEMS))
def test_a_swemwbs_score_is_always_between_7_and_35(answers: dict[str, int]) -> None:
    assert 7 <= swemwbs_score(answers) <= 35
    assert 7 <= swemwbs_raw(answers) <= 35


@given(answers_for(ROSENBERG_ITEMS))
def test_a_rosenberg_score_is_always_between_0_and_30(answers: dict[str, int]) -> None:
    assert 0 <= rosenberg_score(answers) <= 30


@given(answers_for(ROSENBERG_ITEMS))
def test_answering_the_opposite_of_everything_mirrors_the_rosenberg_score(
    answers: dict[str, int],
) -> None:
    opposite = {key: 3 - value for key, value in answers.items()}
    assert rosenberg_score(answers) + rosenberg_score(opposite) == 30


@given(answers_for(LONELINESS_ITEMS))
def test_a_loneliness_score_is_always_between_3_and_9(answers: dict[str, int]) -> None:
    assert 3 <= loneliness_score(answers) <= 9


@given(answers_for({**BELONGING_ITEMS, **TRUST_ITEMS}))
def test_single_items_stay_within_their_range(answers: dict[str, int]) -> None:
    assert 1 <= belonging_score(answers) <= 4
    assert 0 <= trust_score(answers) <= 1


@given(st.integers(-5, 20), st.integers(0, 10))
def test_reverse_scoring_twice_is_the_identity(low: int, width: int) -> None:
    allowed = ItemRange(low, low + width)
    for value in range(allowed.low, allowed.high + 1):
        assert reverse(reverse(value, allowed), allowed) == value
        assert allowed.low <= reverse(value, allowed) <= allowed.high


@given(answers_for(SWEMWBS_ITEMS), st.sampled_from(sorted(SWEMWBS_ITEMS)))
def test_one_more_point_on_any_swemwbs_item_never_lowers_the_score(
    answers: dict[str, int], item: str
) -> None:
    if answers[item] < 5:
        assert swemwbs_score(answers | {item: answers[item] + 1}) > swemwbs_score(answers)


@given(answers_for(ONS4_ITEMS), st.sampled_from(sorted(ONS4_ITEMS)), st.integers(11, 100))
def test_any_ons4_answer_above_10_is_refused(answers: dict[str, int], item: str, bad: int) -> None:
    with pytest.raises(ScoreError) as caught:
        ons4_item(answers | {item: bad}, item)
    assert caught.value.item == item
