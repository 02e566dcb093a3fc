"""The demo votes: one closed participatory budget with public results, one open vote."""

import pytest

from coproduce.engagement.models import ArrivalChannel, ParticipationKind, ParticipationRecord
from coproduce.votes.models import Ballot, BallotKind, Vote
from coproduce.votes.selectors import results
from coproduce.votes.services import is_closed, is_open

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_decided_budget_and_an_open_vote(demo_world: None) -> None:
    budget = Ballot.objects.get(kind=BallotKind.BUDGET)
    evening = Ballot.objects.get(kind=BallotKind.CHOICE)
    assert is_closed(budget)
    assert is_open(evening)
    counted = results(budget)
    signed_in = Vote.objects.filter(ballot=budget, participant__isnull=False).count()
    assert signed_in > 0
    # Residents of EM5 signed in, 14 household letters online, 11 papers from the meeting.
    assert counted.by_channel == {ArrivalChannel.ONLINE: signed_in + 14, ArrivalChannel.PAPER: 11}
    assert 0 < counted.funded_cost <= budget.budget  # type: ignore[operator]
    assert any(not row.result.funded for row in counted.rows)
    assert Vote.objects.filter(ballot=evening).count() > 0
    ballots = ParticipationRecord.objects.filter(activity__ballots__isnull=False)
    assert ballots.filter(kind=ParticipationKind.VOTED).count() == Vote.objects.count()
