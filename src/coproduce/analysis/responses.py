"""Reading survey files: answers in long format, officials' estimates, population margins.

The formats are documented in ``docs/data-formats.md``. Pure pandas/NumPy, no Django, so
the platform's survey-wave import and the analysts' command line share one reader.

Every reader checks the whole file and raises :class:`ResponsesError` listing *every*
problem at once, each as ``"line N: …"`` (the header is line 1) or as a file-level
message, so that a file is fixed in one pass and a file with any error yields nothing.

Line numbers: for CSV, the line of the row in the file (blank lines count, rows whose
cells are all empty are skipped; a quoted value spanning several lines shifts the
numbers of the rows after it); for XLSX, the spreadsheet row number (first sheet, header
in row 1); for Parquet, which has no lines, the row position + 2, as if the table had
been written out as CSV with a header.

How it stays fast on 12 million rows: every column is read as a pandas categorical, and
all parsing and checking (trimming, numbers, ranges, allowed codes) is done on its few
distinct values, then mapped back to the rows through the integer codes. Messages are
built only for offending rows.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final, Literal

import numpy as np
import pandas as pd
import pyarrow
from numpy.typing import NDArray

FileFormat = Literal["csv", "xlsx", "parquet"]
Source = str | Path | BinaryIO

RESPONDENT: Final = "respondent_id"
SECTOR: Final = "sector"
ITEM: Final = "item"
SCORE: Final = "score"
TAG: Final = "tag"
LINE: Final = "line"
TAGS: Final = ("individual", "collective")
"""The allowed values of the optional ``tag`` column (see :mod:`coproduce.analysis.index`)."""

OFFICIALS_COLUMNS: Final = (RESPONDENT, SECTOR, "expected_index")
MARGINS_COLUMNS: Final = ("variable", "category", "target")

# Lines shown per value in a conflict message: enough to find the rows, short enough to read.
_LINES_SHOWN = 5
# Allowed codes listed in an "unknown sector" message, beyond which the list is elided.
_CODES_SHOWN = 20

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class ResponsesError(ValueError):
    """A file cannot be used; ``errors`` lists every problem, each naming its line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class SurveyResponses:
    """A checked survey file.

    Attributes:
        answers: one row per answer: ``respondent_id`` (str), ``sector`` (str), ``item``
            (str), ``score`` (float64; NaN = not answered), ``line`` (int64, the row's line
            in the file) and, when the file has one, ``tag`` (``"individual"``,
            ``"collective"`` or NaN).
        respondents: one row per respondent in order of first appearance:
            ``respondent_id`` (str) first, then every respondent-level column of the file
            in file order; a column whose values are all numbers is numeric (int64 when
            they are all whole and none is missing, else float64), any other is str.
    """

    answers: pd.DataFrame
    respondents: pd.DataFrame


def read_responses(
    source: Source,
    *,
    scale_max: int | None,
    file_format: FileFormat | None = None,
    sectors: Collection[str] | None = None,
    items: Mapping[str, Collection[str]] | None = None,
    numeric_columns: Collection[str] = (),
    weight_column: str | None = None,
    respondent_column: str = RESPONDENT,
) -> SurveyResponses:
    """Read and check a survey file in long format (``docs/data-formats.md``).

    Args:
        source: a path, or an open binary file.
        scale_max: ``K``, the top of the frequency scale: scores must be whole numbers in
            ``0 .. K``. ``None`` checks only that they are whole numbers >= 0 (for uses that
            do not read the scores, such as raking).
        file_format: ``"csv"``, ``"xlsx"`` or ``"parquet"``; ``None`` takes it from the
            file name's suffix.
        sectors: the allowed sector codes; ``None`` allows any.
        items: the allowed item codes per sector; ``None`` allows any. A sector absent
            from the mapping has no allowed item.
        numeric_columns: respondent-level columns whose non-blank values must be numbers.
        weight_column: the weight column: it must be present, and every value a finite
            number greater than 0.
        respondent_column: the name of the column identifying respondents in the file; it
            is called ``respondent_id`` in the result.

    Raises:
        ResponsesError: listing every problem found.
    """
    if scale_max is not None and (
        isinstance(scale_max, bool) or not isinstance(scale_max, int) or scale_max <= 0
    ):
        raise ValueError(f"scale_max must be a positive whole number, not {scale_max!r}")
    table = _read_table(source, file_format)
    respondent = _column_name(respondent_column)
    required = (respondent, SECTOR, ITEM, SCORE)
    wanted = [*required, *map(_column_name, numeric_columns)]
    if weight_column is not None:
        wanted.append(_column_name(weight_column))
    table.require(wanted)
    if table.n_rows == 0:
        raise ResponsesError(["the file has no answers: it holds a header and nothing else"])

    problems = _Problems(table.lines)
    ids = table.codes(respondent)
    problems.at(ids < 0, lambda _row: f"{respondent} is empty")
    problems.at(table.codes(SECTOR) < 0, lambda _row: f"{SECTOR} is empty")
    problems.at(table.codes(ITEM) < 0, lambda _row: f"{ITEM} is empty")
    _check_codes(table, problems, sectors, items)
    scores = _scores(table, problems, scale_max)
    if TAG in table.columns:
        _check_tags(table, problems)
    level = [c for c in table.columns if c not in (*required, TAG)]
    weight = None if weight_column is None else _column_name(weight_column)
    for column in dict.fromkeys(map(_column_name, numeric_columns)):
        if column != weight:
            _numbers(table, column, problems, weight=False)
    if weight is not None:
        _numbers(table, weight, problems, weight=True)
    first_rows, first_of = _first_rows(ids)
    for column in level:
        _check_constant(table, column, ids, first_of, problems, respondent)
    _check_unique_answers(table, ids, problems, respondent)
    problems.raise_if_any()

    answers = pd.DataFrame(
        {
            RESPONDENT: _strings(table.columns[respondent]),
            SECTOR: _strings(table.columns[SECTOR]),
            ITEM: _strings(table.columns[ITEM]),
            SCORE: scores,
            LINE: table.lines,
        }
    )
    if TAG in table.columns:
        answers[TAG] = _strings(table.columns[TAG])
    respondents = pd.DataFrame(
        {RESPONDENT: _strings(table.columns[respondent].take(first_rows))}
        | {c: _respondent_values(table.columns[c], first_rows) for c in level}
    )
    return SurveyResponses(answers=answers, respondents=respondents)


def read_officials(
    source: Source,
    *,
    file_format: FileFormat | None = None,
    sectors: Collection[str] | None = None,
) -> pd.DataFrame:
    """Read and check officials' estimates (``respondent_id, sector, expected_index``).

    ``expected_index`` is what the official believes the citizens' index to be, 0 – 100;
    a blank means the official gave no estimate for that sector. Other columns are
    ignored.

    Returns:
        ``respondent_id`` (str), ``sector`` (str), ``expected_index`` (float64, NaN when
        blank) and ``line``, one row per official and sector.

    Raises:
        ResponsesError: empty file, missing columns, blank identifiers, unknown sectors,
            values that are not numbers from 0 to 100, an official answering a sector twice.
    """
    table = _read_table(source, file_format)
    table.require(OFFICIALS_COLUMNS)
    if table.n_rows == 0:
        raise ResponsesError(["the file has no estimates: it holds a header and nothing else"])
    problems = _Problems(table.lines)
    ids, sector = table.codes(RESPONDENT), table.codes(SECTOR)
    problems.at(ids < 0, lambda _row: f"{RESPONDENT} is empty")
    problems.at(sector < 0, lambda _row: f"{SECTOR} is empty")
    _check_codes(table, problems, sectors, None)
    values, bad = _parse_numbers(table.labels("expected_index"))
    problems.at(
        _per_row(bad, table.codes("expected_index")),
        lambda row: f"expected_index {table.label('expected_index', row)!r} is not a number",
    )
    with np.errstate(invalid="ignore"):
        outside = ~bad & ((values < 0) | (values > 100) | np.isinf(values))
    problems.at(
        _per_row(outside, table.codes("expected_index")),
        lambda row: (
            f"expected_index {table.label('expected_index', row)} is outside 0..100 "
            "(it is an index value, not a share)"
        ),
    )
    _check_duplicates(
        table,
        problems,
        [ids, sector],
        lambda row: (
            f"official {table.label(RESPONDENT, row)!r} gives sector "
            f"{table.label(SECTOR, row)!r} again"
        ),
    )
    problems.raise_if_any()
    return pd.DataFrame(
        {
            RESPONDENT: _strings(table.columns[RESPONDENT]),
            SECTOR: _strings(table.columns[SECTOR]),
            "expected_index": _row_numbers(values, table.codes("expected_index")),
            LINE: table.lines,
        }
    )


def read_margins(
    source: Source, *, file_format: FileFormat | None = None
) -> dict[str, dict[str, float]]:
    """Read and check population margins (``variable, category, target``).

    Variable names are matched like column names (trimmed, lower case); categories are
    text, trimmed (a whole number is written without decimals, as in :func:`as_labels`).

    Returns:
        ``{variable: {category: target}}`` in file order.

    Raises:
        ResponsesError: empty file, missing columns, blank variable or category, a target
            that is not a number greater than 0, a variable × category given twice.
    """
    table = _read_table(source, file_format)
    table.require(MARGINS_COLUMNS)
    if table.n_rows == 0:
        raise ResponsesError(["the file has no margins: it holds a header and nothing else"])
    problems = _Problems(table.lines)
    variable, category = table.codes("variable"), table.codes("category")
    problems.at(variable < 0, lambda _row: "variable is empty")
    problems.at(category < 0, lambda _row: "category is empty")
    values, bad = _parse_numbers(table.labels("target"))
    target = table.codes("target")
    problems.at(
        _per_row(bad, target) | (target < 0),
        lambda row: f"target {table.label('target', row)!r} is not a number",
    )
    with np.errstate(invalid="ignore"):
        not_positive = ~bad & ~(np.isfinite(values) & (values > 0))
    problems.at(
        _per_row(not_positive, target),
        lambda row: f"target {table.label('target', row)} must be a number greater than 0",
    )
    variable_names = [_column_name(v) for v in table.labels("variable")]
    variable_codes = _recode(variable, variable_names)
    _check_duplicates(
        table,
        problems,
        [variable_codes, category],
        lambda row: (
            f"variable {table.label('variable', row)!r}, category "
            f"{table.label('category', row)!r} is given again"
        ),
    )
    problems.raise_if_any()
    margins: dict[str, dict[str, float]] = {}
    categories = table.labels("category")
    for v, c, t in zip(variable.tolist(), category.tolist(), target.tolist(), strict=True):
        margins.setdefault(variable_names[v], {})[categories[c]] = float(values[t])
    return margins


def as_labels(values: pd.Series) -> pd.Series:
    """The values of a column as the readers write categories: trimmed text, ``3`` not ``3.0``.

    Missing values stay missing. Used to match a numeric respondent column (``1, 2``) with
    the categories of a margins file (``"1", "2"``).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.array([_text(v) for v in uniques] + [np.nan], dtype=object)
    return pd.Series(texts[codes], index=values.index, name=values.name, dtype="str")


# --- reading ---------------------------------------------------------------------------


@dataclass
class _Table:
    """A file as categoricals of trimmed text (missing = code -1), with each row's line."""

    columns: dict[str, pd.Categorical]
    headers: dict[str, str]
    lines: IntArray

    @property
    def n_rows(self) -> int:
        return int(self.lines.size)

    def require(self, wanted: Collection[str]) -> None:
        missing = [c for c in dict.fromkeys(wanted) if c not in self.columns]
        if missing:
            found = ", ".join(self.headers.values()) or "none"
            raise ResponsesError(
                [f"the file lacks the column(s) {', '.join(missing)} (columns found: {found})"]
            )

    def codes(self, column: str) -> IntArray:
        return np.asarray(self.columns[column].codes, dtype=np.int64)

    def labels(self, column: str) -> list[str]:
        return [str(v) for v in self.columns[column].categories]

    def label(self, column: str, row: int) -> str:
        code = int(self.columns[column].codes[row])
        return "" if code < 0 else str(self.columns[column].categories[code])


def _read_table(source: Source, file_format: FileFormat | None) -> _Table:
    fmt = _file_format(source, file_format)
    frame = _read_frame(source, fmt)
    headers: dict[str, str] = {}
    columns: dict[str, pd.Categorical] = {}
    errors = []
    for position, header in enumerate(frame.columns):
        name = _column_name(header)
        column = _as_text(frame.iloc[:, position])
        if not name or name.startswith("unnamed:"):
            # A trailing separator in the header makes a nameless empty column: harmless.
            if (np.asarray(column.codes) < 0).all():
                continue
            errors.append(f"column {position + 1} has no name in the header")
            continue
        if name in columns:
            errors.append(f"the column {name} appears twice in the header")
            continue
        headers[name] = str(header).strip()
        columns[name] = column
    if errors:
        raise ResponsesError(errors)
    lines = np.arange(2, len(frame) + 2, dtype=np.int64)
    if columns:
        blank = np.ones(len(frame), dtype=bool)
        for column in columns.values():
            blank &= np.asarray(column.codes) < 0
        if blank.any():
            kept = np.flatnonzero(~blank)
            columns = {name: column.take(kept) for name, column in columns.items()}
            lines = lines[kept]
    return _Table(columns=columns, headers=headers, lines=lines)


def _file_format(source: Source, file_format: FileFormat | None) -> FileFormat:
    if file_format is not None:
        if file_format not in ("csv", "xlsx", "parquet"):
            raise ValueError(f"file_format must be csv, xlsx or parquet, not {file_format!r}")
        return file_format
    name = str(source) if isinstance(source, str | Path) else str(getattr(source, "name", ""))
    suffix = Path(name).suffix.lower()
    formats: dict[str, FileFormat] = {
        ".csv": "csv",
        ".txt": "csv",
        ".xlsx": "xlsx",
        ".parquet": "parquet",
        ".pq": "parquet",
    }
    if suffix not in formats:
        raise ResponsesError(
            [f"cannot tell the format of {name or 'the file'!r}: name it .csv, .xlsx or .parquet"]
        )
    return formats[suffix]


def _read_frame(source: Source, fmt: FileFormat) -> pd.DataFrame:
    try:
        if fmt == "csv":
            # Everything as text (a categorical would turn "007" into 7); blank lines are
            # kept, as empty rows dropped later, so that row i is line i + 2.
            return pd.read_csv(
                source,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                encoding="utf-8-sig",
            )
        if fmt == "xlsx":
            return pd.read_excel(source, dtype=object, engine="openpyxl")
        return pd.read_parquet(source)
    except pd.errors.EmptyDataError:
        raise ResponsesError(["the file is empty"]) from None
    except UnicodeDecodeError:
        raise ResponsesError(["the file is not UTF-8 text"]) from None
    except pd.errors.ParserError as error:
        raise ResponsesError([f"the file is not valid CSV: {error}".strip()]) from None
    except FileNotFoundError:
        raise ResponsesError([f"there is no file {str(source)!r}"]) from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, pyarrow.ArrowException) as error:
        raise ResponsesError([f"the file cannot be read as {fmt.upper()}: {error}"]) from None


def _column_name(header: Any) -> str:
    return str(header).strip().lower()


def _as_text(values: pd.Series) -> pd.Categorical:
    """A column as a categorical of trimmed text; blank and missing cells get code -1."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [_text(v) for v in uniques]
    return _recategorise(np.asarray(codes, dtype=np.int64), texts)


def _recategorise(codes: IntArray, texts: list[str]) -> pd.Categorical:
    """Merge categories that read the same once trimmed; ``""`` becomes missing."""
    new_codes, uniques = pd.factorize(pd.Series(texts, dtype=object))
    mapping = np.append(new_codes.astype(np.int64), -1)
    names = list(uniques)
    if "" in names:
        blank = names.index("")
        mapping = np.where(mapping == blank, -1, np.where(mapping > blank, mapping - 1, mapping))
        names.pop(blank)
    return pd.Categorical.from_codes(
        mapping[codes], categories=pd.Index(names, dtype=object), validate=False
    )


def _text(value: Any) -> str:
    """One cell as text, the same whether it came from CSV, XLSX or Parquet."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _recode(codes: IntArray, texts: list[str]) -> IntArray:
    return np.asarray(_recategorise(codes, texts).codes, dtype=np.int64)


# --- problems --------------------------------------------------------------------------


class _Problems:
    """Collects problems; messages are built only for the offending rows."""

    def __init__(self, lines: IntArray) -> None:
        self.lines = lines
        self.found: list[tuple[int, str]] = []

    def at(self, mask: BoolArray, message: Callable[[int], str]) -> None:
        """Add ``message(row)`` for each row where ``mask`` holds."""
        if not mask.any():
            return
        for row in np.flatnonzero(mask).tolist():
            self.found.append((int(self.lines[row]), message(row)))

    def line(self, line: int, message: str) -> None:
        self.found.append((line, message))

    def raise_if_any(self) -> None:
        if self.found:
            ordered = sorted(self.found, key=lambda found: found[0])
            raise ResponsesError([f"line {line}: {message}" for line, message in ordered])


def _per_row(per_category: BoolArray, codes: IntArray) -> BoolArray:
    """A per-category flag spread to the rows (missing cells, code -1, are never flagged)."""
    return np.append(per_category, False)[codes]


def _row_numbers(per_category: FloatArray, codes: IntArray) -> FloatArray:
    return np.append(per_category, np.nan)[codes]


def _parse_numbers(texts: list[str]) -> tuple[FloatArray, BoolArray]:
    """Each text as a number, and whether it is not one ("NaN" is a number: not a value)."""
    values = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad = np.isnan(values) & np.array([t.lower() != "nan" for t in texts], dtype=bool)
    return values, bad


# --- checks ----------------------------------------------------------------------------


def _check_codes(
    table: _Table,
    problems: _Problems,
    sectors: Collection[str] | None,
    items: Mapping[str, Collection[str]] | None,
) -> None:
    sector_codes = table.codes(SECTOR)
    sector_labels = table.labels(SECTOR)
    if sectors is not None:
        allowed = {str(s) for s in sectors}
        unknown = np.array([s not in allowed for s in sector_labels], dtype=bool)
        shown = ", ".join(sorted(allowed)[:_CODES_SHOWN])
        if len(allowed) > _CODES_SHOWN:
            shown += ", …"
        problems.at(
            _per_row(unknown, sector_codes),
            lambda row: f"unknown sector {table.label(SECTOR, row)!r} (known: {shown})",
        )
    else:
        unknown = np.zeros(len(sector_labels), dtype=bool)
    if items is None:
        return
    item_codes = table.codes(ITEM)
    item_labels = table.labels(ITEM)
    allowed_items = {str(s): {str(i) for i in codes} for s, codes in items.items()}
    n_items = max(len(item_labels), 1)
    both = (sector_codes >= 0) & (item_codes >= 0)
    key = np.where(both, sector_codes * n_items + item_codes, -1)
    pairs = pd.unique(key[both])
    bad_pairs = [
        int(pair)
        for pair in pairs.tolist()
        if not unknown[pair // n_items]
        and item_labels[pair % n_items] not in allowed_items.get(sector_labels[pair // n_items], ())
    ]
    if bad_pairs:
        problems.at(
            np.isin(key, bad_pairs),
            lambda row: (
                f"unknown item {table.label(ITEM, row)!r} for sector {table.label(SECTOR, row)!r}"
            ),
        )


def _scores(table: _Table, problems: _Problems, scale_max: int | None) -> FloatArray:
    codes = table.codes(SCORE)
    values, bad = _parse_numbers(table.labels(SCORE))
    problems.at(
        _per_row(bad, codes),
        lambda row: f"score {table.label(SCORE, row)!r} is not a number",
    )
    top = math.inf if scale_max is None else scale_max
    with np.errstate(invalid="ignore"):
        outside = (values < 0) | (values > top) | np.isinf(values)
        fractional = ~outside & ~np.isnan(values) & (values != np.round(values))
    scale = "0 or more" if scale_max is None else f"0..{scale_max}"
    problems.at(
        _per_row(outside, codes),
        lambda row: f"score {table.label(SCORE, row)} is outside {scale}",
    )
    problems.at(
        _per_row(fractional, codes),
        lambda row: f"score {table.label(SCORE, row)} is not a whole number",
    )
    return _row_numbers(values, codes)


def _check_tags(table: _Table, problems: _Problems) -> None:
    texts = [t.lower() for t in table.labels(TAG)]
    bad = np.array([t not in TAGS for t in texts], dtype=bool)
    problems.at(
        _per_row(bad, table.codes(TAG)),
        lambda row: f"tag {table.label(TAG, row)!r} is not individual or collective (or empty)",
    )
    table.columns[TAG] = _recategorise(table.codes(TAG), texts)


def _numbers(table: _Table, column: str, problems: _Problems, *, weight: bool) -> None:
    codes = table.codes(column)
    values, bad = _parse_numbers(table.labels(column))
    problems.at(
        _per_row(bad, codes),
        lambda row: f"{column} {table.label(column, row)!r} is not a number",
    )
    if not weight:
        return
    name = "weight" if column == "weight" else f"weight {column}"
    with np.errstate(invalid="ignore"):
        invalid = ~bad & ~(np.isfinite(values) & (values > 0))
    problems.at(
        _per_row(invalid, codes),
        lambda row: f"{name} {table.label(column, row)} must be a finite number greater than 0",
    )
    problems.at(codes < 0, lambda _row: f"{name} is empty")


def _first_rows(ids: IntArray) -> tuple[IntArray, IntArray]:
    """The first row of each respondent code, and for each row the first row of its respondent.

    Rows without a respondent (code -1) map to themselves.
    """
    n_respondents = int(ids.max()) + 1 if ids.size else 0
    first_mask = ~pd.Series(ids).duplicated().to_numpy() & (ids >= 0)
    first_rows = np.flatnonzero(first_mask)
    if n_respondents == 0:  # no row names a respondent
        return first_rows, np.arange(ids.size)
    first_of_code = np.empty(n_respondents, dtype=np.int64)
    first_of_code[ids[first_rows]] = first_rows
    first_of = np.where(ids >= 0, first_of_code[np.maximum(ids, 0)], np.arange(ids.size))
    return first_rows, first_of


def _check_constant(
    table: _Table,
    column: str,
    ids: IntArray,
    first_of: IntArray,
    problems: _Problems,
    respondent: str,
) -> None:
    """A respondent-level column must hold one value per respondent, on all their rows."""
    values = table.codes(column)
    differs = values != values[first_of]
    if not differs.any():
        return
    bad_respondents = np.unique(ids[differs])
    rows = np.flatnonzero(np.isin(ids, bad_respondents))
    frame = pd.DataFrame({"id": ids[rows], "value": values[rows], "line": table.lines[rows]})
    categories = table.labels(column)
    for _, group in frame.groupby("id", sort=False):
        parts = []
        for value, lines in group.groupby("value", sort=False)["line"]:
            shown = ", ".join(str(line) for line in lines.tolist()[:_LINES_SHOWN])
            if len(lines) > _LINES_SHOWN:
                shown += ", …"
            text = "(empty)" if value < 0 else repr(categories[int(value)])
            parts.append(f"{text} on line{'s' if len(lines) > 1 else ''} {shown}")
        first_row = int(np.flatnonzero(differs & (ids == group["id"].iloc[0]))[0])
        problems.line(
            int(table.lines[first_row]),
            f"respondent {table.label(respondent, first_row)!r} has different values of "
            f"{column}: {'; '.join(parts)} (a respondent-level column must be the same on "
            "all of a respondent's rows)",
        )


def _check_unique_answers(
    table: _Table, ids: IntArray, problems: _Problems, respondent: str
) -> None:
    def message(row: int) -> str:
        return (
            f"respondent {table.label(respondent, row)!r} answers sector "
            f"{table.label(SECTOR, row)!r}, item {table.label(ITEM, row)!r} again"
        )

    _check_duplicates(table, problems, [ids, table.codes(SECTOR), table.codes(ITEM)], message)


def _check_duplicates(
    table: _Table, problems: _Problems, codes: list[IntArray], message: Callable[[int], str]
) -> None:
    """Flag each row whose combination of codes already appeared, naming the first line."""
    valid = np.ones(table.n_rows, dtype=bool)
    key = np.zeros(table.n_rows, dtype=np.int64)
    for column in codes:
        valid &= column >= 0
        key = key * (int(column.max(initial=0)) + 1) + np.maximum(column, 0)
    key = np.where(valid, key, -1 - np.arange(table.n_rows))  # invalid rows never match
    repeated = pd.Series(key).duplicated().to_numpy()
    if not repeated.any():
        return
    involved = np.flatnonzero(np.isin(key, np.unique(key[repeated])))
    first_line = pd.Series(table.lines[involved]).groupby(key[involved]).min()
    problems.at(
        repeated,
        lambda row: f"{message(row)} (first on line {int(first_line[key[row]])})",
    )


# --- results ---------------------------------------------------------------------------


def _strings(column: pd.Categorical) -> pd.Series:
    return pd.Series(column).astype("str")


def _respondent_values(column: pd.Categorical, rows: IntArray) -> pd.Series:
    """A respondent-level column at each respondent's first row, numeric where it can be."""
    texts = [str(c) for c in column.categories]
    values, bad = _parse_numbers(texts)
    codes = np.asarray(column.codes, dtype=np.int64)[rows]
    if texts and not bad.any():
        numbers = _row_numbers(values, codes)
        whole = np.all(numbers == np.round(numbers)) and np.all(np.abs(numbers) < 2**53)
        if not np.isnan(numbers).any() and whole:
            return pd.Series(numbers.astype(np.int64))
        return pd.Series(numbers)
    return pd.Series(column.take(rows)).astype("str")
