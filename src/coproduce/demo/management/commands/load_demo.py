"""manage.py load_demo [--seed N]: load the demo world once; a second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coproduce.demo.logins import DEMO_PASSPHRASE, logins_table
from coproduce.demo.world import DEFAULT_SEED, DemoReport, load_demo_world


class Command(BaseCommand):
    help = (
        "Load the demo world (the fictional county of Eastmere, its community libraries, "
        "its domestic-violence charity, about 300 residents and one login per role). "
        "Does nothing if it is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"seed of the random choices; the same seed gives the same world "
            f"(default {DEFAULT_SEED})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo_world(seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(summary(report)))
        self.stdout.write("")
        self.stdout.write(logins_message())


def summary(report: DemoReport) -> str:
    if report.already_loaded:
        head = "The demo world is already loaded: nothing was changed."
    else:
        head = f"Loaded the demo world (seed {report.seed}) in {report.seconds:.1f} s."
    lines = [head, "The database now holds:"]
    lines += [f"  {count:>5}  {name}" for name, count in report.counts.items()]
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.organisations_by_kind.items())
    lines.append(f"  organisations by kind: {kinds}")
    return "\n".join(lines)


def logins_message() -> str:
    return "\n".join(
        [
            f"Demo logins (every one uses the passphrase {DEMO_PASSPHRASE}):",
            "",
            logins_table(),
        ]
    )
