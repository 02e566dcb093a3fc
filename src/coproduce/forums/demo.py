"""The demo forums (see ``coproduce/demo/README.md``): Case 2's users' forum, Case 1's meetings.

* The domestic-violence charity's monthly service users' forum for its refuge, the second
  Thursday of every month at 6pm, November 2025 to October 2026, with women from the
  demo residents, a few people without accounts, minutes, and the points its residents
  raised, some anonymously, with what was done ("You said, we did").
* The two community libraries' volunteer meetings every three weeks, with their points
  (such as rota gaps on Saturday mornings).

Deterministic (one ``random.Random(seed)``, consumed in a fixed order; fixed dates),
idempotent (a forum already there is left alone), atomic. It reads the demo world by its
slugs and usernames; it does not import ``demo``.
"""

import random
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.demographics import participants_whose
from coproduce.accounts.models import Gender, Participant, User
from coproduce.core.choices import AgeBand
from coproduce.forums.models import (
    ActionSource,
    ActionStatus,
    Forum,
    ForumKind,
    Meeting,
    MeetingStatus,
)
from coproduce.forums.recurrence import MONTHLY, WEEKS, Rule
from coproduce.forums.services import (
    ForumPlan,
    RaisedPoint,
    action_publish,
    action_raise,
    action_update,
    forum_create,
    meeting_check_in,
    meeting_count_unregistered,
    meeting_record_minutes,
    meetings_schedule,
)
from coproduce.organisations.models import Sector, Service

DV_CHARITY = "eastmere-haven-trust"
REFUGE = "Haven refuge"
LIBRARY_A = "ashmere-parva-community-library"
LIBRARY_B = "fennick-green-community-library"
UNTIL = date(2026, 10, 31)
THURSDAY = 3


@dataclass(frozen=True)
class DemoPoint:
    said: str
    meeting: int | None  # index of the meeting; None: a consultation theme
    status: ActionStatus
    outcome: str = ""
    anonymous: bool = False
    published: bool = True
    source_detail: str = ""


@dataclass(frozen=True)
class DemoForum:
    provider: str
    service_name: str | None  # None: the provider's library service
    name: str
    kind: ForumKind
    rule: Rule
    first: date
    at: time
    owner: str
    pool: int
    per_meeting: tuple[int, int]
    unregistered: tuple[int, int]
    topics: tuple[str, ...]
    points: tuple[DemoPoint, ...]


S = ActionStatus
FORUMS: tuple[DemoForum, ...] = (
    DemoForum(
        DV_CHARITY,
        REFUGE,
        "Service users' forum",
        ForumKind.USERS_FORUM,
        Rule(MONTHLY, 1, weekday=THURSDAY, week_of_month=2),
        date(2025, 11, 13),
        time(18, 0),
        "refuge-manager",
        pool=16,
        per_meeting=(4, 9),
        unregistered=(0, 3),
        topics=(
            "house rules in the shared kitchen",
            "support with housing applications",
            "children's activities in the school holidays",
            "the feedback form after each session",
            "speaking at the university's evaluation day",
            "safety when using social media",
            "getting to court hearings",
            "moving on: what helps after leaving the refuge",
        ),
        points=(
            DemoPoint(
                "Evening sessions for working mums: daytime forums clash with work and the "
                "school run.",
                None,
                S.DONE,
                "We moved the forum to Thursday 6pm, with a crèche.",
                source_detail="Feedback forms, autumn 2025: when the forum meets",
            ),
            DemoPoint(
                "A quiet room for children while their mums are in appointments.",
                0,
                S.IN_PROGRESS,
                anonymous=True,
            ),
            DemoPoint(
                "Information about legal aid in other languages.",
                1,
                S.DONE,
                "Leaflets are now in Polish, Urdu and Romanian, and an interpreter can join "
                "key-work sessions.",
            ),
            DemoPoint(
                "Staff should knock and wait before coming into our flats.",
                2,
                S.DONE,
                "Knock and wait is now in the house agreement and in every staff induction.",
                anonymous=True,
            ),
            DemoPoint(
                "Bus passes to get to court hearings.",
                4,
                S.NOT_POSSIBLE,
                "Our funding cannot pay for travel. We now refer to the county's travel "
                "assistance fund, and a volunteer drives people to hearings.",
            ),
            DemoPoint(
                "Wi-Fi in the shared lounge.", 5, S.DONE, "Wi-Fi was installed in May.", True
            ),
            DemoPoint("Former residents could run a peer-support group.", 7, S.IN_PROGRESS),
            DemoPoint(
                "Share the forum minutes in a way that is safe to keep.",
                9,
                S.OPEN,
                anonymous=True,
                published=False,
            ),
        ),
    ),
    DemoForum(
        LIBRARY_A,
        None,
        "Volunteers' meeting",
        ForumKind.VOLUNTEER_MEETING,
        Rule(WEEKS, 3),
        date(2025, 11, 4),
        time(10, 0),
        "library-manager",
        pool=12,
        per_meeting=(3, 7),
        unregistered=(0, 0),
        topics=(
            "the rota",
            "the summer reading challenge",
            "stock rotation from the central library",
            "the knit and natter group",
            "talks by local speakers",
            "the class visits from the primary school",
            "the annual report to the council",
        ),
        points=(
            DemoPoint(
                "Rota gaps on Saturday mornings.",
                0,
                S.DONE,
                "Two sixth-formers joined the Saturday rota through the school's "
                "volunteering scheme.",
            ),
            DemoPoint(
                "Training on the county's new library management system.",
                3,
                S.DONE,
                "The county library helpline ran a training session for volunteers.",
            ),
            DemoPoint("The large-print shelf is hard to reach.", 8, S.IN_PROGRESS),
        ),
    ),
    DemoForum(
        LIBRARY_B,
        None,
        "Volunteers' meeting",
        ForumKind.VOLUNTEER_MEETING,
        Rule(WEEKS, 3),
        date(2025, 11, 6),
        time(19, 0),
        "other-library-manager",
        pool=10,
        per_meeting=(3, 6),
        unregistered=(0, 0),
        topics=(
            "the rota",
            "the monthly book sale",
            "the homework club",
            "photocopier takings",
            "supermarket token donations",
        ),
        points=(
            DemoPoint("Rota gaps on Saturday mornings.", 1, S.IN_PROGRESS),
            DemoPoint(
                "The photocopier breaks down too often.",
                2,
                S.DONE,
                "A local firm donated a newer machine; its takings pay for the service contract.",
            ),
            DemoPoint("More publicity for the homework club.", 6, S.OPEN, published=False),
        ),
    ),
)

ADULT_BANDS = (
    AgeBand.AGE_18_24,
    AgeBand.AGE_25_34,
    AgeBand.AGE_35_44,
    AgeBand.AGE_45_54,
    AgeBand.AGE_55_64,
)


def load_demo_forums(*, seed: int) -> None:
    """Create the demo forums with their meetings, attendance and action points, once."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not a secret # nosec B311
    with transaction.atomic():
        residents = list(Participant.objects.filter(user=None).order_by("reference"))
        women = participants_whose(
            Participant.objects.filter(user=None).order_by("reference"),
            gender={Gender.WOMAN},
            age_band=ADULT_BANDS,
        )
        for spec in FORUMS:
            service = _service(spec)
            pool_from = women if spec.kind == ForumKind.USERS_FORUM else residents
            pool = rng.sample(pool_from, min(spec.pool, len(pool_from)))
            if service is None or Forum.objects.filter(service=service, name=spec.name).exists():
                continue
            _load_forum(spec, service, pool, rng)


def _service(spec: DemoForum) -> Service | None:
    services = Service.objects.filter(provider__slug=spec.provider)
    if spec.service_name is not None:
        return services.filter(name=spec.service_name).first()
    return services.filter(sector=Sector.LIBRARY).order_by("pk").first()


def _load_forum(
    spec: DemoForum, service: Service, pool: list[Participant], rng: random.Random
) -> None:
    forum = forum_create(
        service=service,
        plan=ForumPlan(
            name=spec.name,
            kind=spec.kind,
            rule=spec.rule,
            first_meeting_on=spec.first,
            meets_at=spec.at,
        ),
        created_by=None,
    )
    meetings = meetings_schedule(forum=forum, until=UNTIL, scheduled_by=None)
    today = timezone.localdate()
    for number, meeting in enumerate(meetings):
        if timezone.localdate(meeting.starts_at) > today:
            continue
        _hold(spec, meeting, number, pool, rng)
    owner = get_user_model().objects.filter(username=spec.owner).first()
    for index, point in enumerate(spec.points):
        _point(spec, forum, meetings, index, point, pool, owner, rng)


def _hold(
    spec: DemoForum, meeting: Meeting, number: int, pool: list[Participant], rng: random.Random
) -> None:
    low, high = spec.per_meeting
    for person in rng.sample(pool, min(len(pool), rng.randint(low, high))):
        meeting_check_in(meeting=meeting, participant=person, checked_in_by=None)
    extra = rng.randint(*spec.unregistered)
    if extra:
        meeting_count_unregistered(
            meeting=meeting, people=extra, submission_key=f"demo-{meeting.pk}", recorded_by=None
        )
    topic = spec.topics[number % len(spec.topics)]
    meeting_record_minutes(
        meeting=meeting,
        agenda=(
            "1. Welcome and ground rules\n2. Actions from last time\n"
            f"3. {topic.capitalize()}\n4. Anything else"
        ),
        minutes=(
            f"Actions from last time reviewed. Discussion of {topic}. "
            "New points were added to the action log."
        ),
        status=MeetingStatus.HELD,
        recorded_by=None,
    )


def _point(
    spec: DemoForum,
    forum: Forum,
    meetings: list[Meeting],
    index: int,
    point: DemoPoint,
    pool: list[Participant],
    owner: User | None,
    rng: random.Random,
) -> None:
    meeting = meetings[point.meeting] if point.meeting is not None else None
    raiser = None
    if meeting is not None and not point.anonymous:
        came = sorted(meeting.attendances.values_list("participant_id", flat=True))
        raiser = Participant.objects.filter(pk=rng.choice(came)).first() if came else None
    raised_on = timezone.localdate(meeting.starts_at) if meeting else date(2025, 10, 20)
    action, _created = action_raise(
        service=forum.service,
        point=RaisedPoint(
            said=point.said,
            source=ActionSource.FORUM if meeting else ActionSource.CONSULTATION,
            meeting=meeting,
            forum=forum,
            source_detail=point.source_detail,
            raised_by=raiser,
            anonymous=point.anonymous,
            owner=owner,
            raised_on=raised_on,
            submission_key=f"demo-{forum.pk}-{index}",
        ),
        raised_by_user=None,
    )
    if point.status != ActionStatus.OPEN:
        action_update(
            action=action,
            status=point.status,
            outcome=point.outcome,
            owner=owner,
            due_on=None,
            note="",
            updated_by=None,
            closed_on=date(
                raised_on.year + (raised_on.month + 1) // 13, (raised_on.month % 12) + 1, 1
            ),
        )
    if point.published:
        action_publish(action=action, published=True, published_by=None)


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
