"""A year of demo events for Eastmere: nine months past, three months to come.

The libraries' monthly talks by local speakers, the weekly knit and natter, school
visits and the summer reading challenge; the DV charity's awareness talks, training for
professionals and (at the refuge, a sensitive service) a monthly coffee morning whose
place is never public. Residents (participants without a login) reply; past events
have check-ins (written to the ledger), walk-ins, and a few were full with a waiting
list. Deterministic for a seed and a month (the year is anchored on the first day of
the current month), idempotent (does nothing once its first activity exists), atomic.
It only reads the world by slugs and service names; it does not import ``demo``.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.organisations.models import Service

from .models import Rsvp, RsvpStatus
from .services import (
    Contact,
    EventDetails,
    attendance_check_in,
    event_create,
    rsvp_cancel,
    rsvp_create,
    walk_ins_record,
)

NICKNAMES = ["Alex", "Sam", "Jo", "Pat", "Chris", "Mo", "Kim", "Lee", "Nat", "Ash", "Bea", "Val"]


@dataclass(frozen=True)
class Series:
    service: str  # service name
    provider: str  # provider slug
    title: str
    form: EngagementForm
    dates: str  # "weekly:<weekday>", "monthly:<weekday>", "schools", "summer"
    at: time
    hours: float
    place: str
    capacity: int | None
    replies: tuple[int, int]


LIBRARY_A = ("Ashmere Parva Community Library", "ashmere-parva-community-library")
LIBRARY_B = ("Fennick Green Community Library", "fennick-green-community-library")
CENTRAL = ("Eastmere Central Library", "eastmere-county-council")
AWARENESS = ("Domestic abuse awareness and training", "eastmere-haven-trust")
REFUGE = ("Haven refuge", "eastmere-haven-trust")

SERIES = (
    Series(*LIBRARY_A, "Talks by local speakers", EngagementForm.INFORM, "monthly:2",
           time(19), 1.5, "Ashmere Parva Community Library, reading room", 25, (8, 28)),
    Series(*LIBRARY_A, "Knit and natter", EngagementForm.INVOLVE, "weekly:1",
           time(14), 2, "Ashmere Parva Community Library", None, (3, 9)),
    Series(*LIBRARY_A, "Class visit from Ashmere Parva Primary", EngagementForm.COLLABORATE,
           "schools", time(10), 1, "Ashmere Parva Community Library", 32, (0, 0)),
    Series(*LIBRARY_B, "Talks by local speakers", EngagementForm.INFORM, "monthly:3",
           time(19, 30), 1.5, "Fennick Green Village Hall", 40, (6, 20)),
    Series(*CENTRAL, "Summer reading challenge", EngagementForm.INVOLVE, "summer",
           time(11), 1.5, "Eastmere Central Library, children's floor", 30, (10, 34)),
    Series(*AWARENESS, "Domestic abuse awareness talk", EngagementForm.INFORM, "monthly:4",
           time(18), 1.5, "Eastmere Town Hall, committee room 2", 40, (5, 25)),
    Series(*AWARENESS, "Training: recognising abuse and referring safely",
           EngagementForm.COLLABORATE, "monthly:2", time(9, 30), 6,
           "University of Eastmere, Hollis Building", 16, (10, 22)),
    Series(*REFUGE, "Coffee morning", EngagementForm.INVOLVE, "monthly:5",
           time(10, 30), 2, "The Haven (address given to people with a place)", 12, (3, 9)),
)  # fmt: skip


def _dates(rule: str, start: date, end: date) -> Iterator[date]:
    kind, _sep, arg = rule.partition(":")
    day = start
    while day < end:
        if _matches(kind, arg, day):
            yield day
        day += timedelta(days=1)


def _matches(kind: str, arg: str, day: date) -> bool:
    first_week = day.day <= 7
    if kind == "weekly":
        return day.isoweekday() == int(arg)
    if kind == "monthly":  # the first <weekday> of each month
        return day.isoweekday() == int(arg) and first_week
    if kind == "schools":  # every other month, on the first Thursday
        return day.isoweekday() == 4 and first_week and day.month % 2 == 1
    return kind == "summer" and day.month in (7, 8) and day.isoweekday() == 6


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def load_demo_events(*, seed: int) -> None:
    with transaction.atomic():
        services = {
            (s.name, s.provider.slug): s
            for s in Service.objects.select_related("provider").filter(
                name__in={series.service for series in SERIES}
            )
        }
        first = SERIES[0]
        service = services.get((first.service, first.provider))
        if service is None or Activity.objects.filter(service=service, title=first.title).exists():
            return
        rng = random.Random(seed)  # noqa: S311 - demo data, not security # nosec B311
        residents = list(Participant.objects.filter(user=None).order_by("pk")[:300])
        today = timezone.localdate().replace(day=1)
        start, end = today - timedelta(days=270), today + timedelta(days=92)
        for series in SERIES:
            found = services.get((series.service, series.provider))
            if found is not None:
                _load_series(rng, found, series, residents, start, end)


def _load_series(
    rng: random.Random,
    service: Service,
    series: Series,
    residents: list[Participant],
    start: date,
    end: date,
) -> None:
    activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=series.title,
            form=series.form,
            co_stage=CoStage.DELIVER,
            citizen_role=(
                CitizenRole.CO_IMPLEMENTER
                if series.form != EngagementForm.INFORM
                else CitizenRole.NONE
            ),
            starts_on=start,
            audience=str(service.name),
        ),
        created_by=None,
    )
    now = timezone.now()
    for day in _dates(series.dates, start, end):
        starts = _at(day, series.at)
        event = event_create(
            activity=activity,
            details=EventDetails(
                title=series.title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=series.hours),
                place=series.place,
                capacity=series.capacity,
            ),
            created_by=None,
            publish=True,
            now=starts - timedelta(days=30),
        )
        low, high = series.replies
        count = min(len(residents), rng.randint(low, high)) if high else 0
        people = rng.sample(residents, count)
        for n, person in enumerate(people):
            wants_email = rng.random() < 0.4
            name = rng.choice(NICKNAMES)
            rsvp_create(
                event=event,
                participant=person,
                contact=Contact(
                    nickname=name,
                    email=f"{name.lower()}.{person.reference[-4:].lower()}@example.org"
                    if wants_email
                    else "",
                    remind=wants_email,
                ),
                now=starts - timedelta(days=14) + timedelta(minutes=n),
            )
        replies = list(Rsvp.objects.filter(event=event).select_related("participant"))
        if replies and rng.random() < 0.15:  # someone cancels: the waiting list moves up
            rsvp_cancel(rsvp=rng.choice(replies), now=starts - timedelta(days=2))
        if starts >= now:
            continue
        came = [
            r
            for r in Rsvp.objects.filter(event=event, status=RsvpStatus.ACCEPTED).select_related(
                "participant"
            )
            if rng.random() < 0.8
        ]
        attendance_check_in(event=event, rsvps=came, checked_in_by=None, occurred_at=starts)
        if rng.random() < 0.5:
            walk_ins_record(
                event=event,
                people=rng.randint(1, 6),
                form_token=f"demo-walk-ins-{event.pk:08d}",
                recorded_by=None,
                occurred_at=starts,
            )
