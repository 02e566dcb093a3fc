"""The demo year of events: deterministic, idempotent, with the ledger written."""

import pytest
from django.db.models import Sum

from coproduce.demo.world import load_demo_world
from coproduce.engagement.models import ParticipationRecord
from coproduce.events.demo import load_demo_events
from coproduce.events.models import Event, Rsvp, RsvpStatus


@pytest.mark.django_db
def test_the_demo_year_of_events_loads_once_with_attendance_and_waiting_lists() -> None:
    load_demo_world(seed=2012)
    load_demo_events(seed=2012)
    events = Event.objects.count()
    assert events > 100
    assert Rsvp.objects.filter(status=RsvpStatus.WAITING).exists()
    attended = ParticipationRecord.objects.filter(kind="attended-event")
    assert attended.filter(participant__isnull=False).exists()
    assert attended.filter(participant__isnull=True).aggregate(n=Sum("people"))["n"] > 0
    assert Event.objects.filter(activity__service__sensitive=True).exists()
    snapshot = sorted(Rsvp.objects.values_list("event__title", "nickname", "status"))
    load_demo_events(seed=2012)  # idempotent
    assert Event.objects.count() == events
    assert sorted(Rsvp.objects.values_list("event__title", "nickname", "status")) == snapshot
