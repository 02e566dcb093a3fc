"""Raking (iterative proportional fitting) of survey weights to population margins.

Raking adjusts base weights ``d_i`` so that the weighted counts of each variable's
categories (age band, sex, area, …) match known population totals. Cycling over the
variables, each step multiplies the weights of category *c* of variable *v* by
``T_vc / Σ_{i in c} w_i`` (Deming & Stephan 1940). The limit is the calibration estimator
with the raking distance ``G(g) = g log g − g + 1`` of Deville & Särndal (1992,
*JASA* 87: 376-382; Deville, Särndal & Sautory 1993): the weights closest to ``d`` in
that distance which reproduce every margin. See also Lumley 2010, *Complex Surveys*,
and Valliant, Dever & Kreuter 2018, *Practical Tools for Designing and Weighting Survey
Samples*.

**Margins** are ``{variable: {category: target}}``. Per variable, targets that sum to 1
(within ``1e-6``) are *shares*, others are *counts*. Count margins must share one total
(relative tolerance ``total_tol``), since every variable partitions the same population.
Shares are scaled to that total; with only share margins they are scaled to the base
weight total (``share_total="weights"``, default) or to the number of respondents
(``share_total="count"``).

**Trimming** bounds the *adjustment factor* ``g_i = w_i / d_i`` (not the final weight) to
``[lower, upper]``: after each full cycle the factors are clipped and raking goes on, so
the result reproduces the margins *and* respects the bounds when that is feasible
(bounded raking, in the spirit of the bounded distances of Deville & Särndal 1992). When
it is not, raking stops at ``max_iter`` with ``converged=False``.

**Convergence** is declared when the largest relative margin error
``max_vc |Σ_{i in c} w_i − T_vc| / T_vc`` is at most ``tol`` after a full cycle. Failing
that after ``max_iter`` cycles raises :class:`RakingConvergenceError` when ``strict``
(default), or returns a report with ``converged=False`` and emits a ``RuntimeWarning``.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Margins = Mapping[str, Mapping[Hashable, float]]

_SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class RakingReport:
    """What raking did.

    Attributes:
        converged: whether every margin is met within ``tol`` (and bounds respected).
        iterations: the number of full cycles over the variables.
        max_margin_error: the largest relative margin error at the end.
        design_effect: Kish's design effect due to weighting, ``n Σw² / (Σw)²``
            (Kish 1965, *Survey Sampling*), of the raked weights.
        factor_min: the smallest adjustment factor ``w_i / d_i``.
        factor_max: the largest adjustment factor.
    """

    converged: bool
    iterations: int
    max_margin_error: float
    design_effect: float
    factor_min: float
    factor_max: float


@dataclass(frozen=True)
class RakingResult:
    """Raked weights, aligned on the respondent frame's index, and the report."""

    weights: pd.Series
    report: RakingReport


class RakingConvergenceError(RuntimeError):
    """Raking did not converge within ``max_iter`` cycles (``strict=True``)."""

    def __init__(self, report: RakingReport) -> None:
        super().__init__(
            f"raking did not converge in {report.iterations} iterations "
            f"(max relative margin error {report.max_margin_error:.3g})"
        )
        self.report = report


@dataclass(frozen=True)
class _Margin:
    name: str
    codes: IntArray
    targets: FloatArray


def rake(
    frame: pd.DataFrame,
    margins: Margins,
    *,
    base_weight: str | None = None,
    tol: float = 1e-8,
    max_iter: int = 1000,
    bounds: tuple[float | None, float | None] = (None, None),
    share_total: Literal["weights", "count"] = "weights",
    total_tol: float = 1e-6,
    strict: bool = True,
) -> RakingResult:
    """Rake the base weights of ``frame`` to ``margins`` (module docstring for the method).

    Args:
        frame: one row per respondent, with a column per margin variable.
        margins: ``{variable: {category: target}}`` as counts or shares.
        base_weight: column of base weights (finite, > 0); ``None`` means 1 each.
        tol: convergence tolerance on the largest relative margin error.
        max_iter: the most full cycles to run.
        bounds: ``(lower, upper)`` bounds on the adjustment factor; ``None`` is unbounded.
        share_total: what shares are scaled to when no margin is given as counts.
        total_tol: relative tolerance for count margins to agree on the total.
        strict: raise on non-convergence rather than return a flagged report.

    Raises:
        ValueError: invalid weights, margins, bounds, unknown or absent categories.
        RakingConvergenceError: no convergence and ``strict``.
    """
    lower, upper = _checked_bounds(bounds)
    if max_iter < 1 or tol <= 0:
        raise ValueError("max_iter must be >= 1 and tol > 0")
    base = _base_weights(frame, base_weight)
    prepared = _prepare_margins(frame, margins, base, share_total, total_tol)
    weights, iterations, error = _iterate(base, prepared, lower, upper, tol, max_iter)
    report = _report(base, weights, iterations, error, tol)
    if not report.converged:
        if strict:
            raise RakingConvergenceError(report)
        warnings.warn(
            f"raking did not converge (max relative margin error {error:.3g})",
            RuntimeWarning,
            stacklevel=2,
        )
    return RakingResult(weights=pd.Series(weights, index=frame.index, name="weight"), report=report)


def _report(
    base: FloatArray, weights: FloatArray, iterations: int, error: float, tol: float
) -> RakingReport:
    factors = weights / base
    return RakingReport(
        converged=bool(error <= tol),
        iterations=iterations,
        max_margin_error=error,
        design_effect=kish_design_effect(weights),
        factor_min=float(factors.min()),
        factor_max=float(factors.max()),
    )


def kish_design_effect(weights: FloatArray) -> float:
    """Kish's design effect due to unequal weighting, ``n Σw² / (Σw)²`` (Kish 1965)."""
    weights = np.asarray(weights, dtype=np.float64)
    return float(weights.size * np.sum(weights**2) / np.sum(weights) ** 2)


def _iterate(
    base: FloatArray,
    margins: list[_Margin],
    lower: float | None,
    upper: float | None,
    tol: float,
    max_iter: int,
) -> tuple[FloatArray, int, float]:
    weights = base.copy()
    error = _max_margin_error(weights, margins)
    iterations = 0
    while iterations < max_iter and error > tol:
        for margin in margins:
            weights *= (margin.targets / _category_sums(weights, margin))[margin.codes]
        if lower is not None or upper is not None:
            weights = base * np.clip(weights / base, lower, upper)
        iterations += 1
        error = _max_margin_error(weights, margins)
    return weights, iterations, error


def _max_margin_error(weights: FloatArray, margins: list[_Margin]) -> float:
    return max(
        float(np.max(np.abs(_category_sums(weights, margin) - margin.targets) / margin.targets))
        for margin in margins
    )


def _category_sums(weights: FloatArray, margin: _Margin) -> FloatArray:
    return np.asarray(
        np.bincount(margin.codes, weights=weights, minlength=margin.targets.size), dtype=np.float64
    )


def _checked_bounds(bounds: tuple[float | None, float | None]) -> tuple[float | None, float | None]:
    """Bounds on the adjustment factor must leave room for "no change": 0 < lower ≤ 1 ≤ upper."""
    lower, upper = bounds
    if lower is not None and not 0 < lower <= 1:
        raise ValueError(f"the lower bound on the adjustment factor must be in (0, 1], not {lower}")
    if upper is not None and not upper >= 1:
        raise ValueError(f"the upper bound on the adjustment factor must be >= 1, not {upper}")
    return lower, upper


def _base_weights(frame: pd.DataFrame, base_weight: str | None) -> FloatArray:
    if len(frame) == 0:
        raise ValueError("cannot rake an empty frame")
    if base_weight is None:
        return np.ones(len(frame))
    if base_weight not in frame.columns:
        raise ValueError(f"base weight column {base_weight!r} not in the frame")
    weights = pd.to_numeric(frame[base_weight], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~(np.isfinite(weights) & (weights > 0))
    if bad.any():
        rows = list(frame.index[bad][:10])
        raise ValueError(
            f"base weights must be finite and > 0; {int(bad.sum())} are not, e.g. rows {rows}"
        )
    return weights


def _prepare_margins(
    frame: pd.DataFrame,
    margins: Margins,
    base: FloatArray,
    share_total: Literal["weights", "count"],
    total_tol: float,
) -> list[_Margin]:
    if not margins:
        raise ValueError("margins must name at least one variable")
    if share_total not in ("weights", "count"):
        raise ValueError(f"share_total must be 'weights' or 'count', not {share_total!r}")
    total = _population_total(margins, base, share_total, total_tol)
    prepared = []
    for variable, targets in margins.items():
        values = np.array([float(v) for v in targets.values()])
        if _is_share(values):
            values = values * total
        prepared.append(
            _Margin(name=variable, codes=_category_codes(frame, variable, targets), targets=values)
        )
    return prepared


def _population_total(
    margins: Margins,
    base: FloatArray,
    share_total: Literal["weights", "count"],
    total_tol: float,
) -> float:
    """The common total of the count margins, else what shares are scaled to."""
    count_totals = {}
    for variable, targets in margins.items():
        values = np.array([float(v) for v in targets.values()])
        if values.size == 0 or not np.all(np.isfinite(values) & (values > 0)):
            raise ValueError(f"the targets of {variable!r} must be finite and > 0: {targets}")
        if not _is_share(values):
            count_totals[variable] = float(values.sum())
    if count_totals:
        reference = next(iter(count_totals.values()))
        if any(abs(t - reference) > total_tol * reference for t in count_totals.values()):
            raise ValueError(
                f"count margins must have the same total in every variable: {count_totals}"
            )
        return reference
    return float(base.sum()) if share_total == "weights" else float(base.size)


def _is_share(values: FloatArray) -> bool:
    return bool(abs(values.sum() - 1.0) <= _SHARE_TOLERANCE)


def _category_codes(
    frame: pd.DataFrame, variable: str, targets: Mapping[Hashable, float]
) -> IntArray:
    if variable not in frame.columns:
        raise ValueError(f"margin variable {variable!r} is not a column of the frame")
    categories = list(targets.keys())
    codes = pd.Index(categories).get_indexer(frame[variable])
    if (codes < 0).any():
        unknown = frame[variable][codes < 0]
        found = sorted({"<missing>" if pd.isna(v) else str(v) for v in unknown.unique()})
        raise ValueError(
            f"{variable!r} has respondent categories absent from the margins: {found} "
            f"(e.g. rows {list(unknown.index[:10])})"
        )
    counts = np.bincount(codes, minlength=len(categories))
    empty = [categories[c] for c in np.flatnonzero(counts == 0)]
    if empty:
        raise ValueError(f"{variable!r} has margin categories with no respondent: {empty}")
    return codes.astype(np.int64)
