"""coproduce backup_database [FILE]: a backup of the database, safe while Coproduce runs.

Without FILE it is written to var/backups/ with the time in its name. See docs/backups.md.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from coproduce.core.backup import BackupError, backup_database


def default_file() -> Path:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"coproduce-{stamp}.{suffix}"


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump -Fc for PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="where to write it (default: var/backups/)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"]) if options["file"] else default_file()
        try:
            written = backup_database(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {written}")
