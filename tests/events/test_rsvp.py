"""Replies: capacity, the waiting list, automatic promotion, and the replies refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from coproduce.engagement.models import Activity
from coproduce.events.models import Event, EventStatus, Rsvp, RsvpStatus
from coproduce.events.services import (
    EventDetails,
    event_cancel,
    event_update,
    rsvp_cancel,
    rsvp_create,
)
from tests.conftest import World
from tests.events.conftest import contact, make_event, someone


def test_two_sequential_replies_at_capacity_one_give_one_place_and_one_waiting(
    activity: Activity,
) -> None:
    event = make_event(activity, capacity=1)
    first = rsvp_create(event=event, participant=someone(), contact=contact("Ann")).rsvp
    second = rsvp_create(event=event, participant=someone(), contact=contact("Bob")).rsvp
    assert first.status == RsvpStatus.ACCEPTED
    assert second.status == RsvpStatus.WAITING
    assert Rsvp.objects.filter(event=event, status=RsvpStatus.ACCEPTED).count() == 1


def test_cancelling_a_place_promotes_the_first_on_the_waiting_list_and_tells_them(
    activity: Activity, django_capture_on_commit_callbacks: object
) -> None:
    event = make_event(activity, capacity=1)
    ann = rsvp_create(event=event, participant=someone(), contact=contact("Ann")).rsvp
    bob = rsvp_create(
        event=event, participant=someone(), contact=contact("Bob", "bob@example.org", True)
    ).rsvp
    cat = rsvp_create(event=event, participant=someone(), contact=contact("Cat")).rsvp
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        promoted = rsvp_cancel(rsvp=ann)
    assert promoted == [bob.pk]
    bob.refresh_from_db()
    cat.refresh_from_db()
    assert (bob.status, cat.status) == (RsvpStatus.ACCEPTED, RsvpStatus.WAITING)
    assert bob.promoted_at is not None
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "a place came free" in mail.outbox[0].body


def test_leaving_the_waiting_list_promotes_nobody(activity: Activity) -> None:
    event = make_event(activity, capacity=1)
    rsvp_create(event=event, participant=someone(), contact=contact("Ann"))
    bob = rsvp_create(event=event, participant=someone(), contact=contact("Bob")).rsvp
    assert rsvp_cancel(rsvp=bob) == []


def test_more_places_go_to_the_waiting_list_at_once(activity: Activity) -> None:
    event = make_event(activity, capacity=1)
    for name in ("Ann", "Bob", "Cat"):
        rsvp_create(event=event, participant=someone(), contact=contact(name))
    details = EventDetails(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at, capacity=2
    )
    event_update(event=event, details=details, updated_by=None)
    statuses = list(Rsvp.objects.filter(event=event).values_list("nickname", "status"))
    assert statuses == [("Ann", "accepted"), ("Bob", "accepted"), ("Cat", "waiting")]


def test_a_second_reply_from_the_same_person_is_refused_and_nothing_is_duplicated(
    event: Event,
) -> None:
    person = someone()
    rsvp_create(event=event, participant=person, contact=contact())
    with pytest.raises(ValidationError, match="already replied"):
        rsvp_create(event=event, participant=person, contact=contact())
    assert Rsvp.objects.filter(event=event).count() == 1


def test_the_database_refuses_a_second_reply_too(event: Event) -> None:
    person = someone()
    first = rsvp_create(event=event, participant=person, contact=contact()).rsvp
    with pytest.raises(IntegrityError), transaction.atomic():
        Rsvp.objects.create(
            event=event, participant=person, status="accepted", nickname="x", token_hash="y"
        )
    assert first.pk


def test_a_person_who_cancelled_may_reply_again_and_joins_the_end_of_the_queue(
    activity: Activity,
) -> None:
    event = make_event(activity, capacity=1)
    person = someone()
    mine = rsvp_create(event=event, participant=person, contact=contact()).rsvp
    rsvp_cancel(rsvp=mine)
    rsvp_create(event=event, participant=someone(), contact=contact("Other"))
    again = rsvp_create(event=event, participant=person, contact=contact()).rsvp
    assert again.pk == mine.pk
    assert again.status == RsvpStatus.WAITING


@pytest.mark.parametrize(
    ("state", "message"),
    [("draft", "not open"), ("cancelled", "cancelled"), ("past", "already started")],
)
def test_a_reply_to_a_draft_cancelled_or_past_event_is_refused(
    activity: Activity, state: str, message: str
) -> None:
    if state == "past":
        event = make_event(activity, starts_in=timedelta(hours=-1))
    else:
        event = make_event(activity, publish=state != "draft")
        if state == "cancelled":
            event_cancel(event=event, cancelled_by=None)
    with pytest.raises(ValidationError, match=message):
        rsvp_create(event=event, participant=someone(), contact=contact())
    assert not Rsvp.objects.filter(event=event).exists()


def test_a_reply_to_a_full_event_on_the_page_says_so_and_queues(
    world: World, activity: Activity
) -> None:
    event = make_event(activity, capacity=1)
    rsvp_create(event=event, participant=someone(), contact=contact())
    response = Client().post(f"/events/{event.pk}/rsvp/", {"nickname": "Dee"}, follow=True)
    assert "waiting list" in response.content.decode()
    # Names are encrypted at rest, so they cannot be looked up in SQL.
    assert Rsvp.objects.get(event=event, status=RsvpStatus.WAITING).nickname == "Dee"


def test_a_reply_without_an_account_gets_a_reference_and_a_private_cancel_link(
    world: World, event: Event
) -> None:
    client = Client()
    response = client.post(
        f"/events/{event.pk}/rsvp/", {"nickname": "Sam", "email": "", "phone": ""}
    )
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("/events/replies/")
    rsvp = Rsvp.objects.get(event=event)
    assert rsvp.participant.user is None
    page = client.get(link).content.decode()
    assert rsvp.participant.reference in page
    assert "You have a place" in page
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in rsvp.token_hash  # only a hash of the token is stored
    # A second reply from the same browser is refused, and nothing is duplicated.
    again = client.post(f"/events/{event.pk}/rsvp/", {"nickname": "Sam"})
    assert "already replied" in again.content.decode()
    assert Rsvp.objects.filter(event=event).count() == 1
    # Anyone else's browser cannot guess the link.
    assert Client().get("/events/replies/not-the-token/").status_code == 404
    client.post(f"{link}cancel/")
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CANCELLED


def test_a_refused_reply_without_an_account_leaves_no_participant_behind(
    world: World, activity: Activity
) -> None:
    from coproduce.accounts.models import Participant

    event = make_event(activity, publish=False)
    before = Participant.objects.count()
    response = Client().post(f"/events/{event.pk}/rsvp/", {"nickname": "Sam"})
    assert response.status_code == 404  # a draft is not public
    past = make_event(activity, starts_in=timedelta(hours=-2))
    response = Client().post(f"/events/{past.pk}/rsvp/", {"nickname": "Sam"})
    assert "already started" in response.content.decode()
    assert Participant.objects.count() == before


def test_a_signed_in_reply_uses_the_participant_profile_and_a_second_is_refused(
    world: World, event: Event
) -> None:
    client = Client()
    resident = world.users["resident"]
    assert resident is not None
    client.force_login(resident)
    client.post(f"/events/{event.pk}/rsvp/", {"nickname": "Res"})
    rsvp = Rsvp.objects.get(event=event)
    assert rsvp.participant.user == resident
    again = client.post(f"/events/{event.pk}/rsvp/", {"nickname": "Res"}, follow=True)
    assert "already replied" in again.content.decode()
    assert Rsvp.objects.filter(event=event).count() == 1
    client.post(f"/events/{event.pk}/rsvp/cancel/")
    rsvp.refresh_from_db()
    assert rsvp.status == RsvpStatus.CANCELLED


def test_the_same_email_cannot_reply_twice_to_a_library_event(event: Event) -> None:
    rsvp_create(event=event, participant=someone(), contact=contact(email="a@example.org"))
    with pytest.raises(ValidationError, match="this email"):
        rsvp_create(event=event, participant=someone(), contact=contact(email="A@example.org"))


def test_asking_for_a_reminder_needs_an_email(world: World, event: Event) -> None:
    response = Client().post(f"/events/{event.pk}/rsvp/", {"nickname": "Sam", "remind": "on"})
    assert "Enter an email address to get a reminder" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_cancelling_an_event_tells_people_who_asked_for_news(
    event: Event, django_capture_on_commit_callbacks: object
) -> None:
    rsvp_create(event=event, participant=someone(), contact=contact("A", "a@example.org", True))
    rsvp_create(event=event, participant=someone(), contact=contact("B", "b@example.org"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        event_cancel(event=event, cancelled_by=None)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED
