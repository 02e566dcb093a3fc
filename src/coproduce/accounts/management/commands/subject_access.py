"""Answer a subject-access request received on paper: everything held about one person.

    coproduce subject_access <username or reference> > their-data.json

Prints the same JSON the person downloads from their account. See docs/data-protection.md.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.accounts.privacy import participant_by_username_or_reference, subject_access


class Command(BaseCommand):
    help = "Print everything held about one person (by username or reference) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="a login's username or a participant reference")

    def handle(self, *args: Any, **options: Any) -> None:
        participant = participant_by_username_or_reference(options["person"])
        if participant is None:
            raise CommandError(f"Nobody has the username or reference {options['person']!r}.")
        export = subject_access(participant).as_json()
        self.stdout.write(json.dumps(export, ensure_ascii=False, indent=2))
