"""manage.py import_census POPULATION [--households FILE] [--parent CODE] [--level LEVEL]."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from coproduce.places.management.commands.import_areas import (
    CONCURRENT_IMPORT,
    import_failure,
    summary,
)
from coproduce.places.models import AreaLevel
from coproduce.places.services import AreaImportError, areas_import_census


class Command(BaseCommand):
    help = (
        "Create or update areas from ONS Census 2021 long files: usual residents by single "
        "year of age and sex (added up into age bands) and, optionally, households by size. "
        "Any problem: every problem is listed and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("population", help="population by sex and single year of age (CSV)")
        parser.add_argument("--households", help="households by size for the same areas (CSV)")
        parser.add_argument(
            "--parent",
            metavar="CODE",
            help="code of an existing area to put every imported area under",
        )
        parser.add_argument(
            "--level",
            choices=AreaLevel.values,
            help="level of the imported areas (default: from the geography column)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the files and say what would change, without writing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = areas_import_census(
                population=options["population"],
                households=options["households"],
                parent_code=options["parent"],
                level=AreaLevel(options["level"]) if options["level"] else None,
                dry_run=options["dry_run"],
            )
        except AreaImportError as error:
            raise CommandError(import_failure(error)) from error
        except IntegrityError as error:
            raise CommandError(CONCURRENT_IMPORT) from error
        self.stdout.write(self.style.SUCCESS(summary(report, options["population"])))
