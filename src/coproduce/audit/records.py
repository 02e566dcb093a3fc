"""How a change becomes a history row, and which fields never do."""

from typing import Any

from django.db import models
from encrypted_fields.fields import EncryptedFieldMixin
from simple_history.models import HistoricalRecords

from coproduce.accounts.models import Participant


def is_private(field: models.Field[Any, Any]) -> bool:
    """Fields no history row may copy: free text, contact details, encrypted fields and
    links to a person. A copy would outlive the person's erasure and, for an encrypted
    field, sit in plain text beside its ciphertext."""
    private = (EncryptedFieldMixin, models.TextField, models.EmailField, models.BinaryField)
    if isinstance(field, private):
        return True
    # Models are still loading: the related model may be named, not yet resolved.
    related = field.remote_field.model if isinstance(field, models.ForeignKey) else None
    return related in (Participant, "accounts.Participant")


class ReviewRecords(HistoricalRecords):
    """History of staff's decisions on what residents send (moderation, approval).

    The resident's own sending is not copied: it is not a staff change, and those writes
    (comments, proposals, applications, hours) must not pay for a history row.
    """

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        if not created:
            super().post_save(instance, created, using=using, **kwargs)
