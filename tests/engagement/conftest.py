from datetime import date

import pytest

from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import (
    Activity,
    ArrivalChannel,
    ParticipationKind,
    ParticipationRecord,
)
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from tests.conftest import World


def plan(**changes: object) -> ActivityPlan:
    values: dict[str, object] = {
        "title": "Knit and natter",
        "form": EngagementForm.INVOLVE,
        "co_stage": CoStage.DELIVER,
        "citizen_role": CitizenRole.CO_IMPLEMENTER,
        "starts_on": date(2026, 1, 5),
    }
    values.update(changes)
    return ActivityPlan(**values)  # type: ignore[arg-type]


@pytest.fixture
def activity(world: World) -> Activity:
    return activity_create(
        service=world.service_a, plan=plan(), created_by=world.users["staff of A"]
    )


def record(activity: Activity, key: str, **kwargs: object) -> tuple[ParticipationRecord, bool]:
    return participation_record(
        activity=activity,
        kind=ParticipationKind.ATTENDED_EVENT,
        channel=ArrivalChannel.IN_PERSON,
        act_key=key,
        **kwargs,  # type: ignore[arg-type]
    )
