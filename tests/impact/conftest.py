"""Shared set-up of the impact tests: an activity of library A's service, ONS4 switched
on, and people answering it at baseline and at follow-up."""

from datetime import date

import pytest
from django.utils.crypto import get_random_string

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.impact.models import Collection, CollectionForm, Wave
from coproduce.impact.services import WaveEntry, collection_switch_on, wave_answers_enter
from coproduce.organisations.models import Service
from tests.conftest import World


def an_activity(service: Service, title: str = "Wellbeing check-ins") -> Activity:
    return activity_create(
        service=service,
        plan=ActivityPlan(
            title=title,
            form=EngagementForm.CONSULT,
            co_stage=CoStage.ASSESS,
            citizen_role=CitizenRole.CO_DESIGNER,
            starts_on=date(2026, 1, 5),
        ),
        created_by=None,
    )


@pytest.fixture
def activity(world: World) -> Activity:
    return an_activity(world.service_a)


@pytest.fixture
def ons4(world: World, activity: Activity) -> Collection:
    return collection_switch_on(
        service=world.service_a, instrument="ons4", activity=activity, switched_on_by=None
    )


def wave_form(collection: Collection, wave: Wave) -> CollectionForm:
    return collection.forms.get(wave=wave)


def answer_ons4(
    collection: Collection, wave: Wave, person: Participant, scores: tuple[int, int, int, int]
) -> None:
    """Type in one person's ONS4 answers (satisfied, worthwhile, happy, anxious)."""
    wave_answers_enter(
        form=wave_form(collection, wave),
        entry=WaveEntry(
            participant_reference=person.reference,
            answers=dict(
                zip(("satisfied", "worthwhile", "happy", "anxious"), map(str, scores), strict=True)
            ),
            entry_key=get_random_string(24),
        ),
        recorded_by=None,
    )


def pairs(collection: Collection, n: int, *, before: int = 5, after: int = 7) -> list[Participant]:
    """``n`` people answering at both waves, life satisfaction ``before`` then ``after``
    (plus the person's index modulo 3, so the changes vary)."""
    people = [participant_create(user=None) for _ in range(n)]
    for index, person in enumerate(people):
        answer_ons4(collection, Wave.BASELINE, person, (before, 6, 6, 4))
        answer_ons4(collection, Wave.FOLLOW_UP, person, (after + index % 3, 7, 7, 3))
    return people
