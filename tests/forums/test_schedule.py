from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from coproduce.engagement.ladder import EngagementForm
from coproduce.forums.models import Forum, ForumKind, Meeting
from coproduce.forums.recurrence import MONTHLY, Rule
from coproduce.forums.services import ForumPlan, forum_create, meetings_schedule
from tests.conftest import World


def test_a_forum_is_an_involvement_activity_of_its_service(forum: Forum) -> None:
    assert forum.activity.form == EngagementForm.INVOLVE
    assert forum.activity.service == forum.service
    assert forum.activity.title == forum.name


def test_meetings_every_three_weeks_are_generated_once(forum: Forum) -> None:
    until = forum.first_meeting_on + timedelta(days=63)
    created = meetings_schedule(forum=forum, until=until, scheduled_by=None)
    starts = [timezone.localtime(m.starts_at) for m in created]
    assert [s.date() for s in starts] == [
        forum.first_meeting_on + timedelta(weeks=3 * i) for i in range(4)
    ]
    assert all(s.time() == time(18, 0) for s in starts)
    assert meetings_schedule(forum=forum, until=until, scheduled_by=None) == []
    more = meetings_schedule(forum=forum, until=until + timedelta(days=21), scheduled_by=None)
    assert len(more) == 1
    assert forum.meetings.count() == 5


def test_a_monthly_users_forum_meets_on_the_second_thursday(world: World) -> None:
    forum = forum_create(
        service=world.service_a,
        plan=ForumPlan(
            name="Users' forum",
            kind=ForumKind.USERS_FORUM,
            rule=Rule(MONTHLY, weekday=3, week_of_month=2),
            first_meeting_on=date(2025, 11, 1),
            meets_at=time(18, 0),
        ),
        created_by=world.users["staff of A"],
    )
    meetings = meetings_schedule(
        forum=forum, until=date(2026, 10, 31), scheduled_by=world.users["manager of A"]
    )
    days = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert len(days) == 12
    assert all(day.weekday() == 3 and 8 <= day.day <= 14 for day in days)


def test_a_monthly_forum_without_a_weekday_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        forum_create(
            service=world.service_a,
            plan=ForumPlan(
                name="Users' forum",
                kind=ForumKind.USERS_FORUM,
                rule=Rule(MONTHLY),
                first_meeting_on=date(2026, 1, 1),
                meets_at=time(18, 0),
            ),
            created_by=None,
        )
    assert "weekday" in error.value.message_dict
    assert not Forum.objects.exists()


def test_scheduling_more_than_two_years_ahead_is_refused(forum: Forum) -> None:
    with pytest.raises(ValidationError):
        meetings_schedule(
            forum=forum, until=timezone.localdate() + timedelta(days=800), scheduled_by=None
        )
    assert not Meeting.objects.exists()


def test_another_organisations_manager_cannot_schedule(world: World, forum: Forum) -> None:
    with pytest.raises(PermissionDenied):
        meetings_schedule(
            forum=forum, until=timezone.localdate(), scheduled_by=world.users["manager of B"]
        )
    client = Client()
    client.force_login(world.users["manager of B"])  # type: ignore[arg-type]
    response = client.post(f"/forums/{forum.pk}/schedule/", {"until": "2026-12-31"})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_staff_set_up_a_forum_and_plan_its_meetings_with_the_pages(world: World) -> None:
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    response = client.post(
        f"/forums/services/{world.service_a.reference}/new/",
        {
            "name": "Volunteers' meeting",
            "kind": "volunteer-meeting",
            "channel": "in-person",
            "recurrence": "weeks",
            "interval": "3",
            "first_meeting_on": "2026-01-06",
            "meets_at": "10:00",
        },
    )
    forum = Forum.objects.get()
    assert response.status_code == 302
    response = client.post(f"/forums/{forum.pk}/schedule/", {"until": "2026-03-31"})
    assert response.status_code == 302
    assert forum.meetings.count() == 5
    page = client.get(f"/forums/{forum.pk}/")
    assert page.status_code == 200
    assert "Tue 6 January 2026, 10:00" in page.content.decode()


def test_a_bad_schedule_date_is_shown_on_the_page(world: World, forum: Forum) -> None:
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    response = client.post(f"/forums/{forum.pk}/schedule/", {"until": "2099-01-01"})
    assert response.status_code == 200
    assert "Schedule at most two years ahead" in response.content.decode()
