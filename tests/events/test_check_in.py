"""Check-in writes the participation ledger once per person; walk-ins are counted anonymously."""

from django.test import Client

from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.events.models import Event, Rsvp
from coproduce.events.services import attendance_check_in, rsvp_create
from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.events.conftest import contact, make_activity, make_event, someone


def _staff(world: World, persona: str = "staff of A") -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def test_check_in_writes_exactly_one_ledger_record_per_person(world: World, event: Event) -> None:
    ann = rsvp_create(event=event, participant=someone(), contact=contact("Ann")).rsvp
    bob = rsvp_create(event=event, participant=someone(), contact=contact("Bob")).rsvp
    client = _staff(world)
    client.post(f"/events/manage/{event.pk}/check-in/", {"rsvps": [ann.pk]})
    client.post(f"/events/manage/{event.pk}/check-in/", {"rsvps": [ann.pk, bob.pk]})
    attendance_check_in(event=event, rsvps=[ann, bob], checked_in_by=None)  # again
    records = ParticipationRecord.objects.filter(activity=event.activity)
    assert records.count() == 2
    assert {r.participant_id for r in records} == {ann.participant_id, bob.participant_id}
    record = records.get(participant=ann.participant)
    assert record.kind == ParticipationKind.ATTENDED_EVENT
    assert record.act_key == f"event:{event.pk}:attended:{ann.participant.reference}"
    assert record.recorded_by == world.users["staff of A"]
    assert Rsvp.objects.filter(event=event, checked_in_at__isnull=False).count() == 2


def test_walk_ins_are_an_anonymous_count_and_a_resubmitted_form_counts_once(
    world: World, event: Event
) -> None:
    client = _staff(world)
    form = {"people": 5, "form_token": "A" * 22}
    client.post(f"/events/manage/{event.pk}/walk-ins/", form)
    response = client.post(f"/events/manage/{event.pk}/walk-ins/", form, follow=True)
    assert "already counted" in response.content.decode()
    client.post(f"/events/manage/{event.pk}/walk-ins/", {"people": 2, "form_token": "B" * 22})
    records = ParticipationRecord.objects.filter(activity=event.activity)
    assert sorted(r.people for r in records) == [2, 5]
    assert all(r.participant_id is None for r in records)
    page = client.get(f"/events/manage/{event.pk}/").content.decode()
    assert "0 who replied, 7 walk-ins" in page


def test_walk_ins_need_a_positive_number(world: World, event: Event) -> None:
    client = _staff(world)
    response = client.post(
        f"/events/manage/{event.pk}/walk-ins/", {"people": 0, "form_token": "A" * 22}
    )
    assert "Enter 1 or more people" in response.content.decode()
    assert not ParticipationRecord.objects.exists()


def test_a_check_in_for_another_organisations_event_is_403_and_records_nothing(
    world: World,
) -> None:
    service_b = service_create(
        name="Library B lending", sector=Sector.LIBRARY, provider=world.library_b, area=world.parish
    )
    event = make_event(make_activity(service_b))
    rsvp = rsvp_create(event=event, participant=someone(), contact=contact()).rsvp
    client = _staff(world, "manager of A")
    response = client.post(f"/events/manage/{event.pk}/check-in/", {"rsvps": [rsvp.pk]})
    assert response.status_code == 403
    assert "Only the staff of Library B can run this event" in response.content.decode()
    response = client.post(
        f"/events/manage/{event.pk}/walk-ins/", {"people": 3, "form_token": "C" * 22}
    )
    assert response.status_code == 403
    assert not ParticipationRecord.objects.exists()
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is None


def test_a_draft_event_cannot_be_checked_in(world: World, activity: object) -> None:
    event = make_event(activity, publish=False)  # type: ignore[arg-type]
    rsvp = Rsvp.objects.filter(event=event).first()
    assert rsvp is None
    response = _staff(world).post(
        f"/events/manage/{event.pk}/walk-ins/", {"people": 3, "form_token": "D" * 22}
    )
    assert "publish it before checking people in" in response.content.decode()
    assert not ParticipationRecord.objects.exists()
