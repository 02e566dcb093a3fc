"""Count every activity's participation per month again from the ledger's records.

Run it after loading records that did not go through
``engagement.services.participation_record`` (a bulk import), or after changing
``TIME_ZONE``, while nothing else writes to the ledger. See docs/engagement.md, "Speed".
"""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.engagement.services import recount_participation


class Command(BaseCommand):
    help = "Rebuild the activities' monthly participation counts from the ledger's records."

    def handle(self, *args: Any, **options: Any) -> None:
        months = recount_participation()
        self.stdout.write(f"counted {months} activity-months")
