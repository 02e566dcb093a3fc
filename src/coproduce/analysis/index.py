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

Everything is computed with ``np.bincount`` over integer codes, in one reused buffer: 12
million answers take about half a second on a small machine.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from coproduce.analysis.survey import compact_codes, factorize

# Dense bincounts over ``respondent × sector`` cells while they are at most this sparse.
_DENSE_FACTOR = 4
_DENSE_FLOOR = 1 << 20

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
    if len(answers) == 0:
        return _empty_index(answers, tagged=item_tags is not None or tag_column in answers)
    scores = _validated_scores(answers, k)
    # Every row-length key is built in this one buffer: on 12 million rows, fresh arrays
    # cost more in page faults than the arithmetic itself.
    work = np.empty(len(answers), dtype=np.int64)
    coded = _code_answers(answers, work)
    _check_unique_answers(answers, coded, work)
    row_tags = _row_tags(answers, item_tags, tag_column, coded, work)
    cells = _cell_codes(coded, work)
    width = 1 if row_tags is None else len(TAGS) + 1
    count, total = _cell_sums(cells, row_tags, scores, width)
    return _index_frame(answers, coded, cells, count, total, k)


def _empty_index(answers: pd.DataFrame, *, tagged: bool) -> pd.DataFrame:
    columns = {
        RESPONDENT: answers[RESPONDENT].iloc[:0],
        SECTOR: answers[SECTOR].iloc[:0],
        "index": np.empty(0),
        "n_items": np.empty(0, dtype=np.int64),
    }
    if tagged:
        for tag in TAGS:
            columns[f"index_{tag}"] = np.empty(0)
            columns[f"n_{tag}"] = np.empty(0, dtype=np.int64)
    return pd.DataFrame({name: np.asarray(values) for name, values in columns.items()})


@dataclass(frozen=True)
class _CodedAnswers:
    """Integer codes of the answers, and which (sector, item) pairs occur."""

    respondents: NDArray[np.integer]
    respondent_values: pd.Index
    sectors: NDArray[np.integer]
    sector_values: pd.Index
    items: NDArray[np.integer]
    item_values: pd.Index
    pairs_seen: NDArray[np.bool_]  # sectors × items


@dataclass(frozen=True)
class _Cells:
    """Respondent × sector cell of each row; ``ids[c]`` is ``r·S + s`` unless dense."""

    codes: IntArray
    size: int
    ids: IntArray | None


def _code_answers(answers: pd.DataFrame, work: IntArray) -> _CodedAnswers:
    respondents, respondent_values = _codes(answers[RESPONDENT], RESPONDENT)
    sectors, sector_values = _codes(answers[SECTOR], SECTOR)
    items, item_values = _codes(answers[ITEM], ITEM)
    n_sectors, n_items = max(len(sector_values), 1), max(len(item_values), 1)
    np.multiply(sectors, n_items, out=work, dtype=np.int64)
    work += items
    seen = np.bincount(work, minlength=n_sectors * n_items).reshape(n_sectors, n_items) > 0
    return _CodedAnswers(
        respondents=respondents,
        respondent_values=respondent_values,
        sectors=sectors,
        sector_values=sector_values,
        items=items,
        item_values=item_values,
        pairs_seen=seen,
    )


def _codes(values: pd.Series, name: str) -> tuple[NDArray[np.integer], pd.Index]:
    codes: NDArray[np.integer]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Small integer codes as they are: widening 12 million of them costs a pass.
        codes, uniques = values.cat.codes.to_numpy(), pd.Index(values.cat.categories)
    else:
        codes, uniques = factorize(values)
    if codes.size and codes.min() < 0:
        rows = list(values.index[codes < 0][:10])
        raise ValueError(f"column {name!r} has missing values, e.g. rows {rows}")
    return codes, uniques


def _cell_codes(coded: _CodedAnswers, work: IntArray) -> _Cells:
    """Code each row's respondent × sector cell as ``r·S + s``, in ``work`` when dense."""
    n_sectors = max(len(coded.sector_values), 1)
    size = max(len(coded.respondent_values), 1) * n_sectors
    np.multiply(coded.respondents, n_sectors, out=work, dtype=np.int64)
    work += coded.sectors
    if size <= _DENSE_FACTOR * work.size + _DENSE_FLOOR:
        return _Cells(codes=work, size=size, ids=None)
    codes, ids = compact_codes(work, size)
    return _Cells(codes=codes, size=int(ids.size), ids=ids)


def _cell_sums(
    cells: _Cells, row_tags: IntArray | None, scores: FloatArray, width: int
) -> tuple[IntArray, FloatArray]:
    """Answered count and score total per cell and tag column (0 untagged, 1.. :data:`TAGS`).

    Unanswered rows are sent to one extra bin, so that neither a mask nor a NaN-free copy
    of the scores is needed.
    """
    key = cells.codes  # owned by coproduction_index, so it is updated in place
    if row_tags is not None:
        key *= width
        key += row_tags
    spare = cells.size * width
    np.copyto(key, spare, where=np.isnan(scores))
    count = np.bincount(key, minlength=spare + 1)[:spare].reshape(cells.size, width)
    total = np.bincount(key, weights=scores, minlength=spare + 1)[:spare]
    return (
        np.asarray(count, dtype=np.int64),
        np.asarray(total, dtype=np.float64).reshape(cells.size, width),
    )


def _index_frame(
    answers: pd.DataFrame,
    coded: _CodedAnswers,
    cells: _Cells,
    count: IntArray,
    total: FloatArray,
    k: int,
) -> pd.DataFrame:
    answered = _row_sums(count)
    # Cells whose answers are all missing are respondents excluded from that sector.
    kept = np.flatnonzero(answered > 0)
    if kept.size < answered.size:
        count, total, answered = count[kept], total[kept], answered[kept]
    ids = kept if cells.ids is None else cells.ids[kept]
    n_sectors = max(len(coded.sector_values), 1)
    out = pd.DataFrame(
        {
            RESPONDENT: coded.respondent_values.take(ids // n_sectors),
            SECTOR: _sector_column(answers[SECTOR], coded.sector_values, ids % n_sectors),
            "index": _scaled_mean(_row_sums(total), answered, k),
            "n_items": answered,
        },
        copy=False,
    )
    if count.shape[1] > 1:
        for column, tag in enumerate(TAGS, start=1):
            out[f"index_{tag}"] = _scaled_mean(total[:, column], count[:, column], k)
            out[f"n_{tag}"] = count[:, column]
    return out


def _scaled_mean(total: FloatArray, count: IntArray, k: int) -> FloatArray:
    """``100 · total / (count · k)``, NaN where nothing was answered; one allocation."""
    out = np.full(total.shape, np.nan)
    np.divide(total, count, out=out, where=count > 0)
    out *= 100.0 / k
    return out


def _row_sums(table: NDArray[Any]) -> NDArray[Any]:
    """Sum of a narrow table's columns: much faster than ``sum(axis=1)`` over 3 columns."""
    out = table[:, 0].copy()
    for column in range(1, table.shape[1]):
        out += table[:, column]
    return out


def _sector_column(
    sector: pd.Series, values: pd.Index, codes: IntArray
) -> pd.Categorical | pd.Index:
    """Sectors of the output cells, keeping a categorical input categorical (and cheap)."""
    if isinstance(sector.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(codes, dtype=sector.dtype)
    return values.take(codes)


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
    if values.size == 0 or _within(values, k):
        return values
    with np.errstate(invalid="ignore"):
        bad = (values < 0) | (values > k)
    if bad.any():
        rows = list(answers.index[bad][:10])
        shown = list(values[bad][:10])
        raise ValueError(
            f"{int(bad.sum())} score(s) outside 0..{k}: rows {rows} (values {shown})"
            + (" and more" if bad.sum() > 10 else "")
        )
    return values


def _within(values: FloatArray, k: int) -> bool:
    """Two reductions instead of three 12-million-row masks in the usual, valid case."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN input
        low, high = np.nanmin(values), np.nanmax(values)
    return bool(low >= 0 and high <= k)


def _check_unique_answers(answers: pd.DataFrame, coded: _CodedAnswers, work: IntArray) -> None:
    """No respondent answers the same item of the same sector twice."""
    n_items = max(len(coded.item_values), 1)
    if (coded.pairs_seen.sum(axis=0) <= 1).all():
        # Each item belongs to one sector, so (respondent, item) identifies the answer.
        np.multiply(coded.respondents, n_items, out=work, dtype=np.int64)
        work += coded.items
        size = len(coded.respondent_values) * n_items
    else:
        rank = np.cumsum(coded.pairs_seen.ravel()) - 1
        n_pairs = int(coded.pairs_seen.sum())
        np.multiply(coded.sectors, n_items, out=work, dtype=np.int64)
        work += coded.items
        pair = rank[work]
        np.multiply(coded.respondents, n_pairs, out=work, dtype=np.int64)
        work += pair
        size = len(coded.respondent_values) * n_pairs
    if size <= _DENSE_FACTOR * work.size + _DENSE_FLOOR:
        counts = np.bincount(work, minlength=size)
        if counts.max() <= 1:
            return
        duplicated = counts[work] > 1
    else:
        duplicated = pd.Series(work).duplicated(keep=False).to_numpy()
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
    coded: _CodedAnswers,
    work: IntArray,
) -> IntArray | None:
    """Each row's tag column: 0 untagged, ``1 + i`` for ``TAGS[i]``; None if none is tagged."""
    has_column = tag_column in answers.columns
    if item_tags is not None and has_column:
        raise ValueError(f"give item_tags or a {tag_column!r} column, not both")
    if item_tags is not None:
        return _tags_from_mapping(item_tags, coded)
    if has_column:
        return _tags_from_column(answers, answers[tag_column], coded, work)
    return None


def _tags_from_mapping(item_tags: Mapping[Hashable, str], coded: _CodedAnswers) -> IntArray:
    used = [bool(seen) for seen in np.any(coded.pairs_seen, axis=0).tolist()]
    items = list(coded.item_values)
    unmapped = sorted(
        str(item) for item, seen in zip(items, used, strict=True) if seen and item not in item_tags
    )
    if unmapped:
        raise ValueError(f"item_tags has no tag for the item(s) {unmapped[:10]}")
    # Unused categories of a categorical item column need no tag.
    names = [item_tags.get(item) if seen else None for item, seen in zip(items, used, strict=True)]
    lookup = _tag_codes(pd.Series(names, dtype=object))
    return lookup[coded.items]


def _tags_from_column(
    answers: pd.DataFrame, tags: pd.Series, coded: _CodedAnswers, work: IntArray
) -> IntArray:
    """Tags per row; an item is individual, collective or untagged once and for all."""
    row_tags = _tag_codes(tags)
    width = len(TAGS) + 1
    n_items = max(len(coded.item_values), 1)
    np.multiply(coded.sectors, n_items * width, out=work, dtype=np.int64)
    work += np.multiply(coded.items, width, dtype=np.int64)
    work += row_tags
    seen = np.bincount(work, minlength=coded.pairs_seen.size * width)
    clashing = (seen.reshape(-1, width) > 0).sum(axis=1) > 1
    if clashing.any():
        rows = list(answers.index[clashing[work // width]][:10])
        raise ValueError(f"an item carries different tags in different rows, e.g. rows {rows}")
    return row_tags


def _tag_codes(tags: pd.Series) -> IntArray:
    codes, uniques = factorize(tags)
    unknown = sorted({str(tag) for tag in uniques if tag not in TAGS})
    if unknown:
        raise ValueError(f"unknown tag(s) {unknown}; tags must be one of {TAGS}")
    # Code 0 is "untagged" and tag t is 1 + its position in TAGS; a missing tag has code
    # -1 and so picks the last entry of the lookup, 0.
    lookup = np.array([1 + TAGS.index(tag) for tag in uniques] + [0], dtype=np.int64)
    return lookup[codes]
