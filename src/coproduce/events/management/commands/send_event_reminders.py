"""Queue the event reminders: run it from cron or a systemd timer, e.g. every hour.

It only enqueues the task; a ``db_worker`` sends the mail (or, with the immediate
backend, this command does). Running it more often than needed is harmless: a
reminder is never sent twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.events.tasks import send_event_reminders


class Command(BaseCommand):
    help = "Queue the task that emails reminders of events starting within 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_event_reminders.enqueue()
        self.stdout.write(f"queued send_event_reminders ({result.id}): {result.status}")
