"""Answer an erasure request received on paper: remove what identifies one person.

    coproduce erase_person <username or reference> --yes

Their participation stays counted under their reference; see docs/data-protection.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.accounts.privacy import erase_person, participant_by_username_or_reference


class Command(BaseCommand):
    help = "Erase one person's identity (by username or reference), keeping the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="a login's username or a participant reference")
        parser.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")

    def handle(self, *args: Any, **options: Any) -> None:
        participant = participant_by_username_or_reference(options["person"])
        if participant is None:
            raise CommandError(f"Nobody has the username or reference {options['person']!r}.")
        if not options["yes"]:
            raise CommandError("Erasure cannot be undone: run again with --yes to confirm.")
        erase_person(participant)
        self.stdout.write(f"Erased the identity of {participant.reference}.")
