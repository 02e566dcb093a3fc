"""The co-production index: from frequency answers to a 0 ("zero") – 100 ("hero") score.

The five-country citizen survey (Loeffler et al., seeds ``001_…`` and ``002_…``; Bovaird,
Van Ryzin, Loeffler & Parrado 2015, *Journal of Social Policy* 44(1)) asks, per sector,
how often a respondent does each co-production activity on a frequency scale ``0 .. K``
(e.g. 0 never, 1 occasionally, 2 often, 3 always). For respondent *r* and sector *s*::

    index_rs = 100 × mean_{answered items j of s} (score_rsj) / K

A missing score (NaN) means "not answered" and is left out of the mean; a respondent
with no answered item in a sector has no index there (no row). When items are tagged
``"individual"`` (done alone: recycling, locking doors) or ``"collective"`` (done with
others: neighbourhood watch, a users' forum), the same formula over the items of each tag
gives the individual and collective sub-indices (NaN when none of them was answered).

Everything is computed with ``np.bincount`` over integer codes: 12 million answers take
well under a second.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from coproduce.analysis.survey import compact_codes

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

RESPONDENT: Final = "respondent_id"
SECTOR: Final = "sector"
ITEM: Final = "item"
SCORE: Final = "score"
TAG: Final = "tag"
TAGS: Final = ("individual", "collective")
"""The two kinds of co-production (Bovaird et al. 2015), in sub-index column order."""


def coproduction_index(
    answers: pd.DataFrame,
    k: int,
    *,
    item_tags: Mapping[Hashable, str] | None = None,
    tag_column: str = TAG,
) -> pd.DataFrame:
    """Compute each respondent's co-production index per sector (module docstring formula).

    Args:
        answers: long frame with columns ``respondent_id``, ``sector``, ``item``, ``score``
            (NaN = not answered), one row per respondent, sector and item.
        k: the top of the frequency scale; scores must lie in ``0 .. k``.
        item_tags: optional ``{item: "individual" | "collective"}``; it must cover every
            item. Give either this or a tag column, not both.
        tag_column: the column of per-row tags, used when present in ``answers``; a
            missing tag leaves the item in the overall index only.

    Returns:
        One row per respondent × sector with at least one answered item, sorted by
        respondent then sector: ``respondent_id, sector, index, n_items`` and, when items
        are tagged, ``index_individual, n_individual, index_collective, n_collective``.

    Raises:
        ValueError: ``k`` not a positive int, missing columns, missing identifiers,
            scores outside ``0 .. k`` (naming the rows), duplicated answers, unknown tags.
    """
    _check_k(k)
    _check_columns(answers)
    scores = _validated_scores(answers, k)
    respondents, respondent_values = _codes(answers[RESPONDENT], RESPONDENT)
    sectors, sector_values = _codes(answers[SECTOR], SECTOR)
    items, _ = _codes(answers[ITEM], ITEM)
    _check_unique_answers(answers, respondents, sectors, items)
    n_sectors = max(len(sector_values), 1)
    cell, cells = compact_codes(
        respondents * n_sectors + sectors, max(len(respondent_values), 1) * n_sectors
    )
    answered = ~np.isnan(scores)
    out = pd.DataFrame(
        {
            RESPONDENT: _take(respondent_values, cells // n_sectors),
            SECTOR: _take(sector_values, cells % n_sectors),
        }
    )
    index, count = _cell_index(cell, cells.size, scores, answered, k)
    out["index"], out["n_items"] = index, count
    tags = _row_tags(answers, item_tags, tag_column, sectors, items)
    if tags is not None:
        for code, tag in enumerate(TAGS):
            index, count = _cell_index(cell, cells.size, scores, answered & (tags == code), k)
            out[f"index_{tag}"], out[f"n_{tag}"] = index, count
    return out.loc[out["n_items"] > 0].reset_index(drop=True)


def _cell_index(
    cell: IntArray, n_cells: int, scores: FloatArray, mask: NDArray[np.bool_], k: int
) -> tuple[FloatArray, IntArray]:
    count = np.bincount(cell[mask], minlength=n_cells).astype(np.int64)
    total = np.bincount(cell[mask], weights=scores[mask], minlength=n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = 100.0 * total / (count * k)
    return np.where(count > 0, index, np.nan), count


def _check_k(k: int) -> None:
    # bool is an int subclass, but "K = True" is a bug, not a scale.
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k <= 0:
        raise ValueError(f"k (the top of the frequency scale) must be a positive int, not {k!r}")


def _check_columns(answers: pd.DataFrame) -> None:
    missing = [c for c in (RESPONDENT, SECTOR, ITEM, SCORE) if c not in answers.columns]
    if missing:
        raise ValueError(f"answers lack the column(s) {missing}")


def _validated_scores(answers: pd.DataFrame, k: int) -> FloatArray:
    try:
        scores = pd.to_numeric(answers[SCORE], errors="raise")
        values = scores.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as error:
        raise ValueError(f"column {SCORE!r} must be numeric (NaN for not answered)") from error
    with np.errstate(invalid="ignore"):
        bad = (values < 0) | (values > k) | np.isinf(values)
    if bad.any():
        rows = list(answers.index[bad][:10])
        shown = list(values[bad][:10])
        raise ValueError(
            f"{int(bad.sum())} score(s) outside 0..{k}: rows {rows} (values {shown})"
            + (" and more" if bad.sum() > 10 else "")
        )
    return values


def _codes(values: pd.Series, name: str) -> tuple[IntArray, pd.Index]:
    """Sorted integer codes; integer ids with a compact range skip hashing entirely."""
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        array = values.to_numpy()
        if array.size:
            low, high = int(array.min()), int(array.max())
            if high - low <= 4 * array.size:
                return (array - low).astype(np.int64), pd.RangeIndex(low, high + 1)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    if (codes < 0).any():
        rows = list(values.index[codes < 0][:10])
        raise ValueError(f"column {name!r} has missing values, e.g. rows {rows}")
    return codes.astype(np.int64), pd.Index(uniques)


def _take(values: pd.Index, positions: IntArray) -> pd.Index:
    return values.take(positions)


def _check_unique_answers(
    answers: pd.DataFrame, respondents: IntArray, sectors: IntArray, items: IntArray
) -> None:
    n_sectors, n_items = int(sectors.max()) + 1, int(items.max()) + 1
    key = (respondents * n_sectors + sectors) * n_items + items
    size = (int(respondents.max()) + 1) * n_sectors * n_items
    if size <= 4 * key.size:
        duplicated = np.bincount(key, minlength=size)[key] > 1
    else:
        duplicated = pd.Series(key).duplicated(keep=False).to_numpy()
    if duplicated.any():
        rows = list(answers.index[duplicated][:10])
        raise ValueError(
            f"{int(duplicated.sum())} rows answer the same respondent, sector and item "
            f"more than once, e.g. rows {rows}"
        )


def _row_tags(
    answers: pd.DataFrame,
    item_tags: Mapping[Hashable, str] | None,
    tag_column: str,
    sectors: IntArray,
    items: IntArray,
) -> IntArray | None:
    """The tag code of each row (index in :data:`TAGS`, -1 untagged), or None if untagged."""
    has_column = tag_column in answers.columns
    if item_tags is not None and has_column:
        raise ValueError(f"give item_tags or a {tag_column!r} column, not both")
    if item_tags is not None:
        unmapped = sorted({str(i) for i in answers[ITEM].unique() if i not in item_tags})
        if unmapped:
            raise ValueError(f"item_tags has no tag for the item(s) {unmapped[:10]}")
        tags = answers[ITEM].map(dict(item_tags))
    elif has_column:
        tags = answers[tag_column]
    else:
        return None
    codes = _tag_codes(tags)
    _check_consistent_tags(answers, codes, sectors, items)
    return codes


def _tag_codes(tags: pd.Series) -> IntArray:
    categorical = pd.Categorical(tags, categories=list(TAGS))
    unknown = categorical.isna() & tags.notna().to_numpy()
    if unknown.any():
        found = sorted({str(t) for t in tags[unknown].unique()})
        raise ValueError(f"unknown tag(s) {found}; tags must be one of {TAGS}")
    return np.asarray(categorical.codes, dtype=np.int64)


def _check_consistent_tags(
    answers: pd.DataFrame, tags: IntArray, sectors: IntArray, items: IntArray
) -> None:
    """An item is individual or collective once and for all, within its sector."""
    n_items = int(items.max()) + 1
    item_key = sectors * n_items + items
    n_keys = (int(sectors.max()) + 1) * n_items
    per_item = np.zeros((n_keys, len(TAGS) + 1), dtype=bool)
    per_item[item_key, tags + 1] = True
    clashing = per_item.sum(axis=1) > 1
    if clashing.any():
        rows = list(answers.index[clashing[item_key]][:10])
        raise ValueError(f"an item carries different tags in different rows, e.g. rows {rows}")
