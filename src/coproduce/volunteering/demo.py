"""The demo volunteers: both libraries' rotas with realistic gaps, and the refuge's
volunteers, most of them former residents come back to help.

* Ashmere Parva library opens Tuesday afternoon, Thursday morning and Saturday morning
  with its volunteers. A key-holder is needed on every shift and someone trained on the
  library management system on Thursdays, where only one volunteer is trained (a single
  point of failure). Saturdays are the hard ones to fill, as the libraries told the
  study. It closed one Saturday last month for want of a key-holder.
* Fennick Green library opens Wednesday afternoon and Saturday morning.
* The refuge's peer supporters and coffee-morning helpers: five volunteers, three of
  them former residents.

The last four weeks of shifts happened (who came is marked, and their hours are in the
ledger); the next four weeks are partly booked. Dates are relative to today.
Deterministic (one ``random.Random(seed)``), idempotent, through the services.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import Participant, User
from coproduce.accounts.services import participant_for
from coproduce.organisations.models import Service

from .models import (
    ApplicationSource,
    Capability,
    CapabilityKind,
    CapabilityRecord,
    Opportunity,
    ShiftPattern,
)
from .services import (
    OpportunityDetails,
    PatternDetails,
    application_review,
    application_submit,
    capability_record,
    closure_record,
    opportunity_create,
    pattern_create,
    shift_attended,
    shift_book,
    shifts_generate,
)

LIBRARY_A = "Ashmere Parva Community Library"
LIBRARY_B = "Fennick Green Community Library"
REFUGE = "Haven refuge"
VOLUNTEER_LOGIN = "library-volunteer"
WEEKS = 4

CAPABILITIES = [
    ("Key-holder", CapabilityKind.SKILL, "Can open and lock up the building."),
    ("Library management system", CapabilityKind.TRAINING, "Issues, returns and reservations."),
    ("Safeguarding", CapabilityKind.TRAINING, "The county's safeguarding course."),
    ("First aid", CapabilityKind.TRAINING, "A one-day first aid at work course."),
    ("DBS check", CapabilityKind.CHECK, "An enhanced DBS check, for work with children."),
]


@dataclass(frozen=True)
class Opening:
    weekday: int
    starts: time
    ends: time
    needed: int
    needs: tuple[str, ...]
    # How likely each place is to be taken: Saturdays are the hardest to fill.
    fill: float


LIBRARY_A_OPENINGS = [
    Opening(1, time(14), time(17), 2, ("Key-holder",), 0.9),
    Opening(3, time(10), time(13), 2, ("Key-holder", "Library management system"), 0.85),
    Opening(5, time(10), time(13), 3, ("Key-holder",), 0.5),
]
LIBRARY_B_OPENINGS = [
    Opening(2, time(14), time(17), 2, ("Key-holder",), 0.8),
    Opening(5, time(10), time(12), 2, ("Key-holder",), 0.55),
]


def load_demo_volunteering(*, seed: int) -> None:
    with transaction.atomic():
        services = {
            s.name: s for s in Service.objects.filter(name__in=[LIBRARY_A, LIBRARY_B, REFUGE])
        }
        if len(services) < 3 or Opportunity.objects.filter(service__in=services.values()).exists():
            return
        rng = random.Random(seed)  # noqa: S311 - demo data, not security # nosec B311
        capabilities = {
            name: Capability.objects.get_or_create(
                name=name, defaults={"kind": kind, "description": description}
            )[0]
            for name, kind, description in CAPABILITIES
        }
        residents = list(Participant.objects.filter(user=None).order_by("reference"))
        rng.shuffle(residents)
        volunteer_login = User.objects.filter(username=VOLUNTEER_LOGIN).first()
        library_a = residents[:11] + ([participant_for(volunteer_login)] if volunteer_login else [])
        _library(rng, services[LIBRARY_A], LIBRARY_A_OPENINGS, library_a, capabilities)
        _library(rng, services[LIBRARY_B], LIBRARY_B_OPENINGS, residents[11:19], capabilities)
        _refuge(services[REFUGE], residents[19:24], capabilities)
        today = timezone.localdate()
        last_saturday = today - timedelta(days=(today.weekday() - 5) % 7 + 21)
        closure_record(
            service=services[LIBRARY_A],
            day=last_saturday,
            reason="No key-holder was available.",
            recorded_by=None,
        )


def _accept(opportunity: Opportunity, person: Participant, source: ApplicationSource) -> None:
    application = application_submit(opportunity=opportunity, participant=person, source=source)
    application_review(application=application, accept=True, reviewed_by=None)


def _holds(person: Participant, capability: Capability, gained: date, years: int | None) -> None:
    capability_record(
        participant=person,
        capability=capability,
        obtained_on=gained,
        expires_on=gained + timedelta(days=365 * years) if years else None,
        provider="Eastmere County Council",
        recorded_by=None,
    )


def _library(
    rng: random.Random,
    service: Service,
    openings: list[Opening],
    volunteers: list[Participant],
    capabilities: dict[str, Capability],
) -> None:
    today = timezone.localdate()
    role = opportunity_create(
        service=service,
        details=OpportunityDetails(
            title="Library volunteer",
            description=(
                "Welcome visitors, issue and return books, help with the computers, and "
                "help at story time."
            ),
            time_commitment="One three-hour shift a week or a fortnight",
            wanted=[capabilities["Library management system"], capabilities["Key-holder"]],
            checks=[capabilities["DBS check"]],
        ),
        created_by=None,
    )
    sources = list(ApplicationSource)
    for n, person in enumerate(volunteers):
        _accept(role, person, sources[n % len(sources)])
        # A DBS check from some time in the last three years; a couple run out soon.
        _holds(person, capabilities["DBS check"], today - timedelta(days=rng.randint(60, 1080)), 3)
        if n < 5:
            _holds(person, capabilities["Key-holder"], today - timedelta(days=400), None)
        if n == 0:
            _holds(
                person, capabilities["Library management system"], today - timedelta(days=300), None
            )
        if n % 3 == 0:
            _holds(
                person, capabilities["First aid"], today - timedelta(days=rng.randint(100, 1000)), 3
            )
    for opening in openings:
        pattern = pattern_create(
            opportunity=role,
            details=PatternDetails(
                weekday=opening.weekday,
                starts=opening.starts,
                ends=opening.ends,
                needed=opening.needed,
                valid_from=today - timedelta(weeks=WEEKS),
                needs=[capabilities[name] for name in opening.needs],
            ),
            created_by=None,
        )
        shifts_generate(pattern=pattern, until=today + timedelta(weeks=WEEKS))
        _fill(rng, pattern, volunteers, opening.fill)


def _fill(
    rng: random.Random, pattern: ShiftPattern, volunteers: list[Participant], fill: float
) -> None:
    """Book each shift's places with the given likelihood, asking people with a skill the
    shift needs first (as a manager would); mark who came, except for the last 3 days."""
    now = timezone.now()
    needs = set(pattern.needs.values_list("pk", flat=True))
    skilled = set(
        CapabilityRecord.objects.filter(
            participant__in=volunteers, capability_id__in=needs
        ).values_list("participant_id", flat=True)
    )
    for shift in pattern.shifts.filter(cancelled=False).order_by("starts_at"):
        wanted = sum(rng.random() < fill for _ in range(shift.needed))
        first = [p for p in volunteers if p.pk in skilled]
        lead = rng.sample(first, len(first))[:1]
        order = lead + [p for p in rng.sample(volunteers, len(volunteers)) if p not in lead]
        for person in order:
            if wanted == 0:
                break
            try:
                signup = shift_book(
                    shift=shift, participant=person, now=shift.starts_at - timedelta(days=10)
                )
            except ValidationError:  # a clash, a full shift, an expired check: ask the next
                continue
            wanted -= 1
            if shift.starts_at < now - timedelta(days=3):
                shift_attended(signup=signup, came=rng.random() < 0.92, recorded_by=None)


def _refuge(
    service: Service, volunteers: list[Participant], capabilities: dict[str, Capability]
) -> None:
    today = timezone.localdate()
    peer = opportunity_create(
        service=service,
        details=OpportunityDetails(
            title="Peer supporter",
            description="Be there for women new to the refuge, as someone who has been there.",
            time_commitment="Two hours a week",
            wanted=[capabilities["Safeguarding"]],
            checks=[capabilities["DBS check"]],
        ),
        created_by=None,
    )
    coffee = opportunity_create(
        service=service,
        details=OpportunityDetails(
            title="Coffee morning helper", time_commitment="Thursday mornings, once a month"
        ),
        created_by=None,
    )
    sources = [
        ApplicationSource.FORMER_USER,
        ApplicationSource.FORMER_USER,
        ApplicationSource.FORMER_USER,
        ApplicationSource.FAIR,
        ApplicationSource.REFERRAL,
    ]
    for n, (person, source) in enumerate(zip(volunteers, sources, strict=False)):
        _accept(peer if n < 3 else coffee, person, source)
        _holds(person, capabilities["DBS check"], today - timedelta(days=200 + 90 * n), 3)
        _holds(person, capabilities["Safeguarding"], today - timedelta(days=100 + 60 * n), 3)
