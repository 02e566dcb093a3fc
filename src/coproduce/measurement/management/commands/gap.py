"""coproduce gap CITIZENS OFFICIALS --scale-max K: the perception gap per sector.

Citizens' index per sector as in ``coproduce index`` (design-based mean and 95% CI), against
the mean of what officials expect it to be, through
:func:`coproduce.analysis.gap.perception_gap`. Nothing touches the database.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.analysis.gap import perception_gap
from coproduce.analysis.responses import ResponsesError, read_officials
from coproduce.analysis.survey import SINGLE_RESPONDENT
from coproduce.measurement.management.commands.index import (
    Design,
    add_design_arguments,
    add_format_argument,
    add_scale_argument,
    file_problems,
    read_survey,
    sector_estimates,
    write_result,
)

OUTPUT_COLUMNS = [
    "sector",
    "citizens_estimate",
    "ci_low",
    "ci_high",
    "officials_mean",
    "officials_n",
    "gap",
    "outside_ci",
]


class Command(BaseCommand):
    help = (
        "Compare what officials expect with what citizens report, per sector. CITIZENS is a "
        "survey file in long format (as for 'coproduce index'); OFFICIALS is a CSV with "
        "respondent_id, sector, expected_index (0-100: the index each official believes "
        "the citizens have). Output per sector: sector, citizens_estimate, ci_low, ci_high "
        "(the citizens' 95% confidence interval, cut to 0-100), officials_mean, officials_n, "
        "gap (officials minus citizens: negative when officials under-estimate) and "
        "outside_ci (whether the officials' mean lies outside the citizens' interval). "
        "Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("citizens", help="the citizens' survey answers (.csv, .xlsx, .parquet)")
        parser.add_argument(
            "officials",
            help="the officials' estimates (CSV: respondent_id, sector, expected_index)",
        )
        add_scale_argument(parser)
        add_design_arguments(parser)
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        design = Design.from_options(options)
        responses = read_survey(options["citizens"], options, design)
        try:
            officials = read_officials(options["officials"], file_format="csv")
        except ResponsesError as error:
            raise CommandError(file_problems(options["officials"], error)) from error
        estimates = sector_estimates(responses, options["scale_max"], design, [])
        result, notes = sector_gaps(estimates, officials)
        for message in notes:
            self.stderr.write(f"warning: {message}")
        write_result(self.stdout, result, OUTPUT_COLUMNS, options["format"])


def sector_gaps(estimates: pd.DataFrame, officials: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The gap table and plain-language notes on every row left incomplete."""
    estimates = estimates.rename(columns={"estimate": "citizens_estimate"})
    # perception_gap needs a finite interval inside 0..100. A t-interval can reach past
    # the ends of the index; cutting it there changes no outside_ci, since officials'
    # values are within 0..100 too.
    usable = estimates["ci_low"].notna() & estimates["ci_high"].notna()
    citizens = estimates.loc[usable, ["sector", "citizens_estimate", "ci_low", "ci_high"]].copy()
    citizens["ci_low"] = citizens["ci_low"].clip(0, 100)
    citizens["ci_high"] = citizens["ci_high"].clip(0, 100)
    try:
        gaps = perception_gap(
            officials[["respondent_id", "sector", "expected_index"]], citizens, scale="index"
        )
    except ValueError as error:
        raise CommandError(f"cannot compare: {error}") from error
    gaps = gaps.set_index("sector")
    order = list(dict.fromkeys([*estimates["sector"], *gaps.index]))
    gaps = gaps.reindex(order)
    notes = []
    for row in estimates.loc[~usable].to_dict("records"):
        # A sector with one respondent has an estimate but no interval: report the gap,
        # leave outside_ci empty (it cannot be judged).
        sector = row["sector"]
        gaps.loc[sector, "citizens_estimate"] = row["citizens_estimate"]
        gaps.loc[sector, "citizens_missing"] = bool(np.isnan(row["citizens_estimate"]))
        if row["flag"] == SINGLE_RESPONDENT:
            notes.append(
                f"sector {sector}: a single citizen answered; no confidence interval, so "
                "outside_ci is left empty."
            )
        else:
            notes.append(f"sector {sector}: no citizen answered; no estimate and no gap.")
    gaps["officials_n"] = gaps["officials_n"].fillna(0).astype(int)
    gaps["gap"] = gaps["officials_mean"] - gaps["citizens_estimate"]
    gaps = gaps.reset_index()
    answered = set(estimates["sector"])
    for row in gaps.to_dict("records"):
        if row["sector"] not in answered:
            notes.append(
                f"sector {row['sector']}: officials gave estimates, but no citizen answered "
                "this sector; no gap."
            )
        elif row["officials_n"] == 0:
            notes.append(f"sector {row['sector']}: no official gave an estimate; no gap.")
    return gaps, notes
