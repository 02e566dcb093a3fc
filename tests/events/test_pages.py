"""Pages: query counts pinned, staff forms refuse bad input with a message."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from coproduce.engagement.models import Activity
from coproduce.events.models import Event, EventStatus
from coproduce.events.services import rsvp_create
from tests.conftest import World
from tests.events.conftest import contact, make_event, someone


def _signed_in(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def test_the_service_events_page_costs_the_same_for_one_event_or_many(
    world: World, activity: Activity, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(6):
        event = make_event(activity, title=f"Talk {n}", capacity=3)
        rsvp_create(event=event, participant=someone(), contact=contact())
    client = Client()
    with django_assert_num_queries(2):  # the service, the events with their counts
        body = client.get(f"/events/services/{world.service_a.reference}/").content.decode()
    assert body.count("2 places left") == 6


def test_the_attendee_list_costs_the_same_for_one_reply_or_many(
    world: World, event: Event, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(8):
        rsvp_create(event=event, participant=someone(), contact=contact(f"Person {n}"))
    client = _signed_in(world, "staff of A")
    client.get(f"/events/manage/{event.pk}/")  # warm the session
    # session, user, two-factor device, event, membership check, replies, walk-ins
    with django_assert_num_queries(7):
        body = client.get(f"/events/manage/{event.pk}/").content.decode()
    assert "Person 7" in body


def test_staff_create_a_draft_then_publish_it(world: World, activity: Activity) -> None:
    client = _signed_in(world, "staff of A")
    starts = timezone.localtime() + timedelta(days=10)
    response = client.post(
        f"/events/manage/services/{world.service_a.reference}/new/",
        {
            "activity": "",
            "engagement_form": "involve",
            "title": "Summer reading launch",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "30",
        },
    )
    event = Event.objects.get(title="Summer reading launch")
    assert response.status_code == 302
    assert event.status == EventStatus.DRAFT
    assert event.activity.service == world.service_a
    client.post(f"/events/manage/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_bad_event_input_gets_a_message_on_the_form(world: World, activity: Activity) -> None:
    client = _signed_in(world, "manager of A")
    past = timezone.localtime() - timedelta(days=1)
    response = client.post(
        f"/events/manage/services/{world.service_a.reference}/new/",
        {
            "activity": activity.pk,
            "engagement_form": "inform",
            "title": "Oops",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (past - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "-1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The event must end after it starts." in body
    assert "A new event must start in the future." in body
    assert "Enter 1 or more places" in body
    assert not Event.objects.filter(title="Oops").exists()


def test_a_draft_is_seen_by_its_staff_only(world: World, activity: Activity) -> None:
    draft = make_event(activity, publish=False)
    assert Client().get(f"/events/{draft.pk}/").status_code == 404
    assert _signed_in(world, "manager of B").get(f"/events/{draft.pk}/").status_code == 404
    assert _signed_in(world, "staff of A").get(f"/events/{draft.pk}/").status_code == 200
