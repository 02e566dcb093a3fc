"""Reads of demographics, which are encrypted at rest and so cannot be filtered in SQL."""

from collections.abc import Collection

from django.db.models import QuerySet

from coproduce.accounts.models import Participant


def participants_whose(
    participants: QuerySet[Participant], **wanted: Collection[str]
) -> list[Participant]:
    """The participants whose demographics have each named field among the wanted values.

    Demographics are encrypted at rest, so they cannot be filtered in SQL: the answers
    are read once, joined, and compared in Python, in the queryset's order.
    """
    answered = participants.filter(demographics__isnull=False).select_related("demographics")
    return [
        participant
        for participant in answered
        if all(getattr(participant.demographics, name) in values for name, values in wanted.items())
    ]
