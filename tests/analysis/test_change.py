"""Paired change between a baseline and a follow-up, checked against SciPy by hand."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from coproduce.analysis.change import paired_change


def people(values: list[float], prefix: str = "P") -> dict[str, float]:
    return {f"{prefix}-{n:04d}": value for n, value in enumerate(values)}


def test_a_normal_change_is_tested_with_the_paired_t_test() -> None:
    rng = np.random.default_rng(7)
    before = rng.normal(6, 1.5, 40).round(1)
    after = (before + rng.normal(0.5, 1.0, 40)).round(1)
    result = paired_change(people(list(before)), people(list(after)))
    changes = after - before
    assert result.test == "paired t-test"
    assert "30 or more" in result.test_reason
    assert result.mean_change == pytest.approx(changes.mean())
    expected = stats.ttest_rel(after, before)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.statistic == pytest.approx(expected.statistic)
    half = stats.t.ppf(0.975, 39) * changes.std(ddof=1) / math.sqrt(40)
    assert (result.ci_low, result.ci_high) == pytest.approx(
        (changes.mean() - half, changes.mean() + half)
    )
    assert result.effect_size == pytest.approx(changes.mean() / changes.std(ddof=1))


def test_a_skewed_small_change_is_tested_with_wilcoxon() -> None:
    before = [3.0] * 14
    after = [3.0, 3.0, 4.0, 4.0, 4.0, 4.0, 5.0, 5.0, 5.0, 5.0, 5.0, 12.0, 15.0, 20.0]
    result = paired_change(people(before), people(after))
    assert result.test == "Wilcoxon signed-rank test"
    assert "rejects normal" in result.test_reason
    expected = stats.wilcoxon(np.array(after), np.array(before), zero_method="wilcox")
    assert result.p_value == pytest.approx(expected.pvalue)


def test_attrition_counts_everyone_and_analyses_only_pairs() -> None:
    before = people([5.0] * 15)
    after = dict.fromkeys(list(before)[:12], 6.0)
    after["P-9999"] = 1.0  # seen only at follow-up
    result = paired_change(before, after)
    assert (result.attrition.baseline, result.attrition.follow_up) == (15, 13)
    assert (result.attrition.paired, result.attrition.lost) == (12, 3)
    assert result.attrition.share_lost == pytest.approx(0.2)
    assert result.mean_change == pytest.approx(1.0)
    # Everybody changed by the same amount: nothing to test, and no spread.
    assert result.test is None
    assert result.effect_size is None
    assert result.improved == 1.0


def test_fewer_than_ten_pairs_publish_no_statistic() -> None:
    result = paired_change(people([1.0] * 9), people([2.0] * 9))
    assert result.suppressed
    assert result.mean_change is None
    assert result.attrition.paired == 9


def test_for_loneliness_a_fall_is_an_improvement() -> None:
    before = people([6.0] * 6 + [5.0] * 6)
    after = people([4.0] * 6 + [5.0] * 3 + [7.0] * 3)
    result = paired_change(before, after, higher_is_better=False)
    assert (result.improved, result.same, result.worse) == (0.5, 0.25, 0.25)


def test_missing_scores_are_not_answers_and_impossible_ones_are_refused() -> None:
    before = people([4.0] * 12)
    before["P-0000"] = float("nan")
    result = paired_change(before, people([5.0] * 12))
    assert result.attrition.paired == 11
    with pytest.raises(ValueError, match="not a finite number"):
        paired_change(people([float("inf")] * 12), people([1.0] * 12))


@settings(deadline=None)  # SciPy's first calls are slow; time is not what is tested
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=10)),
        min_size=10,
        max_size=60,
    )
)
def test_shares_add_up_and_the_interval_holds_the_mean_change(
    pairs: list[tuple[int, int]],
) -> None:
    result = paired_change(
        people([float(b) for b, _a in pairs]), people([float(a) for _b, a in pairs])
    )
    assert result.improved is not None
    assert result.same is not None
    assert result.worse is not None
    assert result.improved + result.same + result.worse == pytest.approx(1.0)
    assert result.ci_low is not None
    assert result.ci_high is not None
    assert result.ci_low <= result.mean_change <= result.ci_high  # type: ignore[operator]
    if result.p_value is not None:
        assert 0.0 <= result.p_value <= 1.0


@settings(deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10), min_size=10, max_size=60),
    st.booleans(),
)
def test_identical_waves_show_no_change_and_nobody_improved_or_worse(
    scores: list[int], higher_is_better: bool
) -> None:
    wave = people([float(score) for score in scores])
    result = paired_change(wave, dict(wave), higher_is_better=higher_is_better)
    assert result.attrition.paired == len(scores)
    assert result.mean_change == 0.0
    assert (result.ci_low, result.ci_high) == (0.0, 0.0)
    assert (result.improved, result.same, result.worse) == (0.0, 1.0, 0.0)
    assert result.effect_size is None
    assert result.test is None
    assert result.test_reason == "nobody changed"
