from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.services import demographics_record, participant_for
from coproduce.votes.models import Ballot, BallotKind
from coproduce.votes.services import (
    BallotDetails,
    OptionDetails,
    ballot_create,
    ballot_publish,
    codes_issue,
)
from tests.conftest import World

PROJECTS = [
    OptionDetails("Playground on the green", Decimal("6000")),
    OptionDetails("New library roof", Decimal("7500")),
    OptionDetails("Benches by the pond", Decimal("3000")),
    OptionDetails("Mural at the station", Decimal("2000")),
]


def budget_details(**changes: object) -> BallotDetails:
    now = timezone.now()
    values: dict[str, object] = {
        "title": "Little Testing's £10,000",
        "kind": BallotKind.BUDGET,
        "budget": Decimal("10000"),
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=7),
        "options": PROJECTS,
        "districts": ["TE1"],
        "question": "What should the parish spend its £10,000 on this year?",
    }
    values.update(changes)
    return BallotDetails(**values)  # type: ignore[arg-type]


def make_ballot(world: World, *, publish: bool = True, **changes: object) -> Ballot:
    manager = world.users["manager of A"]
    ballot = ballot_create(
        service=world.service_a, details=budget_details(**changes), created_by=manager
    )
    if publish:
        ballot = ballot_publish(ballot=ballot, published_by=manager)
    return ballot


def live_in(user: User | None, district: str) -> None:
    assert user is not None
    demographics_record(
        participant=participant_for(user),
        consent_given=True,
        answers={"postcode_district": district},
    )


@pytest.fixture
def ballot(world: World) -> Ballot:
    return make_ballot(world)


@pytest.fixture
def codes(world: World, ballot: Ballot) -> list[str]:
    return codes_issue(ballot=ballot, count=5, batch="Letters", issued_by=world.users["staff of A"])
