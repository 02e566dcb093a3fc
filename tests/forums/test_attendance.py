from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_create
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.forums.models import Attendance, Forum, Meeting, MeetingStatus
from coproduce.forums.services import (
    meeting_check_in,
    meeting_count_unregistered,
    meeting_record_minutes,
)
from tests.conftest import World


def test_checking_someone_in_twice_writes_one_ledger_record(
    world: World, meeting: Meeting, resident: Participant
) -> None:
    staff = world.users["staff of A"]
    first, created = meeting_check_in(meeting=meeting, participant=resident, checked_in_by=staff)
    again, created_again = meeting_check_in(
        meeting=meeting, participant=resident, checked_in_by=staff
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    record = ParticipationRecord.objects.get(participant=resident)
    assert record.kind == ParticipationKind.FORUM_MEETING
    assert record.act_key == f"forum-meeting:{meeting.pk}:{resident.reference}"
    assert record.occurred_at == meeting.starts_at
    assert record.activity == meeting.forum.activity
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_each_person_and_each_meeting_count_once(forum: Forum, meeting: Meeting) -> None:
    people = [participant_create(user=None) for _ in range(3)]
    second = forum.meetings.order_by("starts_at")[1]
    for target in (meeting, second):
        for person in people:
            meeting_check_in(meeting=target, participant=person, checked_in_by=None)
    assert ParticipationRecord.objects.filter(kind=ParticipationKind.FORUM_MEETING).count() == 6
    assert Attendance.objects.count() == 6


def test_people_without_an_account_are_a_count_added_once_per_form(meeting: Meeting) -> None:
    meeting_count_unregistered(meeting=meeting, people=3, submission_key="k1", recorded_by=None)
    meeting_count_unregistered(meeting=meeting, people=3, submission_key="k1", recorded_by=None)
    meeting_count_unregistered(meeting=meeting, people=2, submission_key="k2", recorded_by=None)
    meeting.refresh_from_db()
    assert meeting.unregistered_attendees == 5
    records = ParticipationRecord.objects.filter(participant__isnull=True)
    assert sorted(records.values_list("people", flat=True)) == [2, 3]


def test_no_one_can_be_checked_in_before_the_meeting_day(
    forum: Forum, meeting: Meeting, resident: Participant
) -> None:
    future = forum.meetings.filter(starts_at__gt=timezone.now() + timedelta(days=2)).first()
    assert future is not None
    with pytest.raises(ValidationError, match="not happened yet"):
        meeting_check_in(meeting=future, participant=resident, checked_in_by=None)
    assert not ParticipationRecord.objects.exists()


def test_a_meeting_people_came_to_cannot_be_cancelled(
    meeting: Meeting, resident: Participant
) -> None:
    meeting_check_in(meeting=meeting, participant=resident, checked_in_by=None)
    with pytest.raises(ValidationError):
        meeting_record_minutes(
            meeting=meeting, agenda="", minutes="", status=MeetingStatus.CANCELLED, recorded_by=None
        )


def test_staff_check_in_by_reference_on_the_meeting_page(
    world: World, meeting: Meeting, resident: Participant
) -> None:
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    url = f"/forums/meetings/{meeting.pk}/check-in/"
    assert client.post(url, {"person": resident.reference}).status_code == 302
    assert client.post(url, {"person": "resident"}).status_code == 302
    assert ParticipationRecord.objects.filter(participant=resident).count() == 1
    page = client.post(url, {"person": "P-0000-0000"})
    assert page.status_code == 200
    assert "No one has that reference or username." in page.content.decode()


def test_staff_record_the_agenda_and_minutes(world: World, meeting: Meeting) -> None:
    client = Client()
    client.force_login(world.users["manager of A"])  # type: ignore[arg-type]
    response = client.post(
        f"/forums/meetings/{meeting.pk}/minutes/",
        {"status": "held", "agenda": "1. Rota", "minutes": "Saturday rota gaps discussed."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "Saturday rota gaps discussed.")


def test_other_organisations_and_backers_cannot_check_anyone_in(
    world: World, meeting: Meeting, resident: Participant
) -> None:
    with pytest.raises(PermissionDenied):
        meeting_check_in(
            meeting=meeting, participant=resident, checked_in_by=world.users["manager of B"]
        )
    for persona in ("manager of B", "commissioner", "volunteer of A", "resident"):
        client = Client()
        client.force_login(world.users[persona])  # type: ignore[arg-type]
        response = client.post(
            f"/forums/meetings/{meeting.pk}/check-in/", {"person": resident.reference}
        )
        assert response.status_code == 403, persona
    assert not ParticipationRecord.objects.exists()
