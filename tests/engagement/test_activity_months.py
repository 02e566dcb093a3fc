"""Each activity's monthly counts, which the ladder and the roll-up add up instead of the
records, agree with the records after every write: duplicates, anonymous counts, month
boundaries in local time, a write that is rolled back, a recount, and races."""

import io
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.engagement.models import (
    Activity,
    ActivityMonth,
    ParticipationRecord,
)
from coproduce.engagement.selectors import ladder_profile
from coproduce.engagement.services import activity_create
from coproduce.engagement.services import recount_participation as recount
from tests.concurrency import at_once, on_postgresql
from tests.conftest import World
from tests.engagement.conftest import plan, record

Counts = dict[tuple[int, date], tuple[int, int]]


def kept() -> Counts:
    """What the monthly counts say."""
    return {
        (row.activity_id, row.month): (row.people, row.records)
        for row in ActivityMonth.objects.all()
    }


def from_records() -> Counts:
    """What the records say, counted here in Python, month by month in local time."""
    counts: Counts = {}
    for row in ParticipationRecord.objects.all():
        key = (row.activity_id, timezone.localtime(row.occurred_at).date().replace(day=1))
        people, records = counts.get(key, (0, 0))
        counts[key] = (people + row.people, records + 1)
    return counts


@pytest.fixture
def activities(world: World) -> list[Activity]:
    staff = world.users["staff of A"]
    return [
        activity_create(service=world.service_a, plan=plan(title=title), created_by=staff)
        for title in ("Knit and natter", "Summer reading challenge", "Author talk")
    ]


def test_two_hundred_writes_with_repeats_are_counted_as_the_records_say(
    activities: list[Activity],
) -> None:
    rng = random.Random(7)
    people = Participant.objects.bulk_create(Participant(reference=f"P-{n}") for n in range(5))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(200):
        key = rng.randrange(120)  # about two in five writes repeat an act already recorded
        known = key % 3 == 0
        record(
            activities[key % 3],
            f"act:{key}",
            participant=people[key % 5] if known else None,
            people=1 if known else 1 + key % 40,
            occurred_at=start + timedelta(days=key * 3, hours=key % 24),
        )
    assert ParticipationRecord.objects.count() < 200
    assert kept() == from_records()
    assert len(kept()) > 12  # the writes did spread over activities and months


def test_the_monthly_chart_and_the_counts_agree_on_a_month_boundary(
    activities: list[Activity],
) -> None:
    assert timezone.get_current_timezone_name() == "Europe/London"
    summer_night = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London
    winter_night = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # still 31 January in London
    record(activities[0], "summer", people=4, occurred_at=summer_night)
    record(activities[0], "winter", people=2, occurred_at=winter_night)
    on_the_night = {
        (activities[0].pk, date(2026, 7, 1)): (4, 1),
        (activities[0].pk, date(2026, 1, 1)): (2, 1),
    }
    assert kept() == on_the_night
    recount()  # the database's months agree with the writer's
    assert kept() == on_the_night
    by_month = {row.month: row.people for row in ladder_profile(activities[0].service).by_month}
    assert by_month == {date(2026, 1, 1): 2, date(2026, 7, 1): 4}
    assert ladder_profile(activities[0].service, year=2025).by_month == []


def test_a_refused_or_rolled_back_write_counts_nothing(activities: list[Activity]) -> None:
    with pytest.raises(ValidationError):
        record(
            activities[0], "bad", participant=Participant.objects.create(reference="P-1"), people=2
        )

    def fails_after_the_record() -> None:
        with transaction.atomic():
            record(activities[0], "undone", people=12)
            raise RuntimeError("the caller's transaction fails after the record")

    with pytest.raises(RuntimeError):
        fails_after_the_record()
    assert kept() == {}
    record(activities[0], "kept", people=12)
    assert kept() == from_records() != {}


def test_a_recount_puts_back_counts_that_were_lost_or_wrong(
    activities: list[Activity],
) -> None:
    for n in range(30):
        record(
            activities[n % 3],
            f"act:{n}",
            people=n + 1,
            occurred_at=datetime(2026, 1 + n % 12, 5, tzinfo=UTC),
        )
    right = kept()
    ActivityMonth.objects.filter(activity=activities[0]).delete()
    ActivityMonth.objects.filter(activity=activities[1]).update(people=0, records=99)
    assert kept() != right
    assert recount() == len(right) == 12  # 3 activities, each in 4 months
    assert kept() == right == from_records()


def test_the_command_recounts_and_says_how_many_months(activities: list[Activity]) -> None:
    record(activities[0], "one", people=3, occurred_at=datetime(2026, 2, 1, 12, tzinfo=UTC))
    record(activities[1], "two", people=5, occurred_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    ActivityMonth.objects.all().delete()
    said = io.StringIO()
    call_command("recount_participation", stdout=said)
    assert said.getvalue() == "counted 2 activity-months\n"
    assert kept() == from_records() != {}


def test_the_demo_world_counts_agree_with_its_records(demo_world: None) -> None:
    assert kept() == from_records()
    assert sum(records for _people, records in kept().values()) > 1000


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_first_records_of_a_month_written_at_once_are_all_counted(world: World) -> None:
    activity = activity_create(
        service=world.service_a, plan=plan(), created_by=world.users["staff of A"]
    )
    moment = datetime(2026, 3, 14, 12, tzinfo=UTC)
    written = at_once(
        20, lambda n: record(activity, f"drop-in:{n}", people=n + 1, occurred_at=moment)[1]
    )
    again = at_once(20, lambda n: record(activity, "drop-in:0", people=1, occurred_at=moment)[1])
    assert written == [True] * 20
    assert not any(again)
    assert kept() == {(activity.pk, date(2026, 3, 1)): (sum(range(1, 21)), 20)}
    assert kept() == from_records()
