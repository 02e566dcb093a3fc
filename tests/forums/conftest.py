from datetime import time, timedelta

import pytest
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.forums.models import Forum, ForumKind, Meeting
from coproduce.forums.recurrence import WEEKS, Rule
from coproduce.forums.services import ForumPlan, forum_create, meetings_schedule
from tests.conftest import World


def make_forum(world: World, name: str = "Volunteers' meeting") -> Forum:
    """A forum of library A every three weeks, whose first meetings are in the past."""
    return forum_create(
        service=world.service_a,
        plan=ForumPlan(
            name=name,
            kind=ForumKind.VOLUNTEER_MEETING,
            rule=Rule(kind=WEEKS, interval=3),
            first_meeting_on=timezone.localdate() - timedelta(days=42),
            meets_at=time(18, 0),
        ),
        created_by=None,
    )


def held_meeting(forum: Forum) -> Meeting:
    """The first meeting, six weeks ago."""
    if not forum.meetings.exists():
        meetings_schedule(
            forum=forum, until=timezone.localdate() + timedelta(days=60), scheduled_by=None
        )
    return forum.meetings.order_by("starts_at").first()  # type: ignore[return-value]


@pytest.fixture
def forum(world: World) -> Forum:
    return make_forum(world)


@pytest.fixture
def meeting(forum: Forum) -> Meeting:
    return held_meeting(forum)


@pytest.fixture
def resident(world: World) -> Participant:
    return Participant.objects.get(user=world.users["resident"])
