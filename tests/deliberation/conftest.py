from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.accounts.models import Participant, User
from coproduce.accounts.services import participant_for
from coproduce.deliberation.models import Consultation
from coproduce.deliberation.services import (
    ConsultationDetails,
    consultation_create,
    consultation_publish,
)
from tests.conftest import World


def details(**changes: object) -> ConsultationDetails:
    now = timezone.now()
    values: dict[str, object] = {
        "title": "Saturday mornings at the library",
        "question": "How should the library use its Saturday mornings?",
        "background": "The library opens 9 to 12 on Saturdays with two volunteers.",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=14),
    }
    values.update(changes)
    return ConsultationDetails(**values)  # type: ignore[arg-type]


def make_consultation(world: World, *, publish: bool = True, **changes: object) -> Consultation:
    manager = world.users["manager of A"]
    consultation = consultation_create(
        service=world.service_a, details=details(**changes), created_by=manager
    )
    if publish:
        consultation = consultation_publish(consultation=consultation, published_by=manager)
    return consultation


def person(world: World, persona: str = "resident") -> tuple[User, Participant]:
    user = world.users[persona]
    assert user is not None
    return user, participant_for(user)


def close(consultation: Consultation) -> Consultation:
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now())
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def consultation(world: World) -> Consultation:
    return make_consultation(world)
