"""coproduce index FILE --scale-max K: the co-production index per sector and domain.

A thin layer over the pure library (see docs/analysts.md): the file is read and checked by
:func:`coproduce.analysis.responses.read_responses`, each respondent's index per sector is
computed by :func:`coproduce.analysis.index.coproduction_index`, and the design-based mean
per sector (and ``--by`` domain) by :func:`coproduce.analysis.survey.estimate_mean`.
Nothing touches the database, so analysts can run it without the web server.

The helpers at the bottom (reading, estimating, writing tables) are shared with the
``rake`` and ``gap`` commands.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.analysis.index import coproduction_index
from coproduce.analysis.responses import (
    ITEM,
    RESPONDENT,
    SCORE,
    SECTOR,
    ResponsesError,
    SurveyResponses,
    read_responses,
)
from coproduce.analysis.survey import SINGLE_RESPONDENT, SinglePsu, SinglePsuError, estimate_mean

# Enough to fix a file in one sitting without scrolling a terminal away.
MAX_SHOWN = 100
RESULT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "n", "weight_sum")
FORMATS = ("table", "csv", "json")
SINGLE_PSU_HELP = (
    "what to do with a stratum that has a single PSU, whose variance cannot be estimated: "
    "'error' (default) stops with a message naming the strata; 'certainty' treats the PSU "
    "as selected with certainty (the stratum adds no variance); 'adjust' centres it at the "
    "mean of all PSUs (a conservative standard error)"
)
# Internal column names of the estimation frame, chosen not to clash with the file's.
_INDEX = "__index__"
_WEIGHT = "__weight__"
_STRATUM = "__stratum__"
_PSU = "__psu__"


class Command(BaseCommand):
    help = (
        "Estimate the co-production index (0 = zero, 100 = hero) per sector, and per domain "
        "with --by, from a survey file in long format (CSV, XLSX or Parquet; see "
        "docs/data-formats.md). Each respondent's index in a sector is 100 × the mean of "
        "their answered scores / K; the sector estimate is its weighted mean with a "
        "design-based (Taylor-linearised) standard error and a 95% confidence interval. "
        "Output columns: the --by columns, sector, estimate, se, ci_low, ci_high, n "
        "(respondents with an index), weight_sum. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the survey answers (.csv, .xlsx or .parquet)")
        add_scale_argument(parser)
        parser.add_argument(
            "--by",
            type=column_list,
            default=[],
            metavar="COL,...",
            help="respondent-level column(s), comma-separated, whose combinations are the "
            "domains to estimate (for example age_band,sex); without it, one row per sector",
        )
        add_design_arguments(parser)
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        design = Design.from_options(options)
        by: list[str] = [c for c in options["by"] if c != SECTOR]
        responses = read_survey(options["file"], options, design)
        estimates = sector_estimates(responses, options["scale_max"], design, by)
        for message in estimate_warnings(estimates, [*by, SECTOR]):
            self.stderr.write(f"warning: {message}")
        write_result(self.stdout, estimates, [*by, SECTOR, *RESULT_COLUMNS], options["format"])


# --- shared with the rake and gap commands ---------------------------------------------


@dataclass(frozen=True)
class Design:
    """The sampling design given on the command line (respondent-level columns)."""

    weight: str | None
    strata: str | None
    psu: str | None
    single_psu: SinglePsu

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Design:
        return cls(
            weight=lower(options.get("weight")),
            strata=lower(options.get("strata")),
            psu=lower(options.get("psu")),
            single_psu=options.get("single_psu", "error"),
        )


def lower(column: str | None) -> str | None:
    """Column names are matched like the readers match headers: trimmed, lower case."""
    return None if column is None else column.strip().lower()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def column_list(text: str) -> list[str]:
    columns = [c.strip().lower() for c in text.split(",") if c.strip()]
    if not columns:
        raise argparse.ArgumentTypeError("give at least one column name")
    return columns


def add_scale_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--scale-max",
        type=positive_int,
        required=True,
        metavar="K",
        help="the top of the answer scale: scores are whole numbers from 0 (never) to K",
    )


def add_design_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--weight",
        metavar="COL",
        help="respondent-level column of sampling weights (numbers > 0); default: all 1",
    )
    parser.add_argument(
        "--strata", metavar="COL", help="respondent-level column of strata; default: none"
    )
    parser.add_argument(
        "--psu",
        metavar="COL",
        help="respondent-level column of primary sampling units (clusters), nested in "
        "strata; default: each respondent is its own PSU",
    )
    parser.add_argument(
        "--single-psu",
        choices=("error", "certainty", "adjust"),
        default="error",
        help=SINGLE_PSU_HELP,
    )
    parser.add_argument(
        "--file-format",
        choices=("csv", "xlsx", "parquet"),
        help="the survey file's format, when its name does not end in .csv, .xlsx or .parquet",
    )


def add_format_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (aligned, for reading; the default), csv, or json (a list of objects; "
        "empty values are null)",
    )


def file_problems(path: str, error: ResponsesError) -> str:
    """The message of an unusable file: every problem (up to MAX_SHOWN), one a line."""
    shown = error.errors[:MAX_SHOWN]
    lines = [
        f"{path}: {len(error.errors)} problem(s) found; nothing was computed.",
        *(f"  {message}" for message in shown),
    ]
    if len(error.errors) > MAX_SHOWN:
        lines.append(f"  … and {len(error.errors) - MAX_SHOWN} more.")
    return "\n".join(lines)


def read_survey(path: str, options: dict[str, Any], design: Design) -> SurveyResponses:
    weight = design.weight
    try:
        return read_responses(
            path,
            scale_max=options.get("scale_max"),
            file_format=options.get("file_format"),
            numeric_columns=[weight] if weight else [],
            weight_column=weight,
        )
    except ResponsesError as error:
        raise CommandError(file_problems(path, error)) from error


def require_respondent_columns(
    responses: SurveyResponses, columns: list[tuple[str, str | None]], path: str = "the file"
) -> None:
    """Each ``(option, column)`` must name a respondent-level column of the file."""
    available = [c for c in responses.respondents.columns if c != RESPONDENT]
    for option, column in columns:
        if column is not None and column not in available:
            kind = (
                "an answer column, not a respondent-level one"
                if column in (RESPONDENT, ITEM, SCORE, "tag")
                else "not a column of the file"
            )
            raise CommandError(
                f"{option} {column}: {kind}. Respondent-level columns of {path}: "
                f"{', '.join(available) or 'none'}."
            )


def sector_estimates(
    responses: SurveyResponses, scale_max: int, design: Design, by: list[str]
) -> pd.DataFrame:
    """The design-based mean index per ``by`` domain and sector (``estimate_mean`` columns)."""
    columns = [("--weight", design.weight), ("--strata", design.strata), ("--psu", design.psu)]
    require_respondent_columns(responses, columns + [("--by", c) for c in by])
    clashes = [c for c in by if c in (*RESULT_COLUMNS, "flag")]
    if clashes:
        raise CommandError(f"--by {clashes[0]}: the name clashes with an output column.")
    answers = responses.answers
    try:
        per_respondent = coproduction_index(answers[[RESPONDENT, SECTOR, ITEM, SCORE]], scale_max)
    except ValueError as error:
        raise CommandError(str(error)) from error
    if per_respondent.empty:
        raise CommandError("no score was answered in the file (every score is empty): no index.")
    frame = _estimation_frame(responses, per_respondent, design, by)
    try:
        estimates = estimate_mean(
            frame,
            _INDEX,
            weight=_WEIGHT if design.weight else None,
            strata=_STRATUM if design.strata else None,
            psu=_PSU,
            by=[*by, SECTOR],
            single_psu=design.single_psu,
        )
    except SinglePsuError as error:
        # The library's advice names its Python argument; give the command-line option.
        problem = str(error).split(" Pass single_psu=")[0]
        raise CommandError(
            f"{problem} Add --single-psu certainty (the stratum adds no variance) or "
            "--single-psu adjust (a conservative standard error), or merge the strata in "
            "the file."
        ) from error
    except ValueError as error:
        raise CommandError(str(error)) from error
    # A domain nobody answered has no estimate; a standard error of 0 there would mislead.
    empty = estimates["n"] == 0
    estimates.loc[empty, ["se", "ci_low", "ci_high"]] = np.nan
    return estimates


def _estimation_frame(
    responses: SurveyResponses, per_respondent: pd.DataFrame, design: Design, by: list[str]
) -> pd.DataFrame:
    """One row per respondent × sector, with the index where the respondent answered.

    Every respondent is in every sector's rows (NaN index where they did not answer), so
    that each sector is estimated as a domain of the *whole* design: no PSU or stratum is
    dropped because nobody in it answered that sector (Lumley 2010, §2.4).
    """
    respondents = responses.respondents
    sectors = pd.Index(sorted(responses.answers[SECTOR].unique()))
    n_respondents, n_sectors = len(respondents), len(sectors)
    position = pd.Index(respondents[RESPONDENT]).get_indexer(per_respondent[RESPONDENT])
    position = position * n_sectors + sectors.get_indexer(per_respondent[SECTOR])
    index = np.full(n_respondents * n_sectors, np.nan)
    index[position] = per_respondent["index"].to_numpy(dtype=np.float64)
    repeat = np.repeat(np.arange(n_respondents), n_sectors)
    frame = pd.DataFrame({c: respondents[c].to_numpy()[repeat] for c in by})
    frame[SECTOR] = np.tile(sectors.to_numpy(), n_respondents)
    frame[_INDEX] = index
    if design.weight:
        frame[_WEIGHT] = respondents[design.weight].to_numpy()[repeat]
    if design.strata:
        frame[_STRATUM] = respondents[design.strata].to_numpy()[repeat]
    # Without a PSU column each respondent is its own PSU: their rows in several sectors
    # are one unit of the design, not independent draws.
    psu = respondents[design.psu].to_numpy() if design.psu else np.arange(n_respondents)
    frame[_PSU] = psu[repeat]
    return frame


def estimate_warnings(estimates: pd.DataFrame, keys: list[str]) -> list[str]:
    """Plain-language notes on results that are missing or flagged, one per domain."""
    messages = []
    for values in estimates.to_dict("records"):
        name = ", ".join(f"{k}={values[k]}" for k in keys) if len(keys) > 1 else values[keys[0]]
        if values["n"] == 0:
            messages.append(f"{name}: no respondent answered; no estimate.")
        elif values["flag"] == SINGLE_RESPONDENT:
            messages.append(
                f"{name}: a single respondent; the standard error and confidence interval "
                "cannot be estimated and are left empty."
            )
    return messages


def write_result(stream: TextIO | Any, frame: pd.DataFrame, columns: list[str], fmt: str) -> None:
    """Write ``frame``'s ``columns`` as an aligned table, CSV or JSON."""
    frame = frame.loc[:, columns]
    if fmt == "json":
        records = [
            {column: json_value(value) for column, value in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        stream.write(json.dumps(records, indent=2, allow_nan=False, ensure_ascii=False))
    elif fmt == "csv":
        text = frame.copy()
        for column in columns:
            text[column] = [csv_value(v) for v in frame[column].tolist()]
        stream.write(text.to_csv(index=False, lineterminator="\n").rstrip("\n"))
    else:
        stream.write(aligned_table(frame))


def json_value(value: Any) -> Any:
    """A cell as a JSON value: numbers as numbers, booleans as booleans, missing as null."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    return str(value)


def csv_value(value: Any) -> Any:
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def aligned_table(frame: pd.DataFrame) -> str:
    """Columns padded to one width; numbers right-aligned with 2 decimals, missing as '-'."""
    cells: list[list[str]] = [[str(c) for c in frame.columns]]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        cells.append([_table_cell(v) for v in row])
    widths = [max(len(line[i]) for line in cells) for i in range(len(frame.columns))]
    lines = []
    for line in cells:
        padded = [
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(line, widths, numeric, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _table_cell(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
