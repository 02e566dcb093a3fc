"""The demo forums, on a small stand-in for the demo world (same slugs and names)."""

import random

import pytest

from coproduce.accounts.models import Gender
from coproduce.accounts.services import demographics_record, participant_create
from coproduce.core.choices import AgeBand
from coproduce.engagement.models import ParticipationRecord
from coproduce.forums.demo import DV_CHARITY, LIBRARY_A, LIBRARY_B, REFUGE, load_demo_forums
from coproduce.forums.models import ActionPoint, Attendance, Forum, Meeting
from coproduce.organisations.models import OrganisationKind, Sector
from coproduce.organisations.services import organisation_create, service_create
from tests.conftest import World


@pytest.fixture
def forum_services(world: World) -> None:
    for slug in (DV_CHARITY, LIBRARY_A, LIBRARY_B):
        provider = organisation_create(
            slug=slug, name=slug, kind=OrganisationKind.CHARITY, area=world.county
        )
        sector = Sector.DOMESTIC_VIOLENCE if slug == DV_CHARITY else Sector.LIBRARY
        name = REFUGE if slug == DV_CHARITY else f"{slug} library"
        service_create(
            name=name,
            sector=sector,
            provider=provider,
            area=world.county,
            sensitive=slug == DV_CHARITY,
        )
    rng = random.Random(1)
    for _ in range(30):
        person = participant_create(user=None, rng=rng)
        demographics_record(
            participant=person,
            consent_given=True,
            answers={"gender": Gender.WOMAN, "age_band": AgeBand.AGE_25_34},
        )


def _snapshot() -> list[tuple[object, ...]]:
    return [
        *Meeting.objects.order_by("pk").values_list(
            "forum__name", "starts_at", "status", "unregistered_attendees"
        ),
        *Attendance.objects.order_by("pk").values_list("meeting_id", "participant__reference"),
        *ActionPoint.objects.order_by("pk").values_list(
            "said",
            "status",
            "outcome",
            "anonymous",
            "raised_by__reference",
            "published",
            "closed_on",
        ),
    ]


def test_the_demo_forums_tell_the_cases_and_load_once(forum_services: None) -> None:
    load_demo_forums(seed=2012)
    before = _snapshot()
    records = ParticipationRecord.objects.count()
    load_demo_forums(seed=2012)
    assert _snapshot() == before
    assert ParticipationRecord.objects.count() == records
    forum = Forum.objects.get(service__name=REFUGE)
    assert forum.meetings.count() == 12
    assert forum.activity.form == "involve"
    assert Forum.objects.filter(kind="volunteer-meeting").count() == 2
    # What was said is encrypted at rest: it is searched in Python, not in SQL.
    points = list(ActionPoint.objects.all())
    [evening] = [point for point in points if point.said.startswith("Evening sessions")]
    assert (evening.status, evening.source) == ("done", "consultation")
    assert "Thursday 6pm" in evening.outcome
    assert ActionPoint.objects.filter(anonymous=True, raised_by__isnull=True).count() == 4
    assert sum(point.said.startswith("Rota gaps") for point in points) == 2
    assert ActionPoint.objects.filter(status__in=["done", "not-possible"], outcome="").count() == 0
