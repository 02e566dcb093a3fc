from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_create, participant_for
from coproduce.volunteering.models import (
    ApplicationSource,
    Capability,
    CapabilityKind,
    Opportunity,
    Shift,
    ShiftPattern,
)
from coproduce.volunteering.services import (
    OpportunityDetails,
    PatternDetails,
    application_review,
    application_submit,
    capability_record,
    opportunity_create,
    pattern_create,
    shifts_generate,
)
from tests.conftest import World


@dataclass
class Rota:
    opportunity: Opportunity
    pattern: ShiftPattern
    key_holder: Capability
    dbs: Capability
    shifts: list[Shift]


def volunteer(world: World, rota_opportunity: Opportunity, *, dbs: bool = True) -> Participant:
    person = participant_create(user=None)
    application = application_submit(
        opportunity=rota_opportunity, participant=person, source=ApplicationSource.FAIR
    )
    application_review(application=application, accept=True, reviewed_by=world.users["staff of A"])
    if dbs:
        capability_record(
            participant=person,
            capability=Capability.objects.get(name="DBS check"),
            obtained_on=timezone.localdate() - timedelta(days=100),
            expires_on=timezone.localdate() + timedelta(days=365),
            provider="Disclosure and Barring Service",
            recorded_by=None,
        )
    return person


def holds(person: Participant, capability: Capability, *, until: date | None = None) -> None:
    capability_record(
        participant=person,
        capability=capability,
        obtained_on=timezone.localdate() - timedelta(days=30),
        expires_on=until,
        provider="Testshire County Council",
        recorded_by=None,
    )


@pytest.fixture
def rota(world: World) -> Rota:
    key_holder = Capability.objects.create(name="Key-holder", kind=CapabilityKind.SKILL)
    dbs = Capability.objects.create(name="DBS check", kind=CapabilityKind.CHECK)
    opportunity = opportunity_create(
        service=world.service_a,
        details=OpportunityDetails(
            title="Library assistant", time_commitment="3 hours a week", checks=[dbs]
        ),
        created_by=world.users["manager of A"],
    )
    today = timezone.localdate()
    pattern = pattern_create(
        opportunity=opportunity,
        details=PatternDetails(
            weekday=(today + timedelta(days=2)).weekday(),
            starts=time(10),
            ends=time(13),
            needed=2,
            valid_from=today,
            needs=[key_holder],
        ),
        created_by=world.users["manager of A"],
    )
    shifts_generate(pattern=pattern, until=today + timedelta(weeks=5))
    return Rota(opportunity, pattern, key_holder, dbs, list(pattern.shifts.order_by("starts_at")))


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def staff_participant(world: World) -> Participant:
    user = world.users["staff of A"]
    assert user is not None
    return participant_for(user)
