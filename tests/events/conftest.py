from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.events.models import Event
from coproduce.events.services import Contact, EventDetails, event_create
from coproduce.organisations.models import Service
from tests.conftest import World


def make_activity(service: Service, title: str = "Talks by local speakers") -> Activity:
    return activity_create(
        service=service,
        plan=ActivityPlan(
            title=title,
            form=EngagementForm.INFORM,
            co_stage=CoStage.DELIVER,
            citizen_role=CitizenRole.NONE,
            starts_on=date(2026, 1, 1),
        ),
        created_by=None,
    )


def make_event(
    activity: Activity,
    *,
    title: str = "The history of Ashmere Parva",
    starts_in: timedelta = timedelta(days=7),
    capacity: int | None = None,
    place: str = "The library, High Street",
    publish: bool = True,
) -> Event:
    starts = timezone.now() + starts_in
    return event_create(
        activity=activity,
        details=EventDetails(
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=place,
            capacity=capacity,
        ),
        created_by=None,
        publish=publish,
        now=starts - timedelta(days=30),
    )


def someone() -> Participant:
    return participant_create(user=None)


def contact(nickname: str = "Sam", email: str = "", remind: bool = False) -> Contact:
    return Contact(nickname=nickname, email=email, remind=remind)


@pytest.fixture
def activity(world: World) -> Activity:
    return make_activity(world.service_a)


@pytest.fixture
def event(activity: Activity) -> Event:
    return make_event(activity)


def in_an_hour() -> datetime:
    return timezone.now() + timedelta(hours=1)
