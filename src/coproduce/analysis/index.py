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

Two paths give the same result (to rounding: sums of whole-number scores are exact):

* the *block path*, for the usual layout of a survey file: each respondent's answers in
  consecutive rows, respondents in increasing order, every respondent with the same
  (sector, item) pairs in the same order (a wide questionnaire melted into long form, or a
  long file sorted by respondent, sector and item). The scores are then a ``respondents ×
  items`` table, and every index is a sum over a few of its columns, computed in
  cache-sized chunks straight into the output, with no sort, hash or bincount: 12 million
  answers take about 0.2 s on a small machine;
* the *general path*, for any other order: ``np.bincount`` over integer codes, in one
  reused buffer, about three times slower.

Both paths validate alike and raise the same errors, in the same order.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from coproduce.analysis.survey import compact_codes, factorize

# Dense bincounts over ``respondent × sector`` cells while they are at most this sparse.
_DENSE_FACTOR = 4
_DENSE_FLOOR = 1 << 20
# Answers in blocks of at most this many rows per respondent take the block path.
_MAX_BLOCK = 4096
# The block path works on chunks of about this many scores (half a MB, in cache).
_CHUNK_CELLS = 1 << 16

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
    scores = _float_scores(answers)
    checked = scores is None  # else the range is checked as the scores are read
    if scores is None:
        scores = _validated_scores(answers, k)
    try:
        return _index(answers, scores, k, item_tags, tag_column, checked=checked)
    except ValueError:
        if not checked:
            _validated_scores(answers, k)  # a bad score is reported before anything else
        raise


def _index(
    answers: pd.DataFrame,
    scores: FloatArray,
    k: int,
    item_tags: Mapping[Hashable, str] | None,
    tag_column: str,
    *,
    checked: bool,
) -> pd.DataFrame:
    respondent = answers[RESPONDENT]
    # int64 ids cannot be missing and are already sorted keys: no need to code them first.
    raw_ids = respondent.dtype == np.dtype(np.int64)
    respondents = None if raw_ids else _codes(respondent, RESPONDENT)
    sectors = _codes(answers[SECTOR], SECTOR)
    items = _codes(answers[ITEM], ITEM)
    if tag_column not in answers.columns:
        keys = respondent.to_numpy() if respondents is None else respondents[0]
        blocks = _Blocks.find(keys, sectors[0], items[0], len(items[1]))
        if blocks is not None:
            values = None if respondents is None else respondents[1]
            return _block_index(answers, blocks, scores, k, values, sectors[1], items[1], item_tags)
    if not checked:
        scores = _validated_scores(answers, k)
    if respondents is None:
        respondents = _codes(respondent, RESPONDENT)
    # Every row-length key is built in this one buffer: on 12 million rows, fresh arrays
    # cost more in page faults than the arithmetic itself.
    work = np.empty(len(answers), dtype=np.int64)
    coded = _code_answers(work, respondents, sectors, items)
    _check_unique_answers(answers, coded, work)
    row_tags = _row_tags(answers, item_tags, tag_column, coded, work)
    cells = _cell_codes(coded, work)
    width = 1 if row_tags is None else len(TAGS) + 1
    count, total = _cell_sums(cells, row_tags, scores, width)
    answered = _row_sums(count)
    # Cells whose answers are all missing are respondents excluded from that sector.
    kept = np.flatnonzero(answered > 0)
    ids = kept if cells.ids is None else cells.ids[kept]
    n_sectors = max(len(coded.sector_values), 1)
    return _index_frame(
        answers,
        coded.respondent_values.take(ids // n_sectors),
        coded.sector_values,
        ids % n_sectors,
        _Sums(count, total, answered, kept),
        k,
    )


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
class _Blocks:
    """Answers laid out in blocks: each respondent's rows are ``width`` consecutive rows,
    respondents in increasing order, and every block holds the same distinct (sector,
    item) pairs in the same order — the layout of a wide questionnaire file melted into
    long form, or of a long file sorted by respondent, sector and item.
    """

    width: int
    firsts: NDArray[Any]  # each block's respondent key, strictly increasing
    sectors: NDArray[np.integer]  # the sector code of each column of a block
    items: NDArray[np.integer]  # the item code of each column of a block

    @staticmethod
    def find(
        keys: NDArray[Any], sectors: NDArray[np.integer], items: NDArray[np.integer], n_items: int
    ) -> _Blocks | None:
        """The block layout of the rows, or None when they are not so laid out."""
        head = keys[: _MAX_BLOCK + 1]
        changes = np.flatnonzero(head != head[0])
        width = int(changes[0]) if changes.size else keys.size
        if width > _MAX_BLOCK or keys.size % width:
            return None
        pattern_sectors, pattern_items = sectors[:width], items[:width]
        pairs = pattern_sectors.astype(np.int64) * max(n_items, 1) + pattern_items
        if np.unique(pairs).size < width:
            return None  # a duplicated answer: the general path names the rows
        if not (
            _repeats(items, pattern_items)
            and _repeats(sectors, pattern_sectors)
            and _sorted_blocks(keys, width)
        ):
            return None
        firsts = keys[::width]
        if firsts.size > 1 and not bool(np.all(firsts[1:] > firsts[:-1])):
            return None
        return _Blocks(width=width, firsts=firsts, sectors=pattern_sectors, items=pattern_items)


def _repeats(values: NDArray[Any], pattern: NDArray[Any]) -> bool:
    """``values`` is ``pattern`` over and over (compared in chunks: a long inner loop)."""
    tiled = np.tile(pattern, max(1, _CHUNK_CELLS // pattern.size))
    return all(
        bool(np.array_equal(values[start : start + tiled.size], tiled[: values.size - start]))
        for start in range(0, values.size, tiled.size)
    )


def _sorted_blocks(keys: NDArray[Any], width: int) -> bool:
    """The keys never decrease and each block of ``width`` starts and ends on one key."""
    ends = range(0, keys.size, _CHUNK_CELLS)
    return bool(
        all(np.all(keys[start + 1 : end + 1] >= keys[start:end]) for start, end in _spans(ends))
        and np.array_equal(keys[::width], keys[width - 1 :: width])
    )


def _spans(starts: range) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` pairs of a range, the last ending one before its stop."""
    bounds = [*starts, starts.stop - 1]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]


def _block_index(
    answers: pd.DataFrame,
    blocks: _Blocks,
    scores: FloatArray,
    k: int,
    respondent_values: pd.Index | None,
    sector_values: pd.Index,
    item_values: pd.Index,
    item_tags: Mapping[Hashable, str] | None,
) -> pd.DataFrame:
    """The index of answers laid out in blocks: sums over a block's columns, no sorting.

    A block's columns (items) fall into parts by sector and tag (0 untagged, then
    :data:`TAGS`), so a respondent's count and total in a part are sums over a few
    columns, and the overall count and total of a sector are the sums of its parts. All
    of it is computed chunk by chunk, straight into the output columns, so that every
    temporary stays in cache; cells with no answer are squeezed out of each chunk as it
    is written. Scores are range-checked on the way.
    """
    present = np.unique(blocks.sectors)
    n_sectors = present.size
    rank = np.searchsorted(present, blocks.sectors)
    tag_of = np.zeros(blocks.width, dtype=np.int64)
    n_columns = 1  # output index columns: overall, then one per tag when tagged
    if item_tags is not None:
        used = np.zeros(max(len(item_values), 1), dtype=bool)
        used[blocks.items] = True
        tag_of = _tag_lookup(item_tags, item_values, used)[blocks.items]
        n_columns += len(TAGS)
    # parts[t][s]: the block columns of sector s with tag t. Untagged, they are the
    # overall index's when nothing is tagged, else a part kept in a scratch column.
    tags = range(n_columns) if n_columns == 1 else [*range(1, n_columns), 0]
    parts = {
        tag: [np.flatnonzero((tag_of == tag) & (rank == sector)) for sector in range(n_sectors)]
        for tag in tags
        if n_columns == 1 or tag > 0 or bool((tag_of == 0).any())
    }
    out = _BlockOutput.allocate(
        blocks.firsts.size * n_sectors,
        n_columns,
        blocks.firsts.dtype if respondent_values is None else np.dtype(np.int64),
        answers[SECTOR],
    )
    table = scores.reshape(-1, blocks.width)
    step = max(1, min(_CHUNK_CELLS // blocks.width, table.shape[0]))
    answered = np.empty((step, blocks.width))
    zeroed = np.empty((step, blocks.width))
    counts = np.empty((n_columns + 1, step, n_sectors))  # the last is the untagged part's
    untagged = np.empty((step, n_sectors))
    scale = 100.0 / k
    with np.errstate(invalid="ignore"):  # 0 / 0 is the NaN index of an unanswered cell
        for start in range(0, table.shape[0], step):
            chunk = table[start : start + step]
            m = chunk.shape[0]
            flags, values = answered[:m], zeroed[:m]
            cell = out.cells(m, n_sectors)
            np.equal(chunk, chunk, out=flags)  # 1 when answered, 0 when NaN
            np.fmax(chunk, 0.0, out=values)  # a missing score adds 0
            if values.max() > k or np.fmin.reduce(chunk, axis=None) < 0:
                _validated_scores_slowly(answers, k)  # raises, naming the rows
            sums = []  # (count, total) of each part
            for tag, sectors in parts.items():
                scratch = tag == 0 and n_columns > 1
                count = counts[n_columns if scratch else tag, :m]
                total = untagged[:m] if scratch else cell(out.index[tag])
                for sector, columns in enumerate(sectors):
                    _sum_columns(flags, columns, count[:, sector])
                    _sum_columns(values, columns, total[:, sector])
                sums.append((count, total))
            if n_columns > 1:  # the overall count and total add up the parts
                np.add(sums[0][0], sums[1][0], out=counts[0, :m])
                np.add(sums[0][1], sums[1][1], out=cell(out.index[0]))
                for count, total in sums[2:]:
                    counts[0, :m] += count
                    cell(out.index[0])[...] += total
            for column in range(n_columns):
                count, index = counts[column, :m], cell(out.index[column])
                np.copyto(cell(out.n[column]), count, casting="unsafe")
                np.divide(index, count, out=index)
                index *= scale
            cell(out.respondents)[...] = blocks.firsts[start : start + m, np.newaxis]
            cell(out.sectors)[...] = present
            out.squeeze(m * n_sectors)
    ids = out.respondents[: out.size]
    return pd.DataFrame(
        {
            RESPONDENT: ids if respondent_values is None else respondent_values.take(ids),
            SECTOR: _sector_column(answers[SECTOR], sector_values, out.sectors[: out.size]),
            **out.columns(),
        },
        copy=False,
    )


def _sum_columns(table: FloatArray, columns: IntArray, out: FloatArray) -> None:
    """``out = table[:, columns].sum(axis=1)``, one addition per extra column."""
    if columns.size == 0:
        out[...] = 0.0
        return
    if columns.size == 1:
        np.copyto(out, table[:, columns[0]])
        return
    np.add(table[:, columns[0]], table[:, columns[1]], out=out)
    for column in columns[2:]:
        out += table[:, column]


@dataclass
class _BlockOutput:
    """The output columns of the block path, filled chunk by chunk."""

    respondents: NDArray[Any]
    sectors: NDArray[np.integer]
    index: list[FloatArray]  # overall, then per tag
    n: list[IntArray]
    size: int = 0  # cells written so far

    @staticmethod
    def allocate(
        cells: int, n_columns: int, respondent_dtype: np.dtype[Any], sector: pd.Series
    ) -> _BlockOutput:
        categorical = isinstance(sector.dtype, pd.CategoricalDtype)
        return _BlockOutput(
            respondents=np.empty(cells, dtype=respondent_dtype),
            # A categorical's own code type, so that from_codes need not convert them.
            sectors=np.empty(cells, dtype=sector.cat.codes.dtype if categorical else np.int64),
            index=[np.empty(cells) for _ in range(n_columns)],
            n=[np.empty(cells, dtype=np.int64) for _ in range(n_columns)],
        )

    def cells(self, m: int, n_sectors: int) -> Callable[[NDArray[Any]], NDArray[Any]]:
        """The next ``m`` blocks' cells of an output column, as an ``m × n_sectors`` view."""
        part = slice(self.size, self.size + m * n_sectors)
        return lambda column: column[part].reshape(m, n_sectors)

    def squeeze(self, written: int) -> None:
        """Keep the cells just written that have an answer, in place, and move on."""
        stop = self.size + written
        answered = self.n[0][self.size : stop]
        if answered.all():
            self.size = stop
            return
        kept = answered > 0
        end = self.size + int(kept.sum())
        for column in [self.respondents, self.sectors, *self.index, *self.n]:
            column[self.size : end] = column[self.size : stop][kept]
        self.size = end

    def columns(self) -> dict[str, NDArray[Any]]:
        out: dict[str, NDArray[Any]] = {}
        for name, index, n in zip(["", *TAGS], self.index, self.n, strict=False):
            out[f"index_{name}" if name else "index"] = index[: self.size]
            out[f"n_{name}" if name else "n_items"] = n[: self.size]
        return out


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


def _code_answers(
    work: IntArray,
    respondents: tuple[NDArray[np.integer], pd.Index],
    sectors: tuple[NDArray[np.integer], pd.Index],
    items: tuple[NDArray[np.integer], pd.Index],
) -> _CodedAnswers:
    n_sectors, n_items = max(len(sectors[1]), 1), max(len(items[1]), 1)
    np.multiply(sectors[0], n_items, out=work, dtype=np.int64)
    work += items[0]
    seen = np.bincount(work, minlength=n_sectors * n_items).reshape(n_sectors, n_items) > 0
    return _CodedAnswers(
        respondents=respondents[0],
        respondent_values=respondents[1],
        sectors=sectors[0],
        sector_values=sectors[1],
        items=items[0],
        item_values=items[1],
        pairs_seen=seen,
    )


def _codes(values: pd.Series, name: str) -> tuple[NDArray[np.integer], pd.Index]:
    codes: NDArray[np.integer]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Small integer codes as they are: widening 12 million of them costs a pass.
        codes, uniques = values.cat.codes.to_numpy(), pd.Index(values.cat.categories)
    elif isinstance(values.dtype, pd.StringDtype):
        # What read_responses returns. Strings always sort, so a categorical's sorted
        # categories and codes are factorize's, and it builds them about twice as fast.
        categorical = pd.Categorical(values)
        codes, uniques = np.asarray(categorical.codes), pd.Index(categorical.categories)
    else:
        codes, uniques = factorize(values)
    # A NumPy integer column cannot hold a missing value: skip a pass over its codes.
    integers = isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu"
    if not integers and codes.size and codes.min() < 0:
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


@dataclass(frozen=True)
class _Sums:
    """Answered counts and score totals per cell (rows) and tag column (columns)."""

    count: IntArray
    total: FloatArray
    answered: IntArray  # row sums of count
    kept: IntArray  # the cells with an answer


def _index_frame(
    answers: pd.DataFrame,
    respondents: pd.Index | NDArray[Any],
    sector_values: pd.Index,
    sector_codes: IntArray,
    sums: _Sums,
    k: int,
) -> pd.DataFrame:
    """The output frame of the kept cells, given their respondent ids and sector codes."""
    count, total, answered = sums.count, sums.total, sums.answered
    if sums.kept.size < answered.size:
        count, total, answered = count[sums.kept], total[sums.kept], answered[sums.kept]
    out = pd.DataFrame(
        {
            RESPONDENT: respondents,
            SECTOR: _sector_column(answers[SECTOR], sector_values, sector_codes),
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
    sector: pd.Series, values: pd.Index, codes: NDArray[np.integer]
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


def _float_scores(answers: pd.DataFrame) -> FloatArray | None:
    """The scores as float64 without a copy when they already are, else None."""
    column = answers[SCORE]
    if column.dtype == np.dtype(np.float64):
        return np.asarray(column.to_numpy(), dtype=np.float64)
    return None


def _validated_scores(answers: pd.DataFrame, k: int) -> FloatArray:
    column = answers[SCORE]
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiu":
        # Already numbers: to_numeric would only copy them.
        values = column.to_numpy(dtype=np.float64)
        if values.size == 0 or _within(values, k):
            return values
    return _validated_scores_slowly(answers, k)


def _validated_scores_slowly(answers: pd.DataFrame, k: int) -> FloatArray:
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
    used = np.any(coded.pairs_seen, axis=0)
    return _tag_lookup(item_tags, coded.item_values, used)[coded.items]


def _tag_lookup(
    item_tags: Mapping[Hashable, str], item_values: pd.Index, used: NDArray[np.bool_]
) -> IntArray:
    """The tag column of each item code (0 untagged); every used item must be mapped."""
    seen = [bool(flag) for flag in used.tolist()]
    items = list(item_values)
    unmapped = sorted(
        str(item) for item, flag in zip(items, seen, strict=True) if flag and item not in item_tags
    )
    if unmapped:
        raise ValueError(f"item_tags has no tag for the item(s) {unmapped[:10]}")
    # Unused categories of a categorical item column need no tag.
    names = [item_tags.get(item) if flag else None for item, flag in zip(items, seen, strict=True)]
    return _tag_codes(pd.Series(names, dtype=object))


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
