"""coproduce rake FILE --margins MARGINS.csv --out OUT.csv: weights raked to population margins.

A thin layer over :func:`coproduce.analysis.raking.rake` (see docs/analysts.md). The survey
file and the margins are read and checked first; the raked weights are written only when
raking converged. Nothing touches the database.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Hashable, Mapping
from dataclasses import asdict
from typing import Any, cast

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.analysis.raking import RakingConvergenceError, RakingReport, rake
from coproduce.analysis.responses import (
    RESPONDENT,
    ResponsesError,
    as_labels,
    read_margins,
    read_responses,
)
from coproduce.measurement.management.commands.index import (
    file_problems,
    lower,
    positive_int,
    require_respondent_columns,
)


def _bounds(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not two numbers LOW,HIGH (for example 0.3,3)"
        ) from None
    if not 0 <= low < 1 < high:
        raise argparse.ArgumentTypeError(f"{text!r}: LOW must be in [0, 1) and HIGH above 1")
    return low, high


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1")
    return value


class Command(BaseCommand):
    help = (
        "Rake survey weights to population margins (iterative proportional fitting). "
        "MARGINS.csv has columns variable, category, target: population counts, or shares "
        "that sum to 1 per variable; every variable is a respondent-level column of FILE. "
        "Writes OUT.csv with one row per respondent: respondent_id, raked_weight. The "
        "convergence report goes to standard error. If raking does not converge, nothing "
        "is written and the command fails. Needs no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the survey answers (.csv, .xlsx or .parquet)")
        parser.add_argument(
            "--margins",
            required=True,
            metavar="MARGINS.csv",
            help="population margins: variable, category, target",
        )
        parser.add_argument(
            "--out", required=True, metavar="OUT.csv", help="where to write the raked weights"
        )
        parser.add_argument(
            "--weight",
            metavar="COL",
            help="respondent-level column of base weights (numbers > 0); default: all 1",
        )
        parser.add_argument(
            "--by-respondent",
            default=RESPONDENT,
            metavar="COL",
            help="the column identifying respondents in FILE (default: respondent_id); "
            "OUT.csv names its first column the same",
        )
        parser.add_argument(
            "--scale-max",
            type=positive_int,
            metavar="K",
            help="the top of the answer scale, to check the scores too (optional here)",
        )
        parser.add_argument(
            "--max-iter",
            type=positive_int,
            default=1000,
            help="the most raking cycles to run (default 1000)",
        )
        parser.add_argument(
            "--tolerance",
            type=_tolerance,
            default=1e-8,
            help="converged when every weighted margin is within this relative error of its "
            "target (default 1e-8)",
        )
        parser.add_argument(
            "--bounds",
            type=_bounds,
            metavar="LOW,HIGH",
            help="keep each weight between LOW and HIGH times its base weight (for example "
            "0.3,3); default: unbounded",
        )
        parser.add_argument(
            "--file-format",
            choices=("csv", "xlsx", "parquet"),
            help="the survey file's format, when its name does not end in .csv, .xlsx or .parquet",
        )
        parser.add_argument(
            "--format",
            choices=("table", "json"),
            default="table",
            help="how the convergence report is written to standard error: readable lines "
            "(table, the default) or a JSON object",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        weight = lower(options["weight"])
        respondent = lower(options["by_respondent"]) or RESPONDENT
        try:
            responses = read_responses(
                options["file"],
                scale_max=options["scale_max"],
                file_format=options["file_format"],
                numeric_columns=[weight] if weight else [],
                weight_column=weight,
                respondent_column=respondent,
            )
        except ResponsesError as error:
            raise CommandError(file_problems(options["file"], error)) from error
        try:
            margins = read_margins(options["margins"], file_format="csv")
        except ResponsesError as error:
            raise CommandError(file_problems(options["margins"], error)) from error
        columns = [("--weight", weight)] + [("margin variable", v) for v in margins]
        require_respondent_columns(responses, columns, options["file"])

        respondents = responses.respondents
        frame = pd.DataFrame({v: as_labels(respondents[v]) for v in margins})
        if weight:
            frame["__base__"] = respondents[weight].to_numpy()
        try:
            result = rake(
                frame,
                cast("dict[str, Mapping[Hashable, float]]", margins),
                base_weight="__base__" if weight else None,
                tol=options["tolerance"],
                max_iter=options["max_iter"],
                bounds=options["bounds"] or (None, None),
            )
        except RakingConvergenceError as error:
            self._report(error.report, len(frame), options["format"])
            raise CommandError(
                f"raking did not converge in {error.report.iterations} cycles: a weighted "
                f"margin is still {error.report.max_margin_error:.3g} (relative) off its "
                "target. Nothing was written. Check that every category has respondents and "
                "the margins describe the same population; or raise --max-iter, loosen "
                "--tolerance or widen --bounds."
            ) from error
        except ValueError as error:
            raise CommandError(f"cannot rake: {error}") from error

        out = pd.DataFrame(
            {respondent: respondents[RESPONDENT], "raked_weight": result.weights.to_numpy()}
        )
        try:
            out.to_csv(options["out"], index=False, lineterminator="\n")
        except OSError as error:
            raise CommandError(f"cannot write {options['out']}: {error}") from error
        self._report(result.report, len(frame), options["format"])
        self.stdout.write(f"Wrote {len(out)} raked weights to {options['out']}.")

    def _report(self, report: RakingReport, respondents: int, fmt: str) -> None:
        if fmt == "json":
            self.stderr.write(json.dumps({"respondents": respondents, **asdict(report)}))
            return
        self.stderr.write(
            "\n".join(
                [
                    f"converged: {'yes' if report.converged else 'no'}",
                    f"respondents: {respondents}",
                    f"iterations: {report.iterations}",
                    f"largest relative margin error: {report.max_margin_error:.3g}",
                    f"design effect of the weights (Kish): {report.design_effect:.3f}",
                    f"adjustment factors: {report.factor_min:.3f} to {report.factor_max:.3f}",
                ]
            ),
            style_func=lambda text: text,
        )
