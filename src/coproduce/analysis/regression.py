"""What influences co-production: logistic regression of "co-produces in sector S".

The five-country survey (DOMAIN.md, "Measuring co-production") found that older people,
women, people outside the labour market and people with higher self-efficacy co-produce
more. This module estimates those associations for one sector at a time with a logistic
model

    logit P(y_i = 1) = b0 + sum_j b_j x_ij,

where ``y_i = 1`` when respondent ``i`` co-produces in the sector (for instance when their
co-production index is above 0, see :func:`coproduces`), the categorical predictors enter
with treatment (dummy) coding against a reference category, and numeric predictors (such as
a self-efficacy score) enter linearly. Each coefficient is reported as an odds ratio
``OR_j = exp(b_j)`` with a Wald confidence interval ``exp(b_j -/+ z_(1-alpha/2) se_j)`` and
a two-sided Wald p-value (Hosmer, Lemeshow & Sturdivant, *Applied Logistic Regression*,
3rd ed., 2013, ch. 1-3).

Weights (``weight_kind``):

* ``"frequency"``: each row stands for ``w_i`` identical respondents (integer counts, e.g.
  an aggregated table). Fitted with ``GLM(..., freq_weights=w)`` and model-based standard
  errors, which equal those of the expanded data set; ``n_weighted = sum w_i`` is the
  number of respondents.
* ``"sampling"``: survey (inverse-probability or raking) weights. The coefficients are the
  pseudo-maximum-likelihood estimates (Binder 1983; Skinner, Holt & Smith 1989), which is
  what ``GLM(..., var_weights=w)`` computes for the Binomial family; the standard errors
  are the heteroscedasticity-robust sandwich ``A^-1 B A^-1`` with
  ``A = sum w_i mu_i (1 - mu_i) x_i x_i'`` and ``B = sum w_i^2 (y_i - mu_i)^2 x_i x_i'``
  (``cov_type="HC0"``), because model-based errors would treat the weights as extra
  information and be too small. The sandwich is invariant to rescaling the weights. It
  ignores clustering and stratification of the sample design, so it is a with-replacement
  approximation; statsmodels has not verified cluster-robust errors with weights, which is
  why this module does not offer them.

Guards (all raise :class:`ValueError` with a message naming the problem rather than
returning a number that would be silently wrong):

* rows with a missing value in any column used are dropped and counted
  (:attr:`LogitResult.n_dropped`, :attr:`LogitResult.dropped_by_column`); rows with a
  weight of 0 are dropped and counted separately;
* a categorical predictor with a single level, or a numeric predictor that does not vary,
  after the drop;
* collinear predictors (the design matrix is not of full column rank);
* too few cases: the smaller of the two outcome groups must hold at least
  ``min_events_per_parameter`` (default 10) cases per estimated coefficient other than
  the intercept, the "events per variable" rule of Peduzzi et al. (1996, *J Clin
  Epidemiol* 49:1373-1379);
* complete or quasi-complete separation (Albert & Anderson 1984), detected before fitting
  with the linear program of Konis (2007, DPhil thesis, Oxford): separation exists if and
  only if some ``beta != 0`` satisfies ``(2 y_i - 1) x_i' beta >= 0`` for every row. Under
  separation the maximum-likelihood odds ratio is 0 or infinite, so no finite estimate is
  reported.

A fit that does not converge is not an error: it is flagged with
:attr:`LogitResult.converged` and the solver's warnings are kept in
:attr:`LogitResult.warnings`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.optimize import linprog
from statsmodels.genmod.generalized_linear_model import GLMResults

WeightKind = Literal["frequency", "sampling"]

#: Peduzzi et al. (1996): at least 10 cases of the rarer outcome per coefficient.
MIN_EVENTS_PER_PARAMETER = 10

INTERCEPT = "Intercept"

#: Columns of :attr:`LogitResult.table`, in order.
TABLE_COLUMNS = (
    "term",
    "variable",
    "level",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "coef",
    "std_err",
)

# The separation LP bounds beta to [-1, 1]; without separation its optimum is exactly 0,
# so anything above solver noise means a separating direction exists.
_SEPARATION_TOLERANCE = 1e-7


@dataclass(frozen=True)
class LogitResult:
    """A fitted logistic model of co-production, in tidy form.

    Attributes:
        table: One row per coefficient (intercept first), columns :data:`TABLE_COLUMNS`.
            ``term`` follows patsy's naming (``"sex[T.female]"``, ``"self_efficacy"``,
            ``"Intercept"``); ``variable``/``level`` split it (``level`` is ``None`` for
            the intercept and numeric predictors). The intercept's ``odds_ratio`` is the
            odds of co-producing for the reference profile.
        outcome: Name of the outcome column.
        n: Rows (respondents, or cells when frequency-weighted) used in the fit.
        n_weighted: Sum of the weights over the rows used (``n`` when unweighted).
        events: Co-producers (``y = 1``) among the rows used; weighted only by frequency
            weights, since sampling weights do not change how many cases inform the fit.
        non_events: Non-co-producers, counted like ``events``.
        n_dropped: Rows dropped because a used column was missing.
        dropped_by_column: Missing values per used column (a row missing two values is
            counted under both, and once in ``n_dropped``).
        n_zero_weight: Rows dropped because their weight was 0.
        reference: Reference category of each categorical predictor.
        weight_kind: ``"none"``, ``"frequency"`` or ``"sampling"``.
        covariance: How the standard errors were computed.
        converged: Whether the IRLS iterations converged.
        warnings: Warnings raised by the solver, as text.
    """

    table: pd.DataFrame
    outcome: str
    n: int
    n_weighted: float
    events: float
    non_events: float
    n_dropped: int
    dropped_by_column: Mapping[str, int]
    n_zero_weight: int
    reference: Mapping[str, Hashable]
    weight_kind: Literal["none", "frequency", "sampling"]
    covariance: str
    converged: bool
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Design:
    matrix: pd.DataFrame
    variables: tuple[str, ...]
    levels: tuple[Hashable | None, ...]
    reference: Mapping[str, Hashable]


def coproduces(index: pd.Series, threshold: float = 0.0) -> pd.Series:
    """Turn a co-production index (0..100) into the binary outcome ``index > threshold``.

    Missing index values stay missing (``NaN``) so that :func:`fit_coproduction_logit`
    drops and counts them instead of treating them as "does not co-produce".

    Args:
        index: Co-production index per respondent.
        threshold: A respondent co-produces when their index is strictly above it.

    Returns:
        A float Series of 1.0, 0.0 and ``NaN`` with the same index.
    """
    values = pd.to_numeric(index, errors="raise").astype(float)
    out = (values > threshold).astype(float)
    return out.where(values.notna())


def fit_coproduction_logit(
    data: pd.DataFrame,
    outcome: str,
    categorical: Sequence[str] = (),
    numeric: Sequence[str] = (),
    *,
    reference: Mapping[str, Hashable] | None = None,
    weights: str | None = None,
    weight_kind: WeightKind = "sampling",
    min_events_per_parameter: int = MIN_EVENTS_PER_PARAMETER,
    alpha: float = 0.05,
) -> LogitResult:
    """Fit ``logit P(outcome = 1)`` on categorical and numeric predictors.

    Args:
        data: One row per respondent (or per cell with frequency weights).
        outcome: Binary column: booleans or 0/1 (missing values are dropped and counted).
        categorical: Columns entered with treatment coding.
        numeric: Columns entered linearly (e.g. a self-efficacy score).
        reference: Reference category per categorical column. A column not listed uses its
            most frequent level (weighted by frequency weights only; ties go to the first
            level in sorted or categorical order), which gives the most precise contrasts.
        weights: Optional weight column; see the module docstring.
        weight_kind: ``"sampling"`` (survey weights, robust errors) or ``"frequency"``
            (integer replication counts, model-based errors).
        min_events_per_parameter: Minimum cases of the rarer outcome per coefficient.
        alpha: 1 - confidence level of the intervals.

    Returns:
        A :class:`LogitResult`.

    Raises:
        ValueError: on any of the bad inputs listed in the module docstring.
    """
    categorical = list(categorical)
    numeric = list(numeric)
    _check_arguments(data, outcome, categorical, numeric, weights, alpha, reference)
    used = [outcome, *categorical, *numeric, *([weights] if weights else [])]
    frame, n_dropped, dropped_by_column = _drop_missing(data, used)
    y = _binary_outcome(frame[outcome], outcome)
    w = None
    n_zero_weight = 0
    if weights is not None:
        w = _check_weights(frame[weights], weights, weight_kind)
        keep = w > 0
        n_zero_weight = int((~keep).sum())
        frame, y, w = frame.loc[keep], y[keep], w[keep]
    counts = w if (w is not None and weight_kind == "frequency") else np.ones(len(y))
    design = _design(frame, categorical, numeric, reference or {}, counts)
    x = design.matrix.to_numpy(dtype=float)
    _check_rank(x, design.matrix.columns)
    events, non_events = float(counts @ y), float(counts @ (1 - y))
    _check_enough_cases(events, non_events, x.shape[1] - 1, min_events_per_parameter)
    separated = _separating_terms(x, y, design.matrix.columns)
    if separated:
        raise ValueError(
            "perfect or quasi-complete separation: the outcome is perfectly predicted by "
            f"{', '.join(separated)}; odds ratios would be 0 or infinite. Merge sparse "
            "categories or drop the predictor."
        )
    result, messages = _fit(x, y, w, weight_kind)
    kind: Literal["none", "frequency", "sampling"] = "none" if w is None else weight_kind
    return LogitResult(
        table=_tidy(result, design, alpha),
        outcome=outcome,
        n=len(y),
        n_weighted=float(w.sum()) if w is not None else float(len(y)),
        events=events,
        non_events=non_events,
        n_dropped=n_dropped,
        dropped_by_column=MappingProxyType(dropped_by_column),
        n_zero_weight=n_zero_weight,
        reference=MappingProxyType(dict(design.reference)),
        weight_kind=kind,
        covariance="HC0 sandwich" if kind == "sampling" else "model-based",
        converged=bool(result.converged),
        warnings=messages,
    )


def _check_arguments(
    data: pd.DataFrame,
    outcome: str,
    categorical: list[str],
    numeric: list[str],
    weights: str | None,
    alpha: float,
    reference: Mapping[str, Hashable] | None,
) -> None:
    if len(data) == 0:
        raise ValueError("the data are empty: no respondents to fit")
    if not categorical and not numeric:
        raise ValueError("no predictors: pass at least one categorical or numeric column")
    predictors = [*categorical, *numeric]
    repeated = sorted({c for c in predictors if predictors.count(c) > 1})
    if repeated:
        raise ValueError(f"predictors listed more than once: {repeated}")
    if outcome in predictors or (weights is not None and weights in [outcome, *predictors]):
        raise ValueError("the outcome, the predictors and the weights must be distinct columns")
    wanted = [outcome, *predictors, *([weights] if weights else [])]
    absent = [c for c in wanted if c not in data.columns]
    if absent:
        raise ValueError(f"columns not in the data: {absent}")
    stray = sorted(set(reference or {}) - set(categorical), key=str)
    if stray:
        raise ValueError(f"reference categories given for non-categorical columns: {stray}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")


def _drop_missing(
    data: pd.DataFrame, columns: list[str]
) -> tuple[pd.DataFrame, int, dict[str, int]]:
    missing = data[columns].isna()
    by_column = {c: int(missing[c].sum()) for c in columns}
    complete = ~missing.any(axis=1)
    frame = data.loc[complete, columns]
    if len(frame) == 0:
        raise ValueError(f"no complete rows: missing values per column {by_column}")
    return frame, int((~complete).sum()), by_column


def _binary_outcome(series: pd.Series, name: str) -> np.ndarray:
    values = series.to_numpy()
    if series.dtype == bool:
        return values.astype(float)
    try:
        numbers = values.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"outcome {name!r} must be boolean or 0/1, got {values[:5]!r}") from None
    bad = sorted(set(np.unique(numbers)) - {0.0, 1.0})
    if bad:
        raise ValueError(
            f"outcome {name!r} must be boolean or 0/1, found values {bad[:5]}; "
            "binarise an index with coproduces()"
        )
    return numbers


def _check_weights(series: pd.Series, name: str, kind: WeightKind) -> np.ndarray:
    if kind not in ("frequency", "sampling"):
        raise ValueError(f"weight_kind must be 'frequency' or 'sampling', got {kind!r}")
    try:
        w = series.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"weights {name!r} must be numeric") from None
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights {name!r} must be finite and non-negative")
    if not np.any(w > 0):
        raise ValueError(f"weights {name!r} are all zero")
    if kind == "frequency" and not np.all(w == np.round(w)):
        raise ValueError(
            f"frequency weights {name!r} must be whole numbers (counts of identical "
            "respondents); use weight_kind='sampling' for survey weights"
        )
    return w


def _design(
    frame: pd.DataFrame,
    categorical: list[str],
    numeric: list[str],
    reference: Mapping[str, Hashable],
    counts: np.ndarray,
) -> _Design:
    columns: dict[str, np.ndarray] = {INTERCEPT: np.ones(len(frame))}
    variables: list[str] = [INTERCEPT]
    levels: list[Hashable | None] = [None]
    chosen: dict[str, Hashable] = {}
    for name in categorical:
        observed = _observed_levels(frame[name])
        if len(observed) < 2:
            raise ValueError(
                f"predictor {name!r} has a single level {observed!r} after dropping missing "
                "values; it cannot be estimated"
            )
        ref = _reference_level(frame[name], observed, reference.get(name), name, counts)
        chosen[name] = ref
        for level in observed:
            if level != ref:
                columns[f"{name}[T.{level}]"] = (frame[name] == level).to_numpy(dtype=float)
                variables.append(name)
                levels.append(level)
    for name in numeric:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        if np.isnan(values).any():
            raise ValueError(f"numeric predictor {name!r} holds non-numeric values")
        if np.ptp(values) == 0:
            raise ValueError(f"numeric predictor {name!r} does not vary ({values[0]})")
        columns[name] = values
        variables.append(name)
        levels.append(None)
    matrix = pd.DataFrame(columns, index=frame.index)
    return _Design(matrix, tuple(variables), tuple(levels), chosen)


def _observed_levels(series: pd.Series) -> list[Hashable]:
    present = set(series.unique())
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [c for c in series.cat.categories if c in present]
    return sorted(present, key=lambda v: (str(type(v)), v))


def _reference_level(
    series: pd.Series,
    observed: list[Hashable],
    requested: Hashable | None,
    name: str,
    counts: np.ndarray,
) -> Hashable:
    if requested is not None:
        if requested not in observed:
            raise ValueError(
                f"reference {requested!r} for {name!r} is not among its observed levels "
                f"{observed!r}"
            )
        return requested
    totals = pd.Series(counts, index=series.index).groupby(series.to_numpy()).sum()
    # max() keeps the first maximum, so ties go to the earliest level in `observed` order.
    return max(observed, key=lambda level: totals[level])


def _check_rank(x: np.ndarray, terms: pd.Index) -> None:
    rank = np.linalg.matrix_rank(x)
    if rank < x.shape[1]:
        raise ValueError(
            f"the predictors are collinear (design rank {rank} < {x.shape[1]} terms "
            f"{list(terms)}): one predictor is determined by the others"
        )


def _check_enough_cases(events: float, non_events: float, parameters: int, per: int) -> None:
    if events == 0 or non_events == 0:
        value = "1 (all co-produce)" if non_events == 0 else "0 (none co-produces)"
        raise ValueError(f"the outcome is constant: every respondent has value {value}")
    needed = per * parameters
    rarer = min(events, non_events)
    if rarer < needed:
        raise ValueError(
            f"too few cases: {events:g} co-producers and {non_events:g} non-co-producers; "
            f"the rarer group needs at least {per} per coefficient x {parameters} "
            f"coefficients = {needed} (Peduzzi et al. 1996)"
        )


def _separating_terms(x: np.ndarray, y: np.ndarray, terms: pd.Index) -> list[str]:
    """Terms of a separating direction, or ``[]`` when the data are not separated.

    Konis's LP: maximise ``sum_i s_i x_i' beta`` subject to ``s_i x_i' beta >= 0`` and
    ``-1 <= beta_j <= 1``, with ``s_i = 2 y_i - 1``. The optimum is 0 exactly when the only
    feasible direction is ``beta = 0``, i.e. when the maximum-likelihood estimate exists.
    """
    scale = np.abs(x).max(axis=0)
    signed = (2 * y - 1)[:, None] * (x / scale)
    rows = np.unique(signed, axis=0)  # identical rows add the same constraint
    solution = linprog(
        c=-rows.sum(axis=0),
        A_ub=-rows,
        b_ub=np.zeros(len(rows)),
        bounds=[(-1, 1)] * x.shape[1],
        method="highs",
    )
    if not solution.success or -solution.fun <= _SEPARATION_TOLERANCE * len(rows):
        return []
    involved = [str(t) for t, b in zip(terms, solution.x, strict=True) if abs(b) > 1e-6]
    return [t for t in involved if t != INTERCEPT] or involved


def _fit(
    x: np.ndarray, y: np.ndarray, w: np.ndarray | None, kind: WeightKind
) -> tuple[GLMResults, tuple[str, ...]]:
    family = sm.families.Binomial()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if w is None:
            result = sm.GLM(y, x, family=family).fit()
        elif kind == "frequency":
            result = sm.GLM(y, x, family=family, freq_weights=w).fit()
        else:
            result = sm.GLM(y, x, family=family, var_weights=w).fit(cov_type="HC0")
    messages = tuple(dict.fromkeys(str(c.message) for c in caught))
    return result, messages


def _tidy(result: GLMResults, design: _Design, alpha: float) -> pd.DataFrame:
    coef = np.asarray(result.params, dtype=float)
    se = np.asarray(result.bse, dtype=float)
    ci = np.asarray(result.conf_int(alpha=alpha), dtype=float)
    return pd.DataFrame(
        {
            "term": list(design.matrix.columns),
            "variable": list(design.variables),
            "level": pd.Series(list(design.levels), dtype=object),
            "odds_ratio": np.exp(coef),
            "ci_low": np.exp(ci[:, 0]),
            "ci_high": np.exp(ci[:, 1]),
            "p_value": np.asarray(result.pvalues, dtype=float),
            "coef": coef,
            "std_err": se,
        },
        columns=list(TABLE_COLUMNS),
    )
