"""coproduce demo: migrate, load the demo world, print the logins, serve on loopback."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Try Coproduce in one step: apply migrations, load the demo world (once), print "
        "the demo logins, then run the development server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"address and port to serve on (default {DEFAULT_ADDRPORT}, loopback only)",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="set up and load the demo world, then stop without serving",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_demo", stdout=self.stdout, stderr=self.stderr)
        if options["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Coproduce is running at http://{options['addrport']}/")
            + " (Ctrl+C stops it)"
        )
        # No autoreloader: it would start this command again in a child process,
        # migrating and checking the demo world a second time for nothing.
        call_command("runserver", options["addrport"], use_reloader=False)
