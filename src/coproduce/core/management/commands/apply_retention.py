"""Queue the enforcement of the retention periods: run it every day (or every hour).

It only enqueues the task; a ``db_worker`` does the work (or, with the immediate
backend, this command does). Running it more often is harmless: each rule changes only
what has passed its period and not been changed already. See docs/data-protection.md.
"""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.core.tasks import apply_retention_periods


class Command(BaseCommand):
    help = "Queue the task that deletes or anonymises data kept past its retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        result = apply_retention_periods.enqueue()
        self.stdout.write(f"queued {apply_retention_periods.name} ({result.id}): {result.status}")
