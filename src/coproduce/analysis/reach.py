"""Reach and representativeness: who takes part, and who is missing.

Capability to co-produce is unequally spread (DOMAIN.md, "What makes engagement work"):
better-off, retired, socially active people take part more, vulnerable and excluded people
less. This module compares the demographic mix of an activity's participants with the
mix of the area's population, one grouping variable at a time.

For groups ``i = 1..k`` with participant counts ``a_i`` (total ``A``) and population counts
``b_i`` (total ``B``):

    participant_share     p_i = a_i / A
    population_share      q_i = b_i / B
    reach_ratio           r_i = p_i / q_i      (1 = proportionate, < 1 under-represented)
    expected_participants e_i = q_i * A        (participants a proportionate mix would have)

and the **index of dissimilarity** (Duncan & Duncan 1955, "A methodological analysis of
segregation indexes", *American Sociological Review* 20(2):210-217)

    D = 1/2 * sum_i |p_i - q_i|,   0 <= D <= 1,

the share of participants who would have to belong to another group for their mix to
match the population's (0: identical mixes; 1: no overlap at all).

"Who is missing" ranks the groups by reach ratio, most under-represented first; groups
without any participant are flagged (``no_participants``) and, having ``r_i = 0``, come
first. Ties are broken by population share, largest first, because a big missing group
matters more.

Small numbers (:meth:`Reach.public`): a published table must not let anyone single out a
participant, so groups with ``0 < a_i < threshold`` (default 10) have their count, share
and reach ratio suppressed (primary suppression). Because the total number of participants
is normally published, a single suppressed group could be recovered by subtraction, so when
exactly one group is suppressed the next-smallest group with participants is suppressed too
(secondary suppression). Zero counts are shown: "nobody from this group took part" is the
finding the table exists for, and it identifies no one. ``D`` and the totals are not part of
the public table; ``D`` is computed from the full counts and should be rounded if
published next to it.

Bad input raises :class:`ValueError` naming the problem: participants in a group the
population does not have (or where it is 0), negative, missing or fractional participant
counts, negative or missing population counts, a zero total on either side, empty input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

#: Groups with fewer participants than this are suppressed in :meth:`Reach.public`.
SMALL_NUMBER_THRESHOLD = 10

#: Measure columns of :attr:`Reach.table`, after the group column(s).
REACH_COLUMNS = (
    "participants",
    "participant_share",
    "population",
    "population_share",
    "reach_ratio",
    "expected_participants",
    "no_participants",
)


@dataclass(frozen=True)
class Reach:
    """Participants' mix against the population's for one grouping variable.

    Attributes:
        variable: Name of the grouping (``"age_band"``, or ``"age_band:sex"``).
        group_columns: The column(s) of :attr:`table` that name the group.
        table: One row per population group, in the population's order: the group
            column(s), then :data:`REACH_COLUMNS`.
        dissimilarity: Duncan's index of dissimilarity ``D`` in [0, 1].
        participants_total: ``A``, participants with a known group.
        population_total: ``B``.
        participants_unknown: Participants left out because their group was not recorded.
    """

    variable: str
    group_columns: tuple[str, ...]
    table: pd.DataFrame
    dissimilarity: float
    participants_total: int
    population_total: float
    participants_unknown: int = 0

    def who_is_missing(self) -> pd.DataFrame:
        """Groups by reach ratio ascending (ties: larger population share first).

        Groups with a population of 0 (and so no reach ratio) come last.
        """
        ranked = self.table.sort_values(
            ["reach_ratio", "population_share"],
            ascending=[True, False],
            na_position="last",
            kind="stable",
        )
        return ranked.reset_index(drop=True)

    def public(self, threshold: int = SMALL_NUMBER_THRESHOLD) -> pd.DataFrame:
        """The table with small participant counts suppressed (see the module docstring).

        ``participants`` becomes a nullable integer (``<NA>`` where suppressed),
        ``participant_share`` and ``reach_ratio`` become ``NaN`` there (either would give
        the count back), and a boolean ``suppressed`` column is added.
        """
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
            raise ValueError(f"threshold must be a positive integer, got {threshold!r}")
        hidden = _suppressed(self.table["participants"], threshold)
        out = self.table.copy()
        out["participants"] = out["participants"].astype("Int64").mask(hidden)
        out["participant_share"] = out["participant_share"].mask(hidden)
        out["reach_ratio"] = out["reach_ratio"].mask(hidden)
        out["suppressed"] = hidden
        return out


def dissimilarity_index(participants: Sequence[float], population: Sequence[float]) -> float:
    """Duncan & Duncan's (1955) ``D = 1/2 * sum_i |a_i / A - b_i / B|``.

    Args:
        participants: Counts ``a_i`` per group.
        population: Counts ``b_i`` for the same groups, in the same order.

    Returns:
        ``D`` in [0, 1].
    """
    a = np.asarray(participants, dtype=float)
    b = np.asarray(population, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError("participants and population must be equal-length, non-empty lists")
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("counts must be non-negative")
    if a.sum() == 0 or b.sum() == 0:
        raise ValueError("both totals must be positive")
    return float(min(1.0, 0.5 * np.abs(a / a.sum() - b / b.sum()).sum()))


def reach(
    participants: pd.Series | Mapping[Any, float],
    population: pd.Series | Mapping[Any, float],
    *,
    variable: str = "group",
) -> Reach:
    """Reach of one grouping: counts per group on both sides, keyed by group.

    Args:
        participants: Participant count per group; groups absent here count as 0.
        population: Population count per group (every group of the area).
        variable: Name of the grouping, used for the group column of the table.

    Returns:
        A :class:`Reach`.

    Raises:
        ValueError: see the module docstring.
    """
    a = _as_counts(participants, "participants")
    b = _as_counts(population, "population")
    for name, counts in (("participants", a), ("population", b)):
        if counts.index.duplicated().any():
            repeated = counts.index[counts.index.duplicated()].unique().tolist()
            raise ValueError(f"{name} list groups more than once: {repeated}")
    return _reach(a, b, variable, (variable,), unknown=0)


def reach_by_variable(
    participants: pd.DataFrame,
    population: pd.DataFrame,
    variables: Sequence[str | Sequence[str]],
    *,
    participants_count: str | None = "count",
    population_count: str = "count",
) -> dict[str, Reach]:
    """Reach for several groupings at once, one :class:`Reach` per grouping.

    Both frames may be cross-classified (e.g. one row per age band and sex with a count);
    each grouping aggregates them. A grouping is a column name (``"age_band"``) or a list
    of names for a cross-classification (``["age_band", "sex"]``, keyed
    ``"age_band:sex"``).

    Args:
        participants: Participant counts by group, or one row per participant when
            ``participants_count`` is ``None``. Rows whose group is missing for a grouping
            are left out of that grouping and counted in ``participants_unknown``.
        population: Population counts by group; no group may be missing.
        variables: The groupings.
        participants_count: Count column of ``participants``, or ``None``.
        population_count: Count column of ``population``.

    Returns:
        ``{name: Reach}`` in the order of ``variables``.
    """
    if len(variables) == 0:
        raise ValueError("no grouping variables given")
    if participants_count is None:
        participants = participants.assign(_count=1)
        participants_count = "_count"
    out: dict[str, Reach] = {}
    for grouping in variables:
        columns = (grouping,) if isinstance(grouping, str) else tuple(grouping)
        name = ":".join(columns)
        _require_columns(participants, [*columns, participants_count], "participants")
        _require_columns(population, [*columns, population_count], "population")
        if len(population) and population[list(columns)].isna().any(axis=None):
            raise ValueError(f"population rows without a group for {name!r}")
        known = participants[list(columns)].notna().all(axis=1)
        unknown = _as_counts(participants.loc[~known, participants_count], "participants").sum()
        a = _aggregate(participants.loc[known], columns, participants_count, "participants")
        b = _aggregate(population, columns, population_count, "population")
        out[name] = _reach(a, b, name, columns, unknown=int(unknown))
    return out


def _require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"{what} lack columns {absent}")


def _aggregate(frame: pd.DataFrame, columns: tuple[str, ...], count: str, what: str) -> pd.Series:
    counts = _as_counts(frame[count], what)
    keys = [frame[c] for c in columns] if len(columns) > 1 else frame[columns[0]]
    return counts.groupby(keys, sort=False, observed=True).sum()


def _as_counts(values: pd.Series | Mapping[Any, float], what: str) -> pd.Series:
    series = values.copy() if isinstance(values, pd.Series) else pd.Series(dict(values))
    try:
        series = pd.to_numeric(series, errors="raise").astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} counts must be numeric") from None
    if series.isna().any() or np.isinf(series).any():
        raise ValueError(f"{what} counts must be present and finite")
    negative = series[series < 0]
    if len(negative):
        raise ValueError(f"{what} counts are negative for groups {negative.index.tolist()}")
    return series


def _reach(
    a: pd.Series, b: pd.Series, variable: str, columns: tuple[str, ...], unknown: int
) -> Reach:
    if len(b) == 0:
        raise ValueError(f"the population for {variable!r} is empty")
    if float(b.sum()) == 0:
        raise ValueError(f"the population total for {variable!r} is 0")
    extra = a.index.difference(b.index)
    if len(extra):
        raise ValueError(
            f"participants in groups missing from the population for {variable!r}: {extra.tolist()}"
        )
    a = a.reindex(b.index, fill_value=0.0)
    fractional = a[a != np.round(a)]
    if len(fractional):
        raise ValueError(f"participant counts must be whole numbers: {fractional.to_dict()}")
    impossible = a[(a > 0) & (b == 0)]
    if len(impossible):
        raise ValueError(
            f"participants in groups whose population is 0 for {variable!r}: "
            f"{impossible.index.tolist()}"
        )
    total_a, total_b = float(a.sum()), float(b.sum())
    if total_a == 0:
        raise ValueError(f"there are no participants for {variable!r}: shares are undefined")
    return Reach(
        variable=variable,
        group_columns=columns,
        table=_table(a, b, columns),
        dissimilarity=dissimilarity_index(a.to_numpy(), b.to_numpy()),
        participants_total=int(total_a),
        population_total=total_b,
        participants_unknown=unknown,
    )


def _table(a: pd.Series, b: pd.Series, columns: tuple[str, ...]) -> pd.DataFrame:
    p = a / a.sum()
    q = b / b.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (p / q).where(q > 0)
    table = pd.DataFrame(
        {
            "participants": a.astype(int),
            "participant_share": p,
            "population": b,
            "population_share": q,
            "reach_ratio": ratio,
            "expected_participants": q * a.sum(),
            "no_participants": a == 0,
        }
    )
    table.index.names = list(columns)
    return table.reset_index()


def _suppressed(participants: pd.Series, threshold: int) -> pd.Series:
    hidden = (participants > 0) & (participants < threshold)
    if hidden.sum() == 1:
        # One hidden cell plus a published total gives it back by subtraction.
        candidates = participants[(participants > 0) & ~hidden]
        if len(candidates):
            hidden.loc[candidates.idxmin()] = True
    return hidden
