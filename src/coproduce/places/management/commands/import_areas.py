"""manage.py import_areas FILE: load areas from a Coproduce area CSV (docs/data-formats.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from coproduce.places.services import AreaImportError, AreaImportReport, areas_import_csv

# Enough to fix a file in one sitting without scrolling a terminal away.
MAX_SHOWN = 100
# Two imports creating the same new code at once: the second one's transaction fails on
# the unique code and is rolled back whole, so running it again is safe.
CONCURRENT_IMPORT = (
    "Nothing was imported: another import changed the same areas at the same time. "
    "Run this import again."
)


class Command(BaseCommand):
    help = (
        "Create or update areas (and their population by age band and sex) from a "
        "Coproduce area CSV. Any problem: every problem is listed and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the area CSV (UTF-8, header row required)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would change, without writing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = areas_import_csv(source=options["path"], dry_run=options["dry_run"])
        except AreaImportError as error:
            raise CommandError(import_failure(error)) from error
        except IntegrityError as error:
            raise CommandError(CONCURRENT_IMPORT) from error
        self.stdout.write(self.style.SUCCESS(summary(report, options["path"])))


def import_failure(error: AreaImportError) -> str:
    """The message of a failed import: every problem (up to MAX_SHOWN), one a line."""
    shown = error.errors[:MAX_SHOWN]
    lines = [
        f"Nothing was imported: {len(error.errors)} problem(s) found.",
        *(f"  {message}" for message in shown),
    ]
    if len(error.errors) > MAX_SHOWN:
        lines.append(f"  … and {len(error.errors) - MAX_SHOWN} more.")
    return "\n".join(lines)


def summary(report: AreaImportReport, path: str) -> str:
    verb = "Would import" if report.dry_run else "Imported"
    return (
        f"{verb} {report.areas} area(s) from {path}: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged; "
        f"{report.population_rows} population count(s) written."
    )
