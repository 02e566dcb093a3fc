"""The demo volunteers: full rotas with realistic gaps, former residents at the refuge."""

import pytest

from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.organisations.models import Service
from coproduce.volunteering.models import Application, ApplicationSource, Closure
from coproduce.volunteering.selectors import Risk, capability_overview, staffing_gaps

pytestmark = pytest.mark.django_db


def test_the_demo_rotas_have_gaps_and_the_refuge_has_former_residents(demo_world: None) -> None:
    library = Service.objects.get(name="Ashmere Parva Community Library")
    gaps = staffing_gaps(library)
    assert gaps
    assert any(gap.shift.starts_at.weekday() == 5 for gap in gaps)  # Saturdays are short
    assert max(gap.risk for gap in gaps) >= Risk.SHORT
    covers = {c.capability.name: c for c in capability_overview(library)}
    assert covers["Library management system"].single_point_of_failure
    refuge = Service.objects.get(name="Haven refuge")
    former = Application.objects.filter(
        opportunity__service=refuge, source=ApplicationSource.FORMER_USER
    )
    assert former.count() == 3
    assert Closure.objects.filter(service=library).exists()
    assert ParticipationRecord.objects.filter(kind=ParticipationKind.VOLUNTEERED).exists()
