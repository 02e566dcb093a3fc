"""Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS.

Run it after putting a new key first in FIELD_ENCRYPTION_KEYS (or a new SECRET_KEY, the
old one moved to SECRET_KEY_FALLBACKS); once it has finished, the old key can be
dropped. Running it twice is harmless. See docs/data-protection.md.
"""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.core.encryption import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key (after a key rotation)."

    def handle(self, *args: Any, **options: Any) -> None:
        for label, count in reencrypt_all().items():
            self.stdout.write(f"{label}: {count} re-encrypted")
