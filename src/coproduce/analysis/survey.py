"""Design-based estimation of means and proportions over domains.

The estimators follow the textbook treatment of complex samples (Wolter 2007,
*Introduction to Variance Estimation*, 2nd ed., on Taylor series methods; Lumley 2010,
*Complex Surveys*; Särndal, Swensson & Wretman 1992, *Model Assisted Survey Sampling*, on
ratio and domain estimation):

* **Point estimate** of a mean in domain *d* (the ratio or Hájek estimator)::

      ȳ_d = Σ_i w_i δ_di y_i / Σ_i w_i δ_di

  where ``δ_di`` is 1 when row *i* belongs to domain *d*. A proportion is the mean of an
  indicator.

* **Linearised variable** (the influence function of the ratio)::

      z_di = w_i δ_di (y_i − ȳ_d) / Σ_j w_j δ_dj

  It is zero outside the domain, but *every* PSU and stratum of the full design is kept:
  domains are estimated as subpopulations, not by subsetting the design (Lumley 2010;
  West, Berglund & Heeringa 2008). Subsetting would drop the PSUs where the domain happens
  to be absent and underestimate the variance.

* **Variance**, with-replacement (ultimate cluster) approximation, no finite population
  correction (Wolter 2007)::

      v(ȳ_d) = Σ_h n_h / (n_h − 1) Σ_{i=1..n_h} (z_dhi − z̄_dh)²

  where ``z_dhi`` is the total of ``z_d`` in PSU *i* of stratum *h*, ``n_h`` the number of
  PSUs in stratum *h* (in the full design) and ``z̄_dh`` their mean. Without strata the
  sample is one stratum; without PSUs each row is its own PSU.

* **Confidence interval**: Student's *t* with ``df = #PSU − #strata`` of the full design,
  which is what ``samplics``' ``TaylorEstimator`` does by default (R's ``survey`` uses the
  normal quantile unless ``confint(..., df = degf(design))`` is asked for). With a few
  PSUs per stratum the *t* interval is the honest one. Means use ``ȳ ± t·se``; proportions
  use the logit interval, again as ``samplics`` does by default (``ciprop_method="logit"``;
  Korn & Graubard 1999, *Analysis of Health Surveys*): ``expit(logit p ± t·se / (p(1 −
  p)))``, and ``[p, p]`` when ``p`` is 0 or 1.

**Strata with a single PSU** contribute nothing estimable to the formula above (``n_h − 1``
is zero). ``single_psu`` chooses, as ``options(survey.lonely.psu=)`` does in R:

* ``"error"`` (default): raise :class:`SinglePsuError` naming the strata, so that nobody
  publishes a standard error that silently ignores part of the design;
* ``"certainty"``: the PSU was selected with certainty, the stratum contributes zero
  variance (R's ``"certainty"``; ``samplics``' ``SinglePSUEst.skip``);
* ``"adjust"``: the PSU total is centred at the grand mean of all PSU totals instead of the
  stratum mean, with scale 1 (R's ``"adjust"``): a conservative choice.

**A domain with a single respondent** has no estimable variance: its estimate is returned
with ``se``, ``ci_low`` and ``ci_high`` NaN and ``flag == "single_respondent"``.

**Missing values.** Rows whose outcome or ``by`` value is missing belong to no domain, but
they keep their PSU and stratum in the design. A missing weight *column* means weight 1;
missing, zero, negative or infinite weight *values* are errors.

**Identifiers.** PSU labels are nested in strata: PSU ``1`` of stratum ``A`` and PSU ``1``
of stratum ``B`` are two PSUs.

Everything is vectorised with ``np.bincount`` over integer codes, so thousands of domains
cost about as much as one.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

SinglePsu = Literal["error", "certainty", "adjust"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Rows = slice | IntArray

SINGLE_RESPONDENT = "single_respondent"
"""The ``flag`` of a domain with one respondent: its variance is not estimable."""

RESULT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "n", "weight_sum", "flag")
_SINGLE_PSU_CHOICES = ("error", "certainty", "adjust")
# A dense bincount over a product of codes is the fastest grouping, as long as the product
# stays within a few times the number of rows; beyond that the arrays would waste memory.
_DENSE_FACTOR = 4
_DENSE_FLOOR = 1 << 20


class SinglePsuError(ValueError):
    """A stratum has a single PSU and ``single_psu="error"`` was asked for."""


@dataclass(frozen=True)
class SurveyDesign:
    """A prepared sampling design: integer codes, ready for vectorised estimation.

    Attributes:
        weights: the sampling weight of each row (all finite and > 0).
        psu: the PSU code of each row, ``0 .. n_psu - 1``, unique across strata.
        psu_stratum: the stratum code of each PSU, ``0 .. n_strata - 1``.
        psu_per_stratum: ``n_h``, the number of PSUs in each stratum.
        single_psu: how strata with one PSU are handled (see the module docstring).
        strata_labels: the label of each stratum code, for messages.
    """

    weights: FloatArray
    psu: IntArray
    psu_stratum: IntArray
    psu_per_stratum: IntArray
    single_psu: SinglePsu
    strata_labels: tuple[Hashable, ...]

    @property
    def n_psu(self) -> int:
        """The number of PSUs in the whole design."""
        return int(self.psu_stratum.size)

    @property
    def n_strata(self) -> int:
        """The number of strata in the whole design."""
        return int(self.psu_per_stratum.size)

    @property
    def degrees_of_freedom(self) -> int:
        """``#PSU − #strata``, the design degrees of freedom (Lumley 2010)."""
        return self.n_psu - self.n_strata


def survey_design(
    df: pd.DataFrame,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    single_psu: SinglePsu = "error",
) -> SurveyDesign:
    """Validate the design columns of ``df`` and turn them into integer codes.

    Args:
        df: one row per unit of analysis.
        weight: column of sampling weights; ``None`` means every weight is 1.
        strata: column of strata; ``None`` means a single stratum.
        psu: column of primary sampling units, nested in strata; ``None`` means each row
            is its own PSU.
        single_psu: ``"error"``, ``"certainty"`` or ``"adjust"`` (see the module docstring).

    Raises:
        ValueError: empty frame, unknown column, invalid weights or missing design labels.
        SinglePsuError: a stratum has one PSU and ``single_psu == "error"``.
    """
    if single_psu not in _SINGLE_PSU_CHOICES:
        raise ValueError(f"single_psu must be one of {_SINGLE_PSU_CHOICES}, not {single_psu!r}")
    if len(df) == 0:
        raise ValueError("cannot estimate from an empty frame")
    _require_columns(df, [c for c in (weight, strata, psu) if c is not None])
    weights = _validated_weights(df, weight)
    stratum_codes, strata_labels = _design_codes(df, strata, "strata")
    psu_codes, psu_stratum = _nested_psu_codes(df, psu, stratum_codes, len(strata_labels))
    psu_per_stratum = np.bincount(psu_stratum, minlength=len(strata_labels)).astype(np.int64)
    lonely = np.flatnonzero(psu_per_stratum == 1)
    if lonely.size and single_psu == "error":
        names = [strata_labels[h] for h in lonely[:10]]
        raise SinglePsuError(
            f"{lonely.size} stratum/strata with a single PSU: {names}; its variance cannot be "
            'estimated. Pass single_psu="certainty" (zero variance) or "adjust" '
            "(centre at the grand mean), or collapse strata."
        )
    return SurveyDesign(
        weights=weights,
        psu=psu_codes,
        psu_stratum=psu_stratum,
        psu_per_stratum=psu_per_stratum,
        single_psu=single_psu,
        strata_labels=tuple(strata_labels),
    )


def estimate_mean(
    df: pd.DataFrame,
    y: str,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    by: str | Sequence[str] | None = None,
    single_psu: SinglePsu = "error",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Estimate the mean of ``y`` in each domain, with its Taylor-linearised standard error.

    Formulas, confidence interval, single-PSU strata and missing values are described in
    the module docstring (Wolter 2007; Lumley 2010).

    Args:
        df: one row per unit of analysis (e.g. respondent × sector).
        y: numeric outcome column; NaN rows belong to no domain but stay in the design.
        weight, strata, psu, single_psu: the design (see :func:`survey_design`).
        by: column(s) whose combinations define the domains; ``None`` for the whole sample.
        alpha: 1 − confidence level of the interval.

    Returns:
        One row per domain, sorted by ``by``: ``[*by, estimate, se, ci_low, ci_high, n,
        weight_sum, flag]``, where ``n`` is the number of rows used and ``flag`` is ``""``
        or ``"single_respondent"``. ``attrs["degrees_of_freedom"]`` holds the *t* df.
    """
    design = survey_design(df, weight=weight, strata=strata, psu=psu, single_psu=single_psu)
    values = _numeric_outcome(df, y)
    domains, labels = domain_codes(df, by)
    keep = _rows(~np.isnan(values) & (domains >= 0))
    result = _estimate_means(design, values[keep], keep, domains[keep], len(labels))
    table = _result_table(labels, result, _t_quantile(design, alpha), logit=False)
    table.attrs["degrees_of_freedom"] = design.degrees_of_freedom
    return table


def estimate_proportion(
    df: pd.DataFrame,
    y: str,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    by: str | Sequence[str] | None = None,
    single_psu: SinglePsu = "error",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Estimate the proportion of each level of ``y`` in each domain.

    Each level's proportion is the domain mean of its indicator, with the same linearised
    variance as :func:`estimate_mean`; the interval is the logit one (module docstring).
    Levels are those observed anywhere in the sample, so a level absent from a domain is
    reported there with proportion 0.

    Returns:
        One row per domain and level: ``[*by, level, estimate, se, ci_low, ci_high, n,
        weight_sum, flag]``, sorted by domain then level.
    """
    design = survey_design(df, weight=weight, strata=strata, psu=psu, single_psu=single_psu)
    _require_columns(df, [y])
    level_codes, levels = pd.factorize(df[y], sort=True, use_na_sentinel=True)
    domains, labels = domain_codes(df, by)
    keep = _rows((level_codes >= 0) & (domains >= 0))
    t_quantile = _t_quantile(design, alpha)
    tables = []
    for code, level in enumerate(levels):
        indicator = (level_codes[keep] == code).astype(np.float64)
        result = _estimate_means(design, indicator, keep, domains[keep], len(labels))
        table = _result_table(labels, result, t_quantile, logit=True)
        table.insert(len(labels.columns), "level", level)
        tables.append(table)
    if not tables:
        raise ValueError(f"column {y!r} has no non-missing value")
    out = pd.concat(tables, ignore_index=True)
    out = out.sort_values([*labels.columns, "level"], kind="stable", ignore_index=True)
    out.attrs["degrees_of_freedom"] = design.degrees_of_freedom
    return out


def domain_codes(df: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[IntArray, pd.DataFrame]:
    """Code each row's domain, the combination of its ``by`` values.

    Returns:
        ``(codes, labels)``: ``codes[i]`` is the domain of row *i* (``-1`` when one of its
        ``by`` values is missing) and ``labels`` has one row per observed domain, in
        sorted order, with the ``by`` columns.
    """
    columns = [by] if isinstance(by, str) else list(by or [])
    _require_columns(df, columns)
    if not columns:
        return np.zeros(len(df), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    key = np.zeros(len(df), dtype=np.int64)
    missing = np.zeros(len(df), dtype=bool)
    uniques = []
    for column in columns:
        codes, values = factorize(df[column])
        missing |= codes < 0
        key = key * max(len(values), 1) + codes
        uniques.append(values)
    sizes = [max(len(values), 1) for values in uniques]
    key[missing] = -1
    codes, present = compact_codes(key, int(np.prod(sizes, dtype=np.int64)))
    positions = np.unravel_index(present, sizes)
    labels = pd.DataFrame(
        {
            column: np.asarray(values.take(position))
            for column, values, position in zip(columns, uniques, positions, strict=True)
        }
    )
    for column in columns:
        if isinstance(df[column].dtype, pd.CategoricalDtype):
            labels[column] = pd.Categorical(labels[column], dtype=df[column].dtype)
    return codes, labels


def factorize(values: pd.Series) -> tuple[IntArray, pd.Index]:
    """Sorted integer codes of ``values`` (``-1`` when missing) and the value of each code.

    Like ``pd.factorize(values, sort=True)``, but categoricals reuse their codes (in
    category order) and integers with a compact range are offset, so that the common cases
    skip hashing millions of values. Some codes may then be unused: callers compact them.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        return codes, pd.Index(values.cat.categories)
    array = values.to_numpy()
    if array.dtype.kind in "iu" and array.size:
        low, high = int(array.min()), int(array.max())
        if high - low <= _DENSE_FACTOR * array.size:
            codes = array.astype(np.int64, copy=False)
            return (codes - low if low else codes), pd.RangeIndex(low, high + 1)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), pd.Index(uniques)


def compact_codes(key: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Renumber the non-negative values of ``key`` (all below ``size``) as ``0 .. m - 1``.

    Returns:
        ``(codes, present)``: ``codes`` keeps ``-1`` for negative keys and maps the others
        in increasing order; ``present`` holds the distinct keys, sorted.
    """
    valid = key >= 0
    all_valid = bool(valid.all())
    if size <= max(_DENSE_FACTOR * key.size, _DENSE_FLOOR):
        seen = np.bincount(key if all_valid else key[valid], minlength=size) > 0
        rank = np.cumsum(seen) - 1
        codes = rank[key] if all_valid else np.where(valid, rank[np.where(valid, key, 0)], -1)
        return codes.astype(np.int64, copy=False), np.flatnonzero(seen).astype(np.int64)
    present, inverse = np.unique(key[valid], return_inverse=True)
    codes = np.full(key.size, -1, dtype=np.int64)
    codes[valid] = inverse
    return codes, present.astype(np.int64)


def sum_by(codes: IntArray, values: FloatArray, size: int) -> FloatArray:
    """``out[g] = Σ_{i: codes[i] = g} values[i]`` for ``g < size`` (codes must be >= 0)."""
    return np.asarray(np.bincount(codes, weights=values, minlength=size), dtype=np.float64)


def count_by(codes: IntArray, size: int) -> IntArray:
    """The number of rows of each code ``0 .. size - 1`` (codes must be >= 0)."""
    return np.asarray(np.bincount(codes, minlength=size), dtype=np.int64)


@dataclass(frozen=True)
class _Means:
    estimate: FloatArray
    variance: FloatArray
    n: IntArray
    weight_sum: FloatArray


def _rows(mask: NDArray[np.bool_]) -> Rows:
    """The rows where ``mask`` holds; a slice, not a 3-million-index copy, when all do."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


def _estimate_means(
    design: SurveyDesign, y: FloatArray, rows: Rows, domains: IntArray, n_domains: int
) -> _Means:
    """Domain means and variances; ``rows`` are the design rows the values ``y`` belong to."""
    weights = design.weights[rows]
    weight_sum = sum_by(domains, weights, n_domains)
    n = count_by(domains, n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = sum_by(domains, weights * y, n_domains) / weight_sum
        scores = weights * (y - estimate[domains]) / weight_sum[domains]
    variance = _linearised_variance(design, scores, design.psu[rows], domains, n_domains)
    return _Means(estimate=estimate, variance=variance, n=n, weight_sum=weight_sum)


def _linearised_variance(
    design: SurveyDesign, scores: FloatArray, psu: IntArray, domains: IntArray, n_domains: int
) -> FloatArray:
    """``Σ_h n_h/(n_h−1) Σ_i (z_dhi − z̄_dh)²`` for every domain *d* at once.

    Only the (domain, PSU) cells that hold a row are materialised; the PSUs of a stratum
    where the domain is absent have total 0 and enter through ``(n_h − m_dh) z̄_dh²``, which
    is what keeps the full design without building a domain × PSU matrix.
    """
    n_psu, n_strata = design.n_psu, design.n_strata
    cell, cells = compact_codes(domains * n_psu + psu, n_domains * n_psu)
    psu_total = sum_by(cell, scores, cells.size)
    cell_domain, cell_psu = cells // n_psu, cells % n_psu
    cell_stratum = design.psu_stratum[cell_psu]
    group, groups = compact_codes(cell_domain * n_strata + cell_stratum, n_domains * n_strata)
    group_domain, group_stratum = groups // n_strata, groups % n_strata
    n_h = design.psu_per_stratum[group_stratum].astype(np.float64)
    stratum_total = sum_by(group, psu_total, groups.size)
    present = count_by(group, groups.size)
    centre = stratum_total / n_h
    squares = sum_by(group, (psu_total - centre[group]) ** 2, groups.size)
    squares += (n_h - present) * centre**2
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_h > 1, n_h / (n_h - 1), 0.0)
    variance = sum_by(group_domain, scale * squares, n_domains)
    if design.single_psu == "adjust":
        variance += _adjusted_lonely_variance(design, group_domain, stratum_total, n_h, n_domains)
    return variance


def _adjusted_lonely_variance(
    design: SurveyDesign,
    group_domain: IntArray,
    stratum_total: FloatArray,
    n_h: FloatArray,
    n_domains: int,
) -> FloatArray:
    """R's ``lonely.psu="adjust"``: ``Σ_{h: n_h=1} (z_dh − Z_d / #PSU)²``, scale 1."""
    n_lonely = int(np.count_nonzero(design.psu_per_stratum == 1))
    if n_lonely == 0:
        return np.zeros(n_domains)
    grand_mean = sum_by(group_domain, stratum_total, n_domains)
    grand_mean /= design.n_psu
    lonely = n_h == 1
    lonely_domain = group_domain[lonely]
    deviation = (stratum_total[lonely] - grand_mean[lonely_domain]) ** 2
    present = count_by(lonely_domain, n_domains)
    absent = n_lonely - present
    # A lonely PSU outside the domain has total 0, so it deviates by the grand mean itself.
    return sum_by(lonely_domain, deviation, n_domains) + absent * (grand_mean**2)


def _result_table(
    labels: pd.DataFrame, means: _Means, t_quantile: float, *, logit: bool
) -> pd.DataFrame:
    single = means.n == 1
    se = np.where(single, np.nan, np.sqrt(np.maximum(means.variance, 0.0)))
    if logit:
        ci_low, ci_high = _logit_interval(means.estimate, se, t_quantile)
    else:
        ci_low, ci_high = means.estimate - t_quantile * se, means.estimate + t_quantile * se
    table = labels.reset_index(drop=True).copy()
    table["estimate"] = means.estimate
    table["se"] = se
    table["ci_low"] = ci_low
    table["ci_high"] = ci_high
    table["n"] = means.n
    table["weight_sum"] = means.weight_sum
    table["flag"] = np.where(single, SINGLE_RESPONDENT, "")
    return table


def _logit_interval(
    p: FloatArray, se: FloatArray, t_quantile: float
) -> tuple[FloatArray, FloatArray]:
    """``expit(logit p ± t·se/(p(1−p)))``; degenerate ``[p, p]`` at 0 and 1, as samplics."""
    inner = (p > 0) & (p < 1)
    safe = np.where(inner, p, 0.5)
    location = np.log(safe / (1 - safe))
    spread = t_quantile * se / (safe * (1 - safe))
    low = np.where(inner, _expit(location - spread), p)
    high = np.where(inner, _expit(location + spread), p)
    # No standard error (a single respondent), no interval, even at p = 0 or 1.
    low = np.where(np.isnan(se), np.nan, low)
    high = np.where(np.isnan(se), np.nan, high)
    return low, high


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def _t_quantile(design: SurveyDesign, alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), not {alpha}")
    dof = design.degrees_of_freedom
    return float(stats.t.ppf(1 - alpha / 2, dof)) if dof > 0 else float("nan")


def _validated_weights(df: pd.DataFrame, weight: str | None) -> FloatArray:
    if weight is None:
        return np.ones(len(df))
    try:
        weights = pd.to_numeric(df[weight], errors="raise").to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"weight column {weight!r} must be numeric") from error
    bad = ~(np.isfinite(weights) & (weights > 0))
    if bad.any():
        rows = list(df.index[bad][:10])
        raise ValueError(
            f"weights must be finite and > 0; {int(bad.sum())} row(s) of {weight!r} are "
            f"zero, negative, missing or infinite, e.g. rows {rows}"
        )
    return weights


def _design_codes(
    df: pd.DataFrame, column: str | None, role: str
) -> tuple[IntArray, list[Hashable]]:
    if column is None:
        return np.zeros(len(df), dtype=np.int64), [None]
    codes, values = factorize(df[column])
    if (codes < 0).any():
        rows = list(df.index[codes < 0][:10])
        raise ValueError(f"{role} column {column!r} has missing values, e.g. rows {rows}")
    # Unused categories or gaps in integer labels must not count as strata.
    codes, present = compact_codes(codes, len(values))
    return codes, list(values.take(present))


def _nested_psu_codes(
    df: pd.DataFrame, psu: str | None, stratum_codes: IntArray, n_strata: int
) -> tuple[IntArray, IntArray]:
    """PSU codes unique across strata, and the stratum of each PSU."""
    if psu is None:
        # Each row is its own PSU; sorting by stratum keeps the codes grouped.
        return np.arange(len(df), dtype=np.int64), stratum_codes.copy()
    labels, _ = _design_codes(df, psu, "psu")
    n_labels = int(labels.max()) + 1
    codes, pairs = compact_codes(stratum_codes * n_labels + labels, n_strata * n_labels)
    return codes, (pairs // n_labels).astype(np.int64)


def _numeric_outcome(df: pd.DataFrame, y: str) -> FloatArray:
    _require_columns(df, [y])
    try:
        values = pd.to_numeric(df[y], errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"outcome column {y!r} must be numeric") from error
    if np.isinf(values).any():
        raise ValueError(f"outcome column {y!r} has infinite values")
    return values


def _require_columns(df: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise ValueError(f"columns not in the frame: {missing}")
