"""Background work of the events app: reminders and news of a place, sent by email.

Run by the configured tasks backend (immediately in development and tests; by
``db_worker`` processes in production). Each message is *claimed* with a conditional
UPDATE before it is sent, so that two workers, or a rerun of the reminders, never send
the same reminder twice; a claim whose send fails is released so the next run retries.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

REMINDER_WINDOW = timedelta(hours=24)


@task()
def send_event_reminders() -> int:
    """Remind accepted people who asked for it, of events starting within 24 hours."""
    from .models import EventStatus, Rsvp, RsvpStatus
    from .notifications import reminder_message

    now = timezone.now()
    due = (
        Rsvp.objects.filter(
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_WINDOW,
            status=RsvpStatus.ACCEPTED,
            remind=True,
            reminded_at__isnull=True,
        )
        .exclude(email="")
        .select_related("event__activity__service")
        .order_by("event__starts_at", "pk")
    )
    sent = 0
    for rsvp in due:
        claimed = Rsvp.objects.filter(pk=rsvp.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
        if not claimed:
            continue  # another worker has it
        subject, body = reminder_message(rsvp)
        try:
            send_mail(subject, body, None, [rsvp.email])
        except Exception:
            Rsvp.objects.filter(pk=rsvp.pk).update(reminded_at=None)
            raise
        sent += 1
    return sent


@task()
def notify_promoted(*, rsvp_ids: list[int]) -> int:
    """Tell people who were on the waiting list that they now have a place."""
    from .models import Rsvp, RsvpStatus
    from .notifications import promoted_message

    sent = 0
    for rsvp in Rsvp.objects.filter(
        pk__in=rsvp_ids, status=RsvpStatus.ACCEPTED, remind=True
    ).select_related("event__activity__service"):
        if rsvp.email:
            subject, body = promoted_message(rsvp)
            send_mail(subject, body, None, [rsvp.email])
            sent += 1
    return sent


@task()
def notify_event_cancelled(*, event_id: int) -> int:
    """Tell people with a reply who asked for news that the event will not happen."""
    from .models import Rsvp, RsvpStatus
    from .notifications import cancelled_message

    sent = 0
    for rsvp in (
        Rsvp.objects.filter(
            event_id=event_id,
            status__in=[RsvpStatus.ACCEPTED, RsvpStatus.WAITING],
            remind=True,
        )
        .exclude(email="")
        .select_related("event__activity__service")
    ):
        subject, body = cancelled_message(rsvp)
        send_mail(subject, body, None, [rsvp.email])
        sent += 1
    return sent
