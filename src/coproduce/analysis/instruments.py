"""Scoring the validated instruments of the impact app (issue #7, point 2).

Pure functions (no Django): the arithmetic of each instrument's published scoring rule.
Their wording, sources and licence terms live with the definitions in
``coproduce.impact.instruments``; this module knows only the items' keys and ranges.

Every function checks its answers first and refuses, naming the item, an answer that is
missing, not a whole number or outside the item's range: a score is never computed from
an answer the instrument does not allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class ScoreError(ValueError):
    """An answer an instrument cannot score; ``item`` names it."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(f"{item}: {message}")
        self.item = item


@dataclass(frozen=True)
class ItemRange:
    """The answers one item allows, as whole numbers from ``low`` to ``high``."""

    low: int
    high: int


def check_answers(answers: Mapping[str, object], items: Mapping[str, ItemRange]) -> dict[str, int]:
    """The answers as whole numbers, each within its item's range; ScoreError otherwise."""
    checked: dict[str, int] = {}
    for item, allowed in items.items():
        if item not in answers or answers[item] is None:
            raise ScoreError(item, "no answer")
        value = answers[item]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScoreError(item, f"{value!r} is not a whole number")
        if not allowed.low <= value <= allowed.high:
            raise ScoreError(item, f"{value} is outside {allowed.low}–{allowed.high}")
        checked[item] = value
    return checked


def reverse(value: int, allowed: ItemRange) -> int:
    """A reverse-scored answer: the lowest becomes the highest and so on."""
    return allowed.low + allowed.high - value


def total(
    answers: Mapping[str, object],
    items: Mapping[str, ItemRange],
    reversed_items: Iterable[str] = (),
) -> int:
    """The sum of the items, the reversed ones reverse-scored."""
    checked = check_answers(answers, items)
    flipped = frozenset(reversed_items)
    return sum(
        reverse(value, items[item]) if item in flipped else value for item, value in checked.items()
    )


# --- ONS4 personal wellbeing -----------------------------------------------------------
# Office for National Statistics, "Personal well-being user guidance" (thresholds used in
# its published estimates). Each of the four items is its own measure, 0 to 10.

ONS4_ITEMS = {key: ItemRange(0, 10) for key in ("satisfied", "worthwhile", "happy", "anxious")}
# (upper bound of the band, band) in order; the last band reaches 10.
ONS4_POSITIVE_BANDS = ((4, "low"), (6, "medium"), (8, "high"), (10, "very high"))
ONS4_ANXIETY_BANDS = ((1, "very low"), (3, "low"), (5, "medium"), (10, "high"))


def ons4_item(answers: Mapping[str, object], item: str) -> int:
    """One ONS4 measure: the answer to its item, checked."""
    return check_answers(answers, {item: ONS4_ITEMS[item]})[item]


def ons4_band(item: str, score: int) -> str:
    """The ONS threshold band of a score: anxiety has its own bands (low is good)."""
    check_answers({item: score}, {item: ONS4_ITEMS[item]})
    bands = ONS4_ANXIETY_BANDS if item == "anxious" else ONS4_POSITIVE_BANDS
    return next(band for upper, band in bands if score <= upper)


# --- SWEMWBS ---------------------------------------------------------------------------
# Seven items, 1 ("none of the time") to 5 ("all of the time"), summed to a raw score of
# 7-35, then converted to a metric score with the published Rasch conversion table:
# Stewart-Brown S, Tennant A, Tennant R, Platt S, Parkinson J, Weich S. "Internal
# construct validity of the Warwick-Edinburgh Mental Well-being Scale (WEMWBS): a Rasch
# analysis using data from the Scottish Health Education Population Survey". Health and
# Quality of Life Outcomes 2009;7:15, doi:10.1186/1477-7525-7-15; the table as
# distributed by Warwick Medical School ("SWEMWBS conversion table",
# https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto).

SWEMWBS_ITEMS = {f"item{n}": ItemRange(1, 5) for n in range(1, 8)}
SWEMWBS_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75,
    14: 15.32, 15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59,
    21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11,
    28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55,
    35: 35.00,
}  # fmt: skip


def swemwbs_raw(answers: Mapping[str, object]) -> int:
    return total(answers, SWEMWBS_ITEMS)


def swemwbs_metric(raw: int) -> float:
    """The metric score of a raw SWEMWBS total (7-35)."""
    if raw not in SWEMWBS_METRIC:
        raise ScoreError("raw score", f"{raw} is outside 7–35")
    return SWEMWBS_METRIC[raw]


def swemwbs_score(answers: Mapping[str, object]) -> float:
    return swemwbs_metric(swemwbs_raw(answers))


# --- Three-item loneliness scale -------------------------------------------------------
# Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. "A short scale for measuring loneliness
# in large surveys". Research on Aging 2004;26(6):655-672, as recommended by the ONS
# ("Measuring loneliness: guidance for use of the national indicators on surveys", 2018):
# hardly ever or never = 1, some of the time = 2, often = 3; total 3-9, higher is lonelier.

LONELINESS_ITEMS = {key: ItemRange(1, 3) for key in ("companionship", "left_out", "isolated")}


def loneliness_score(answers: Mapping[str, object]) -> int:
    return total(answers, LONELINESS_ITEMS)


# --- Single items of the Community Life Survey -----------------------------------------
# Belonging: "How strongly do you feel you belong to your immediate neighbourhood?",
# scored 4 (very strongly) to 1 (not at all strongly). Generalised trust: "most people
# can be trusted" = 1, "you can't be too careful" = 0.

BELONGING_ITEMS = {"belonging": ItemRange(1, 4)}
TRUST_ITEMS = {"trust": ItemRange(0, 1)}


def belonging_score(answers: Mapping[str, object]) -> int:
    return total(answers, BELONGING_ITEMS)


def trust_score(answers: Mapping[str, object]) -> int:
    return total(answers, TRUST_ITEMS)


# --- Rosenberg self-esteem scale -------------------------------------------------------
# Rosenberg M. Society and the Adolescent Self-Image. Princeton University Press, 1965.
# Ten items, strongly agree = 3, agree = 2, disagree = 1, strongly disagree = 0 for the
# positively worded items; items 2, 5, 6, 8 and 9 are negatively worded and reverse-scored.
# Total 0-30, higher is higher self-esteem.

ROSENBERG_ITEMS = {f"item{n}": ItemRange(0, 3) for n in range(1, 11)}
ROSENBERG_REVERSED = frozenset({"item2", "item5", "item6", "item8", "item9"})


def rosenberg_score(answers: Mapping[str, object]) -> int:
    return total(answers, ROSENBERG_ITEMS, ROSENBERG_REVERSED)
