"""Survivor-safe mode: a sensitive service sends nothing unless the person opted in.

For a sensitive service (a refuge) reminders, news of a place, cancellations and the
outcome of a consultation go only to people who ticked the box that asks for them,
recorded with their reply, default off; a shift at a sensitive service gets no reminder
at all. What is sent names neither the service, nor the event, nor the place.
"""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.services import participant_for
from coproduce.deliberation.services import (
    comment_add,
    consultation_create,
    consultation_publish,
    outcome_publish,
)
from coproduce.events.services import event_cancel, rsvp_cancel, rsvp_create
from coproduce.events.tasks import send_event_reminders
from coproduce.organisations.models import Sector, Service
from coproduce.organisations.services import service_create
from coproduce.volunteering.models import ApplicationSource, Shift
from coproduce.volunteering.services import (
    OpportunityDetails,
    PatternDetails,
    application_review,
    application_submit,
    opportunity_create,
    pattern_create,
    shift_book,
    shifts_generate,
)
from coproduce.volunteering.tasks import remind_volunteers
from tests.conftest import CaptureOnCommit, World
from tests.deliberation.conftest import close, details
from tests.events.conftest import contact, make_activity, make_event, someone

REFUGE = "Safe Harbour refuge"
PLACE = "12 Hidden Lane"


@pytest.fixture
def refuge(world: World) -> Service:
    return service_create(
        name=REFUGE,
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.parish,
        sensitive=True,
    )


def assert_names_nothing(message: mail.EmailMessage, *words: str) -> None:
    for word in (REFUGE, PLACE, *words):
        assert word not in message.subject
        assert word not in message.body


def test_reminders_go_only_to_people_who_opted_in(refuge: Service) -> None:
    event = make_event(
        make_activity(refuge), title="Coffee morning", starts_in=timedelta(hours=5), place=PLACE
    )
    rsvp_create(event=event, participant=someone(), contact=contact("ann", "ann@example.org"))
    rsvp_create(event=event, participant=someone(), contact=contact("bea", "bea@example.org", True))
    assert send_event_reminders.call() == 1
    [sent] = mail.outbox
    assert sent.to == ["bea@example.org"]
    assert_names_nothing(sent, "Coffee morning")


def test_news_of_a_place_goes_only_to_people_who_opted_in(
    refuge: Service, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    event = make_event(make_activity(refuge), title="Coffee morning", capacity=1, place=PLACE)
    first = rsvp_create(event=event, participant=someone(), contact=contact("ann")).rsvp
    rsvp_create(event=event, participant=someone(), contact=contact("bea", "bea@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_cancel(rsvp=first)  # bea takes the place, but did not ask for news
    assert mail.outbox == []


def test_a_cancellation_goes_only_to_people_who_opted_in(
    world: World, refuge: Service, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    event = make_event(make_activity(refuge), title="Coffee morning", place=PLACE)
    rsvp_create(event=event, participant=someone(), contact=contact("ann", "ann@example.org"))
    rsvp_create(event=event, participant=someone(), contact=contact("bea", "bea@example.org", True))
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, cancelled_by=world.users["manager of A"])
    [sent] = mail.outbox
    assert sent.to == ["bea@example.org"]
    assert_names_nothing(sent, "Coffee morning")


def a_booked_shift_tomorrow(world: World, service: Service) -> None:
    """The resident, whose login has an email address, booked on a shift in 20 hours."""
    manager = world.users["manager of A"]
    opportunity = opportunity_create(
        service=service, details=OpportunityDetails(title="Helper"), created_by=manager
    )
    today = timezone.localdate()
    pattern = pattern_create(
        opportunity=opportunity,
        details=PatternDetails(
            weekday=(today + timedelta(days=2)).weekday(),
            starts=time(10),
            ends=time(13),
            needed=2,
            valid_from=today,
        ),
        created_by=manager,
    )
    shifts_generate(pattern=pattern, until=today + timedelta(weeks=2))
    user = world.users["resident"]
    assert user is not None
    user.email = "volunteer@example.org"
    user.save()
    person = participant_for(user)
    application = application_submit(
        opportunity=opportunity, participant=person, source=ApplicationSource.FAIR
    )
    application_review(application=application, accept=True, reviewed_by=None)
    shift = pattern.shifts.order_by("starts_at").first()
    assert shift is not None
    shift_book(shift=shift, participant=person)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=23)
    )


def test_a_shift_at_a_sensitive_service_gets_no_reminder(world: World, refuge: Service) -> None:
    a_booked_shift_tomorrow(world, refuge)
    assert remind_volunteers.call() == 0
    assert mail.outbox == []


def test_a_shift_elsewhere_still_gets_its_reminder(world: World) -> None:
    a_booked_shift_tomorrow(world, world.service_a)
    assert remind_volunteers.call() == 1


def test_the_outcome_goes_only_to_people_who_asked_and_names_nothing(
    world: World, refuge: Service, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    manager = world.users["manager of A"]
    consultation = consultation_create(
        service=refuge, details=details(title="Our evenings"), created_by=manager
    )
    consultation = consultation_publish(consultation=consultation, published_by=manager)
    for persona, asked in (("resident", True), ("volunteer of A", False)):
        user = world.users[persona]
        assert user is not None
        user.email = f"{user.username}@example.org"
        user.save()
        comment_add(
            consultation=consultation,
            author=user,
            participant=participant_for(user),
            text="Quieter evenings, please.",
            submission_key=f"key-{persona}",
            tell_me_the_outcome=asked,
        )
    consultation = close(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        outcome_publish(consultation=consultation, outcome="Quiet hours.", published_by=manager)
    [sent] = mail.outbox
    assert sent.to == ["resident@example.org"]
    assert_names_nothing(sent, "Our evenings", "Quiet hours")


def test_the_reply_form_of_a_sensitive_service_says_what_the_email_box_means(
    world: World, refuge: Service
) -> None:
    hint = "Tick the email box only for an address that no one else can read."
    sensitive = make_event(make_activity(refuge), title="Coffee morning", place=PLACE)
    library = make_event(make_activity(world.service_a))
    assert hint in Client().get(reverse("events:event", args=[sensitive.pk])).content.decode()
    assert hint not in Client().get(reverse("events:event", args=[library.pk])).content.decode()


def test_a_reply_with_an_address_already_given_does_not_say_so(
    world: World, refuge: Service
) -> None:
    """Someone typing a survivor's address into the reply form must not learn that she
    is coming; at a library talk the same check stops a double reply."""
    sensitive = make_event(make_activity(refuge), title="Coffee morning", place=PLACE)
    rsvp_create(event=sensitive, participant=someone(), contact=contact(email="dee@example.org"))
    second = rsvp_create(
        event=sensitive, participant=someone(), contact=contact(email="Dee@Example.org")
    )
    assert second.rsvp.pk is not None
    library = make_event(make_activity(world.service_a))
    rsvp_create(event=library, participant=someone(), contact=contact(email="dee@example.org"))
    with pytest.raises(ValidationError, match="already replied to this event with this email"):
        rsvp_create(event=library, participant=someone(), contact=contact(email="dee@example.org"))
