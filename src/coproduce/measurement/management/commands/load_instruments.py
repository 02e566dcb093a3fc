from typing import Any

from django.core.management.base import BaseCommand

from coproduce.measurement.services import instruments_load_standard


class Command(BaseCommand):
    help = "Load the standard survey instruments that are missing (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = instruments_load_standard()
        for instrument in created:
            self.stdout.write(f"created {instrument.slug} v{instrument.version}")
        if not created:
            self.stdout.write("the standard instruments are already loaded")
