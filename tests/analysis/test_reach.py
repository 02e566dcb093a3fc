"""Reach and representativeness: participants' mix against the population's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.reach import (
    REACH_COLUMNS,
    Reach,
    dissimilarity_index,
    reach,
    reach_by_variable,
)

AGE_POPULATION = {"18-34": 300, "35-64": 450, "65+": 250}


def by_group(result: Reach) -> pd.DataFrame:
    return result.table.set_index(list(result.group_columns))


def test_shares_ratios_and_dissimilarity_of_a_hand_computed_example() -> None:
    # p = (.05, .30, .65), q = (.30, .45, .25): D = (.25 + .15 + .40) / 2 = .40
    result = reach({"18-34": 5, "35-64": 30, "65+": 65}, AGE_POPULATION, variable="age_band")
    table = by_group(result)
    assert tuple(result.table.columns) == ("age_band", *REACH_COLUMNS)
    assert table["participants"].tolist() == [5, 30, 65]
    np.testing.assert_allclose(table["participant_share"], [0.05, 0.30, 0.65])
    np.testing.assert_allclose(table["population_share"], [0.30, 0.45, 0.25])
    np.testing.assert_allclose(table["reach_ratio"], [1 / 6, 2 / 3, 2.6])
    np.testing.assert_allclose(table["expected_participants"], [30, 45, 25])
    assert result.dissimilarity == pytest.approx(0.40)
    assert result.participants_total == 100
    assert result.population_total == 1000


def test_a_proportionate_mix_has_reach_ratios_of_one_and_no_dissimilarity() -> None:
    result = reach({"18-34": 30, "35-64": 45, "65+": 25}, AGE_POPULATION)
    np.testing.assert_allclose(result.table["reach_ratio"], 1.0)
    assert result.dissimilarity == pytest.approx(0.0)


def test_a_group_with_no_participants_is_ranked_first_among_the_missing() -> None:
    result = reach({"35-64": 30, "65+": 70}, AGE_POPULATION)
    missing = result.who_is_missing()
    assert missing["group"].tolist() == ["18-34", "35-64", "65+"]
    assert missing["no_participants"].tolist() == [True, False, False]
    assert missing.loc[0, "participants"] == 0
    assert missing.loc[0, "reach_ratio"] == 0.0


def test_groups_equally_missing_are_ranked_by_population_share() -> None:
    result = reach({"65+": 10}, AGE_POPULATION)
    assert result.who_is_missing()["group"].tolist() == ["35-64", "18-34", "65+"]


def test_who_is_missing_ranks_by_reach_ratio_ascending() -> None:
    result = reach({"18-34": 20, "35-64": 10, "65+": 70}, AGE_POPULATION)
    assert result.who_is_missing()["group"].tolist() == ["35-64", "18-34", "65+"]


def test_a_group_with_no_population_has_no_reach_ratio_and_comes_last() -> None:
    result = reach({"18-34": 10, "35-64": 20}, {**AGE_POPULATION, "other": 0})
    missing = result.who_is_missing()
    assert missing["group"].iloc[-1] == "other"
    assert np.isnan(missing["reach_ratio"].iloc[-1])


def test_several_variables_give_one_table_each_from_a_cross_classified_count() -> None:
    participants = pd.DataFrame(
        {
            "age_band": ["18-34", "18-34", "65+", "65+"],
            "sex": ["female", "male", "female", "male"],
            "count": [3, 2, 40, 25],
        }
    )
    population = pd.DataFrame(
        {
            "age_band": ["18-34", "18-34", "35-64", "35-64", "65+", "65+"],
            "sex": ["female", "male"] * 3,
            "count": [150, 150, 230, 220, 130, 120],
        }
    )
    tables = reach_by_variable(participants, population, ["age_band", "sex", ["age_band", "sex"]])
    assert list(tables) == ["age_band", "sex", "age_band:sex"]
    age = by_group(tables["age_band"])
    assert age["participants"].tolist() == [5, 0, 65]
    assert age["population"].tolist() == [300, 450, 250]
    sex = by_group(tables["sex"])
    assert sex["participants"].tolist() == [43, 27]
    # p = (43/70, 27/70), q = (.51, .49): D = |43/70 - .51|
    assert tables["sex"].dissimilarity == pytest.approx(abs(43 / 70 - 0.51))
    both = tables["age_band:sex"]
    assert both.group_columns == ("age_band", "sex")
    assert len(both.table) == 6
    assert by_group(both).loc[("35-64", "male"), "no_participants"]


def test_one_row_per_participant_is_counted_and_unknown_groups_are_set_aside() -> None:
    people = pd.DataFrame({"sex": ["female"] * 6 + ["male"] * 4 + [None] * 2})
    population = pd.DataFrame({"sex": ["female", "male"], "count": [500, 500]})
    result = reach_by_variable(people, population, ["sex"], participants_count=None)["sex"]
    assert by_group(result)["participants"].tolist() == [6, 4]
    assert result.participants_unknown == 2
    assert result.dissimilarity == pytest.approx(0.1)


def test_the_public_variant_suppresses_counts_below_the_threshold() -> None:
    result = reach({"18-34": 4, "35-64": 7, "65+": 89}, AGE_POPULATION)
    public = result.public().set_index("group")
    assert public["suppressed"].tolist() == [True, True, False]
    assert public["participants"].isna().tolist() == [True, True, False]
    assert public["participant_share"].isna().tolist() == [True, True, False]
    assert public["reach_ratio"].isna().tolist() == [True, True, False]
    assert public.loc["65+", "participants"] == 89
    assert public["population"].tolist() == [300, 450, 250]


def test_a_lone_small_count_also_hides_the_next_smallest_so_the_total_cannot_reveal_it() -> None:
    result = reach({"18-34": 3, "35-64": 40, "65+": 57}, AGE_POPULATION)
    public = result.public().set_index("group")
    assert public["suppressed"].tolist() == [True, True, False]


def test_zero_counts_stay_visible_in_the_public_variant() -> None:
    result = reach({"35-64": 40, "65+": 60}, AGE_POPULATION)
    public = result.public().set_index("group")
    assert public.loc["18-34", "participants"] == 0
    assert not public["suppressed"].any()


def test_the_suppression_threshold_can_be_changed() -> None:
    result = reach({"18-34": 12, "35-64": 30, "65+": 58}, AGE_POPULATION)
    assert not result.public()["suppressed"].any()
    assert result.public(threshold=20)["suppressed"].tolist() == [True, True, False]
    with pytest.raises(ValueError, match="positive integer"):
        result.public(threshold=0)


def test_the_public_variant_leaves_the_full_table_untouched() -> None:
    result = reach({"18-34": 4, "35-64": 40, "65+": 56}, AGE_POPULATION)
    result.public()
    assert result.table["participants"].tolist() == [4, 40, 56]


def test_participants_in_a_group_missing_from_the_population_are_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match=r"missing from the population.*\['85\+'\]"):
        reach({"18-34": 5, "85+": 3}, AGE_POPULATION, variable="age_band")


def test_participants_in_a_group_whose_population_is_zero_are_an_error() -> None:
    with pytest.raises(ValueError, match=r"population is 0.*\['other'\]"):
        reach({"18-34": 5, "other": 1}, {**AGE_POPULATION, "other": 0})


def test_a_zero_population_total_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"population total .* is 0"):
        reach({"18-34": 5}, dict.fromkeys(AGE_POPULATION, 0))


def test_no_participants_at_all_is_an_error() -> None:
    with pytest.raises(ValueError, match="no participants"):
        reach({"18-34": 0}, AGE_POPULATION)


@pytest.mark.parametrize(
    ("participants", "population", "message"),
    [
        ({"18-34": -1, "65+": 5}, AGE_POPULATION, r"participants counts are negative.*18-34"),
        ({"18-34": 5}, {**AGE_POPULATION, "65+": -250}, r"population counts are negative.*65\+"),
        ({"18-34": 2.5}, AGE_POPULATION, "whole numbers"),
        ({"18-34": float("nan")}, AGE_POPULATION, "present and finite"),
        ({"18-34": 5}, {}, "population .* is empty"),
    ],
)
def test_bad_counts_are_errors(
    participants: dict[str, float], population: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        reach(participants, population)


def test_a_grouping_column_missing_from_either_frame_is_an_error() -> None:
    participants = pd.DataFrame({"sex": ["female"], "count": [3]})
    population = pd.DataFrame({"age_band": ["18-34"], "count": [100]})
    with pytest.raises(ValueError, match=r"population lack columns \['sex'\]"):
        reach_by_variable(participants, population, ["sex"])


def test_population_rows_without_a_group_are_an_error() -> None:
    participants = pd.DataFrame({"sex": ["female"], "count": [3]})
    population = pd.DataFrame({"sex": ["female", None], "count": [100, 50]})
    with pytest.raises(ValueError, match="population rows without a group"):
        reach_by_variable(participants, population, ["sex"])


def test_dissimilarity_of_two_disjoint_mixes_is_one() -> None:
    assert dissimilarity_index([10, 0], [0, 7]) == pytest.approx(1.0)


counts = st.lists(st.integers(0, 10_000), min_size=1, max_size=12)


@given(pairs=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 10_000)), min_size=1))
def test_dissimilarity_lies_between_zero_and_one(pairs: list[tuple[int, int]]) -> None:
    a = [p for p, _ in pairs]
    b = [q for _, q in pairs]
    if sum(a) == 0:
        a[0] = 1
    d = dissimilarity_index(a, b)
    assert 0.0 <= d <= 1.0
    # D is also the largest share gap over any set of groups (here: the over-represented).
    p = np.array(a) / sum(a)
    q = np.array(b) / sum(b)
    assert d == pytest.approx(float(np.clip(p - q, 0, None).sum()), abs=1e-12)


@given(population=counts.filter(lambda c: sum(c) > 0), factor=st.integers(1, 50))
def test_dissimilarity_is_zero_when_the_mixes_are_equal(population: list[int], factor: int) -> None:
    groups = {f"g{i}": n for i, n in enumerate(population)}
    result = reach({g: n * factor for g, n in groups.items()}, groups)
    assert result.dissimilarity == pytest.approx(0.0, abs=1e-12)
    shares = result.table["participant_share"]
    assert shares.sum() == pytest.approx(1.0)


@given(participants=counts.filter(lambda c: sum(c) > 0))
def test_shares_sum_to_one_and_reach_ratios_average_to_one_weighted_by_population(
    participants: list[int],
) -> None:
    population = {f"g{i}": 100 + i for i in range(len(participants))}
    result = reach({f"g{i}": n for i, n in enumerate(participants)}, population)
    table = result.table
    assert table["participant_share"].sum() == pytest.approx(1.0)
    assert (table["population_share"] * table["reach_ratio"]).sum() == pytest.approx(1.0)
    assert table["no_participants"].tolist() == [n == 0 for n in participants]
