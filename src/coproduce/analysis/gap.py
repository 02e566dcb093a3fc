"""The perception gap: what officials expect against what citizens report.

The five-country survey (DOMAIN.md, "Measuring co-production") found that citizens report
far more co-production than local officials expect. For each sector ``s`` this module
compares the officials' mean expectation

    officials_mean_s = (1 / m_s) * sum_k e_ks       (k = officials who answered for s)

with the citizens' weighted estimate ``c_s`` and its confidence interval
``[L_s, U_s]``, both supplied by the caller (the module does not care how they were
computed, e.g. a design-based mean of the co-production index or a weighted share):

    gap_s        = officials_mean_s - c_s          (negative: officials under-estimate)
    outside_ci_s = officials_mean_s < L_s  or  officials_mean_s > U_s

``outside_ci`` is descriptive: it treats the officials' mean as a fixed benchmark and
ignores its own sampling error, which is usually fine because officials are a small
census of the people responsible for the area rather than a sample.

Both inputs must be on the same scale, chosen with ``scale``: ``"index"`` (the
co-production index, 0..100) or ``"share"`` (the proportion of residents who co-produce,
0..1).

Handling of incomplete input (documented choices):

* a sector with officials' answers but no citizens' estimate is reported, not dropped:
  its citizen columns and ``gap`` are ``NaN``, ``outside_ci`` is ``<NA>`` and
  ``citizens_missing`` is ``True`` (pass ``on_missing="raise"`` to get a ValueError);
* a sector with a citizens' estimate but no officials' answers is reported with
  ``officials_n = 0`` and ``officials_mean``/``gap`` ``NaN``;
* a blank (``NaN``) expectation means the official did not answer for that sector: it is
  left out of the mean and counted in ``officials_blank``;
* out-of-range values, an official answering the same sector twice, a sector listed twice
  by the citizens, an inverted or non-covering CI, and empty input raise ValueError.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Scale = Literal["index", "share"]

#: Upper bound of each scale (the lower bound is 0 for both).
SCALE_MAX: dict[str, float] = {"index": 100.0, "share": 1.0}

OFFICIALS_COLUMNS = ("respondent_id", "sector", "expected_index")
CITIZENS_COLUMNS = ("sector", "citizens_estimate", "ci_low", "ci_high")

#: Columns of the table returned by :func:`perception_gap`, in order.
GAP_COLUMNS = (
    "sector",
    "citizens_estimate",
    "ci_low",
    "ci_high",
    "officials_mean",
    "officials_n",
    "officials_blank",
    "gap",
    "outside_ci",
    "citizens_missing",
)


def perception_gap(
    officials: pd.DataFrame,
    citizens: pd.DataFrame,
    *,
    scale: Scale = "index",
    on_missing: Literal["flag", "raise"] = "flag",
) -> pd.DataFrame:
    """Compare officials' expectations with the citizens' estimate, sector by sector.

    Args:
        officials: Long frame, one row per official and sector, with columns
            ``respondent_id``, ``sector`` and ``expected_index`` (on ``scale``; the column
            keeps this name for shares too).
        citizens: One row per sector with ``sector``, ``citizens_estimate``, ``ci_low``,
            ``ci_high`` (on ``scale``).
        scale: ``"index"`` (0..100) or ``"share"`` (0..1).
        on_missing: What to do with a sector the officials answered but the citizens'
            table lacks: ``"flag"`` (report it with ``NaN`` and ``citizens_missing``) or
            ``"raise"``.

    Returns:
        One row per sector (officials' and citizens' sectors together, in order of first
        appearance, citizens first) with columns :data:`GAP_COLUMNS`.
        ``officials_n`` and ``officials_blank`` are integers, ``outside_ci`` is a nullable
        boolean, ``citizens_missing`` a boolean.

    Raises:
        ValueError: on empty input, missing columns, out-of-range values, duplicates, a
            CI that does not contain its estimate, or (with ``on_missing="raise"``) a sector
            without a citizens' estimate.
    """
    if scale not in SCALE_MAX:
        raise ValueError(f"scale must be 'index' or 'share', got {scale!r}")
    if on_missing not in ("flag", "raise"):
        raise ValueError(f"on_missing must be 'flag' or 'raise', got {on_missing!r}")
    _check_officials(officials, scale)
    _check_citizens(citizens, scale)
    summary = _summarise_officials(officials)
    lacking = [s for s in summary.index if s not in set(citizens["sector"])]
    if lacking and on_missing == "raise":
        raise ValueError(f"sectors with officials' answers but no citizens' estimate: {lacking}")
    return _combine(citizens, summary)


def _check_columns(frame: pd.DataFrame, wanted: tuple[str, ...], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"the {what} must be a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in wanted if c not in frame.columns]
    if absent:
        raise ValueError(f"the {what} lack columns {absent}")
    if len(frame) == 0:
        raise ValueError(f"the {what} are empty")


def _numeric(series: pd.Series, what: str) -> pd.Series:
    try:
        return pd.to_numeric(series, errors="raise").astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numeric") from None


def _check_range(values: pd.Series, scale: Scale, what: str) -> None:
    top = SCALE_MAX[scale]
    bad = values[(values < 0) | (values > top)]
    if len(bad):
        hint = " (shares are 0..1; use scale='index' for 0..100)" if scale == "share" else ""
        raise ValueError(
            f"{what} outside 0..{top:g} on the {scale!r} scale: {bad.tolist()[:5]}{hint}"
        )


def _check_officials(officials: pd.DataFrame, scale: Scale) -> None:
    _check_columns(officials, OFFICIALS_COLUMNS, "officials' estimates")
    if officials["sector"].isna().any() or officials["respondent_id"].isna().any():
        raise ValueError("officials' estimates have rows without a sector or respondent_id")
    expected = _numeric(officials["expected_index"], "officials' expected_index")
    if expected.notna().sum() == 0:
        raise ValueError("officials' estimates hold no answers: every expected_index is blank")
    _check_range(expected.dropna(), scale, "officials' expected values")
    repeated = officials.duplicated(["respondent_id", "sector"], keep=False)
    if repeated.any():
        pairs = officials.loc[repeated, ["respondent_id", "sector"]].drop_duplicates()
        raise ValueError(
            "officials answered the same sector more than once (respondent_id, sector): "
            f"{list(pairs.itertuples(index=False, name=None))[:5]}"
        )


def _check_citizens(citizens: pd.DataFrame, scale: Scale) -> None:
    _check_columns(citizens, CITIZENS_COLUMNS, "citizens' estimates")
    if citizens["sector"].isna().any():
        raise ValueError("citizens' estimates have rows without a sector")
    repeated = citizens.loc[citizens["sector"].duplicated(), "sector"].unique().tolist()
    if repeated:
        raise ValueError(f"citizens' estimates list sectors more than once: {repeated}")
    values = {c: _numeric(citizens[c], f"citizens' {c}") for c in CITIZENS_COLUMNS[1:]}
    for name, column in values.items():
        if column.isna().any() or np.isinf(column).any():
            raise ValueError(f"citizens' {name} must be present and finite for every sector")
        _check_range(column, scale, f"citizens' {name}")
    inside = (values["ci_low"] <= values["citizens_estimate"]) & (
        values["citizens_estimate"] <= values["ci_high"]
    )
    if not inside.all():
        wrong = citizens.loc[~inside, "sector"].tolist()
        raise ValueError(f"citizens' CI must satisfy ci_low <= estimate <= ci_high: {wrong}")


def _summarise_officials(officials: pd.DataFrame) -> pd.DataFrame:
    expected = _numeric(officials["expected_index"], "officials' expected_index")
    grouped = expected.groupby(officials["sector"].to_numpy(), sort=False)
    return pd.DataFrame(
        {
            "officials_mean": grouped.mean(),
            "officials_n": grouped.count(),
            "officials_blank": grouped.size() - grouped.count(),
        }
    )


def _combine(citizens: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    numbers = dict.fromkeys(CITIZENS_COLUMNS[1:], float)
    left = citizens.loc[:, list(CITIZENS_COLUMNS)].astype(numbers)
    merged = left.merge(summary, left_on="sector", right_index=True, how="outer", sort=False)
    order = list(dict.fromkeys([*citizens["sector"], *summary.index]))
    merged = merged.set_index("sector").loc[order].reset_index()
    merged["officials_n"] = merged["officials_n"].fillna(0).astype(int)
    merged["officials_blank"] = merged["officials_blank"].fillna(0).astype(int)
    merged["gap"] = merged["officials_mean"] - merged["citizens_estimate"]
    outside = (merged["officials_mean"] < merged["ci_low"]) | (
        merged["officials_mean"] > merged["ci_high"]
    )
    known = merged["officials_mean"].notna() & merged["citizens_estimate"].notna()
    merged["outside_ci"] = pd.array(outside.where(known, None).tolist(), dtype="boolean")
    merged["citizens_missing"] = merged["citizens_estimate"].isna()
    return merged.loc[:, list(GAP_COLUMNS)]
