"""Queue the rota's upkeep, volunteers' reminders and managers' short-shift alerts:
run it every hour.

It only enqueues the tasks; a ``db_worker`` sends the mail (or, with the immediate
backend, this command does). Running it more often is harmless: nothing is sent twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.volunteering.tasks import alert_short_shifts, extend_rotas, remind_volunteers


class Command(BaseCommand):
    help = (
        "Keep 12 weeks of shifts on the rotas; queue reminders (24 hours ahead) and "
        "short-shift alerts (72 hours ahead)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for work in (extend_rotas, remind_volunteers, alert_short_shifts):
            result = work.enqueue()
            self.stdout.write(f"queued {work.name} ({result.id}): {result.status}")
