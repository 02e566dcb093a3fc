"""How long each kind of personal data is kept, and the run that enforces it.

One table, ``RETENTION``: what is kept, for how long after which moment, and what
happens then. ``apply_retention`` is run daily by a task (``coproduce apply_retention``
queues it, like the other scheduled commands). Each rule deletes or anonymises only
what identifies people: the pseudonymous participation ledger, votes, submitted
responses and their counts are never touched, so every aggregate stays as it was.
docs/data-protection.md shows the same table for people.

Models are looked up by name (``apps.get_model``) so that core depends on no app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

REMOVED = "[removed]"


@dataclass(frozen=True)
class Rule:
    data: str
    kept: timedelta
    after: str
    then: str
    apply: Callable[[datetime], int]  # given the cut-off moment; returns rows changed


def _rsvp_contacts(cutoff: datetime) -> int:
    replies = apps.get_model("events", "Rsvp").objects.filter(event__ends_at__lt=cutoff)
    return replies.exclude(nickname="", email="", phone="").update(
        nickname="", email="", phone="", remind=False
    )


def _draft_responses(cutoff: datetime) -> int:
    drafts = apps.get_model("consultations", "Response").objects.filter(
        status="draft", updated_at__lt=cutoff
    )
    deleted, _by_model = drafts.delete()
    return deleted


def _closed_consultation_text(cutoff: datetime) -> int:
    changed = 0
    for name, fields in (("Comment", ("text",)), ("Proposal", ("title", "text"))):
        rows = apps.get_model("deliberation", name).objects.filter(
            consultation__closes_at__lt=cutoff
        )
        # The shown name is not encrypted, so it marks what is done: never rewritten twice.
        changed += rows.exclude(display_name=REMOVED).update(
            display_name=REMOVED, **dict.fromkeys(fields, REMOVED)
        )
    return changed


def _sign_in_failures(cutoff: datetime) -> int:
    if not apps.is_installed("axes"):
        return 0
    return sum(
        apps.get_model("axes", name).objects.filter(attempt_time__lt=cutoff).delete()[0]
        for name in ("AccessAttempt", "AccessFailureLog", "AccessLog")
    )


def _sessions(cutoff: datetime) -> int:
    return apps.get_model("sessions", "Session").objects.filter(expire_date__lt=cutoff).delete()[0]


RETENTION = [
    Rule(
        "Contact details given with a reply to an event (name, email, phone)",
        timedelta(days=90),
        "the event ends",
        "blanked; the reply and its attendance stay counted",
        _rsvp_contacts,
    ),
    Rule(
        "Form answers saved as a draft and never submitted",
        timedelta(days=30),
        "the draft was last saved",
        "deleted (a draft is counted nowhere)",
        _draft_responses,
    ),
    Rule(
        "What people wrote in a consultation: comments and proposals",
        timedelta(days=2 * 365),
        "the consultation closes",
        'replaced by "[removed]"; counts and supports stay',
        _closed_consultation_text,
    ),
    Rule(
        "Records of sign-in attempts (lockout)",
        timedelta(days=90),
        "the attempt",
        "deleted",
        _sign_in_failures,
    ),
    Rule("Sign-in sessions", timedelta(0), "the session expires", "deleted", _sessions),
]


@transaction.atomic
def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Enforce every rule of the table; how many rows each one changed."""
    now = now or timezone.now()
    return {rule.data: rule.apply(now - rule.kept) for rule in RETENTION}
