"""coproduce restore_database FILE: restore a backup into the database of DATABASE_URL,
which should be a new, empty one (docs/backups.md). Stop Coproduce first."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore a backup made by backup_database into a new, empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup to restore")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore_database(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {options['file']}")
