"""Reminders: sent once to accepted people who asked, for events within 24 hours."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command

from coproduce.engagement.models import Activity
from coproduce.events.models import Rsvp
from coproduce.events.services import rsvp_create
from coproduce.events.tasks import send_event_reminders
from tests.events.conftest import contact, make_event, someone


def test_reminders_go_once_to_accepted_people_who_asked(activity: Activity) -> None:
    soon = make_event(activity, title="Knit and natter", starts_in=timedelta(hours=5), capacity=2)
    later = make_event(activity, title="Next month", starts_in=timedelta(days=5))
    for name in ("ann", "bob", "cat"):  # cat is on the waiting list
        rsvp_create(
            event=soon, participant=someone(), contact=contact(name, f"{name}@example.org", True)
        )
    rsvp_create(event=soon, participant=someone(), contact=contact("dan", "dan@example.org"))
    rsvp_create(event=later, participant=someone(), contact=contact("eve", "e@example.org", True))
    assert send_event_reminders.call() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bob@example.org"]
    assert "Knit and natter" in mail.outbox[0].subject
    call_command("send_event_reminders")  # the cron entry point: enqueues the same task
    assert send_event_reminders.call() == 0
    assert len(mail.outbox) == 2
    assert Rsvp.objects.filter(reminded_at__isnull=False).count() == 2
