"""Paper answers typed in by staff, and feedback after each session of an activity."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from coproduce.consultations.models import Questionnaire, Response, ResponseChannel, ResponseMode
from coproduce.consultations.services import paper_response_enter
from coproduce.engagement.models import ParticipationRecord
from coproduce.events.models import Event
from coproduce.events.services import EventDetails, event_create
from tests.conftest import World
from tests.consultations.conftest import NO, YES, client_for, field, key, make_activity, make_form


def sheet(questionnaire: Questionnaire, again: str = YES) -> dict[str, str]:
    return {
        field(questionnaire, "The talk was interesting"): "3",
        field(questionnaire, "Would you come again?"): again,
        "channel": "paper",
        "entry_key": "k" * 20,
    }


def test_staff_type_in_a_paper_sheet_once_with_who_entered_it(
    world: World, questionnaire: Questionnaire
) -> None:
    client = client_for(world, "staff of A")
    page = client.get(f"/consultations/manage/{questionnaire.pk}/enter/")
    assert "Why not?" in page.content.decode()  # the whole form on one page
    saved = client.post(f"/consultations/manage/{questionnaire.pk}/enter/", sheet(questionnaire))
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.status == "complete"
    assert response.channel == ResponseChannel.PAPER
    assert response.recorded_by == world.users["staff of A"]
    record = ParticipationRecord.objects.get()
    assert record.channel == "paper"
    assert record.recorded_by == world.users["staff of A"]
    # The same sheet sent twice (a double click): saved once.
    again = client.post(
        f"/consultations/manage/{questionnaire.pk}/enter/", sheet(questionnaire), follow=True
    )
    assert "These answers were already saved" in again.content.decode()
    assert Response.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1


def test_a_paper_sheet_with_a_missing_answer_is_refused_with_the_answers_kept(
    world: World, questionnaire: Questionnaire
) -> None:
    client = client_for(world, "staff of A")
    data = sheet(questionnaire, again=NO)  # "Why not?" is then required
    page = client.post(f"/consultations/manage/{questionnaire.pk}/enter/", data)
    assert page.status_code == 200
    assert "Answer this question." in page.content.decode()
    assert 'value="3" checked' in page.content.decode()
    assert not Response.objects.exists()


def test_an_assisted_answer_is_recorded_as_assisted(
    world: World, questionnaire: Questionnaire
) -> None:
    _response, created = paper_response_enter(
        questionnaire=questionnaire,
        raw={
            key(questionnaire, "The talk was interesting"): "4",
            key(questionnaire, "Would you come again?"): YES,
        },
        channel=ResponseChannel.ASSISTED,
        entry_key="assisted-entry-0001",
        recorded_by=world.users["staff of A"],
    )
    assert created
    assert ParticipationRecord.objects.get().channel == "assisted"


def test_a_volunteer_without_a_staff_role_cannot_type_in_answers(
    world: World, questionnaire: Questionnaire
) -> None:
    client = client_for(world, "volunteer of A")
    assert (
        client.post(
            f"/consultations/manage/{questionnaire.pk}/enter/", sheet(questionnaire)
        ).status_code
        == 403
    )
    assert not Response.objects.exists()


def test_a_paper_sheet_of_an_identified_form_needs_the_persons_reference_once(
    world: World,
) -> None:
    questionnaire = make_form(world.service_a, mode=ResponseMode.IDENTIFIED)
    resident = world.users["resident"].participant.reference  # type: ignore[union-attr]
    raw = {
        key(questionnaire, "The talk was interesting"): "4",
        key(questionnaire, "Would you come again?"): YES,
    }
    with pytest.raises(ValidationError, match="enter the person's reference"):
        paper_response_enter(
            questionnaire=questionnaire,
            raw=raw,
            channel=ResponseChannel.PAPER,
            entry_key="e" * 16,
            recorded_by=None,
        )
    paper_response_enter(
        questionnaire=questionnaire,
        raw=raw,
        channel=ResponseChannel.PAPER,
        entry_key="f" * 16,
        recorded_by=None,
        participant_reference=resident,
    )
    with pytest.raises(ValidationError, match="already answered"):
        paper_response_enter(
            questionnaire=questionnaire,
            raw=raw,
            channel=ResponseChannel.PAPER,
            entry_key="g" * 16,
            recorded_by=None,
            participant_reference=resident,
        )
    # Nor can the person then answer online a second time.
    client = client_for(world, "resident")
    page = client.post(f"/consultations/f/{questionnaire.code}/1/", {}, follow=True)
    assert "You have already answered this form." in page.content.decode()
    assert Response.objects.count() == 1


def past_event(questionnaire: Questionnaire, days_ago: int = 2) -> Event:
    starts = timezone.now() - timedelta(days=days_ago)
    return event_create(
        activity=questionnaire.activity,
        details=EventDetails(
            title="Session", starts_at=starts, ends_at=starts + timedelta(hours=1)
        ),
        created_by=None,
        publish=True,
        now=starts - timedelta(days=30),
    )


def test_the_page_of_a_past_session_links_to_its_feedback_form_and_the_answer_is_tied_to_it(
    world: World,
) -> None:
    activity = make_activity(world.service_a, "Coffee mornings")
    questionnaire = make_form(
        world.service_a, activity=activity, after_sessions=True, mode=ResponseMode.ANONYMOUS
    )
    event = past_event(questionnaire)
    page = Client().get(f"/events/{event.pk}/").content.decode()
    link = f"/consultations/f/{questionnaire.code}/?event={event.pk}"
    assert link in page
    client = Client()
    client.get(link)
    client.post(
        f"/consultations/f/{questionnaire.code}/1/?event={event.pk}",
        {
            field(questionnaire, "The talk was interesting"): "5",
            field(questionnaire, "Would you come again?"): YES,
        },
    )
    client.post(f"/consultations/f/{questionnaire.code}/2/", {})
    response = Response.objects.get()
    assert response.event == event
    assert response.status == "complete"
    assert ParticipationRecord.objects.get().activity == event.activity


def test_a_coming_session_has_no_feedback_link_and_takes_no_feedback(world: World) -> None:
    questionnaire = make_form(world.service_a, after_sessions=True)
    starts = timezone.now() + timedelta(days=3)
    coming = event_create(
        activity=questionnaire.activity,
        details=EventDetails(title="Soon", starts_at=starts, ends_at=starts + timedelta(hours=1)),
        created_by=None,
        publish=True,
    )
    assert (
        f"/consultations/f/{questionnaire.code}/"
        not in Client().get(f"/events/{coming.pk}/").content.decode()
    )
    page = Client().post(
        f"/consultations/f/{questionnaire.code}/1/?event={coming.pk}",
        {
            field(questionnaire, "The talk was interesting"): "5",
            field(questionnaire, "Would you come again?"): YES,
        },
    )
    assert "has not taken place yet" in page.content.decode()
    assert not Response.objects.exists()


def test_a_session_of_another_activity_is_no_event_of_the_form(world: World) -> None:
    questionnaire = make_form(world.service_a, after_sessions=True)
    other = make_form(world.service_a, after_sessions=True)
    event = past_event(other)
    client = Client()
    client.post(
        f"/consultations/f/{questionnaire.code}/1/?event={event.pk}",
        {
            field(questionnaire, "The talk was interesting"): "5",
            field(questionnaire, "Would you come again?"): YES,
        },
    )
    assert Response.objects.get().event is None


def test_a_sensitive_services_form_never_shows_the_service_name(world: World) -> None:
    from coproduce.organisations.models import Sector
    from coproduce.organisations.services import service_create

    refuge = service_create(
        name="Haven refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.county,
        sensitive=True,
    )
    questionnaire = make_form(
        refuge,
        public_title="Feedback",
        mode=ResponseMode.ANONYMOUS,
        activity=make_activity(refuge, "Sessions"),
    )
    client = Client()
    for path in ("", "1/"):
        body = client.get(f"/consultations/f/{questionnaire.code}/{path}").content.decode()
        assert "Haven" not in body
        assert "<title>" in body
        assert "Feedback" in body
