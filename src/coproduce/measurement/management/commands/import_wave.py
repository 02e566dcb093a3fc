from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from coproduce.analysis.responses import FileFormat
from coproduce.measurement.models import SurveyWave
from coproduce.measurement.services import wave_import_officials, wave_import_responses


class Command(BaseCommand):
    help = (
        "Import a survey wave's citizens' file (CSV, XLSX or Parquet) and/or its officials' "
        "CSV. Each replaces what an earlier import of the same kind wrote; a file with any "
        "problem imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("wave_id", type=int, help="the survey wave's id")
        parser.add_argument("file", nargs="?", type=Path, help="the citizens' survey file")
        parser.add_argument("--officials", type=Path, help="the officials' estimates (CSV)")
        parser.add_argument("--format", dest="file_format", choices=["csv", "xlsx", "parquet"])

    def handle(self, *args: Any, **options: Any) -> None:
        wave = (
            SurveyWave.objects.select_related("instrument", "owner")
            .filter(pk=options["wave_id"])
            .first()
        )
        if wave is None:
            raise CommandError(f"There is no survey wave with id {options['wave_id']}.")
        file, officials = options["file"], options["officials"]
        if file is None and officials is None:
            raise CommandError("Give a survey file, --officials FILE, or both.")
        for path in (file, officials):
            if path is not None and not path.is_file():
                raise CommandError(f"{path}: no such file.")
        try:
            # Both files or neither: the message below must stay true.
            with transaction.atomic():
                self._import(wave, file, officials, options["file_format"])
        except ValidationError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in error.messages)
            ) from None

    def _import(
        self,
        wave: SurveyWave,
        file: Path | None,
        officials: Path | None,
        file_format: FileFormat | None,
    ) -> None:
        if file is not None:
            report = wave_import_responses(
                wave=wave, source=file, file_format=file_format, imported_by=None
            )
            self.stdout.write(f"{file}: {report.respondents} respondents, {report.answers} answers")
        if officials is not None:
            count = wave_import_officials(wave=wave, source=officials, imported_by=None)
            self.stdout.write(f"{officials}: {count} officials' estimates")
