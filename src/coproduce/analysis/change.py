"""Paired change in an outcome between a baseline and a follow-up (issue #7, point 3).

Pure functions (no Django). The same people answer an instrument (a wellbeing or
loneliness scale, say) at baseline and at follow-up, linked by their pseudonymous
reference. For one indicator this module reports:

* **attrition**: how many answered at baseline, at follow-up, and both (only pairs are
  analysed; people seen once are counted, never imputed);
* the mean before, after and of the change (after - before), with the **95% confidence
  interval** of the mean change from the t distribution;
* the **effect size** Cohen's d_z: the mean change over the standard deviation of the
  changes (how large the change is against how much it varies between people);
* a **paired test**, chosen and stated: the paired t-test when there are at least 30
  pairs (the mean change is then near normal whatever the scores' shape) or when a
  Shapiro-Wilk test does not reject normality of the changes at 5 %; otherwise the
  Wilcoxon signed-rank test (pairs with no change are dropped from it, the usual
  "wilcox" treatment). When nobody changed there is nothing to test;
* the **shares improved, the same and worse**, where "improved" follows the indicator's
  direction (``higher_is_better=False`` for loneliness);
* **suppression**: fewer than 10 pairs publish no statistic at all, only the counts of
  attrition, because small groups can point to a person.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy import stats

MIN_PAIRS = 10
T_TEST_FROM = 30
NORMALITY_ALPHA = 0.05

Test = Literal["paired t-test", "Wilcoxon signed-rank test"]


@dataclass(frozen=True)
class Attrition:
    baseline: int
    follow_up: int
    paired: int

    @property
    def lost(self) -> int:
        """People seen at baseline and not at follow-up."""
        return self.baseline - self.paired

    @property
    def share_lost(self) -> float | None:
        return self.lost / self.baseline if self.baseline else None


@dataclass(frozen=True)
class PairedChange:
    attrition: Attrition
    suppressed: bool
    mean_before: float | None = None
    mean_after: float | None = None
    mean_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    effect_size: float | None = None
    test: Test | None = None
    test_reason: str = ""
    statistic: float | None = None
    p_value: float | None = None
    improved: float | None = None
    same: float | None = None
    worse: float | None = None


def _scores(values: Mapping[str, float], name: str) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    for person, score in values.items():
        if score is None or (isinstance(score, float) and math.isnan(score)):
            continue
        if not math.isfinite(float(score)):
            raise ValueError(f"{name} score of {person} is not a finite number: {score!r}")
        cleaned[person] = float(score)
    return cleaned


def _choose_test(changes: np.ndarray) -> tuple[Test, str]:
    n = len(changes)
    if n >= T_TEST_FROM:
        return "paired t-test", f"{n} pairs (30 or more): the mean change is near normal"
    _w, p_normal = stats.shapiro(changes)
    if p_normal >= NORMALITY_ALPHA:
        return (
            "paired t-test",
            f"{n} pairs; Shapiro-Wilk does not reject normal changes (p = {p_normal:.3f})",
        )
    return (
        "Wilcoxon signed-rank test",
        f"{n} pairs; Shapiro-Wilk rejects normal changes (p = {p_normal:.3f})",
    )


def paired_change(
    baseline: Mapping[str, float],
    follow_up: Mapping[str, float],
    *,
    higher_is_better: bool = True,
    min_pairs: int = MIN_PAIRS,
) -> PairedChange:
    """The change of one indicator between two waves, keyed by participant reference.

    Missing scores (``None`` or NaN) count as not answered at that wave.
    """
    before, after = _scores(baseline, "baseline"), _scores(follow_up, "follow-up")
    people = sorted(set(before) & set(after))
    attrition = Attrition(baseline=len(before), follow_up=len(after), paired=len(people))
    if len(people) < min_pairs:
        return PairedChange(attrition=attrition, suppressed=True)
    x = np.array([before[p] for p in people])
    y = np.array([after[p] for p in people])
    changes = y - x
    n = len(changes)
    mean = float(changes.mean())
    sd = float(changes.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    signed = changes if higher_is_better else -changes
    result = PairedChange(
        attrition=attrition,
        suppressed=False,
        mean_before=float(x.mean()),
        mean_after=float(y.mean()),
        mean_change=mean,
        ci_low=mean - half,
        ci_high=mean + half,
        effect_size=mean / sd if sd > 0 else None,
        improved=float((signed > 0).mean()),
        same=float((signed == 0).mean()),
        worse=float((signed < 0).mean()),
    )
    if sd == 0:
        reason = "nobody changed" if mean == 0 else "every pair changed by the same amount"
        return replace(result, test_reason=reason)
    test, reason = _choose_test(changes)
    if test == "paired t-test":
        outcome = stats.ttest_rel(y, x)
    else:
        outcome = stats.wilcoxon(y, x, zero_method="wilcox")
    return replace(
        result,
        test=test,
        test_reason=reason,
        statistic=float(outcome.statistic),
        p_value=float(outcome.pvalue),
    )
