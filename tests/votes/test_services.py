"""Setting up ballots, issuing codes and casting votes: the rules and their refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from coproduce.accounts.services import participant_for
from coproduce.engagement.ladder import EngagementForm, Rung
from coproduce.engagement.models import ArrivalChannel, ParticipationKind, ParticipationRecord
from coproduce.votes.models import Ballot, BallotKind, Vote, VotingCode
from coproduce.votes.selectors import results
from coproduce.votes.services import (
    OptionDetails,
    ballot_create,
    ballot_update,
    codes_issue,
    vote_cast,
)
from tests.conftest import World
from tests.votes.conftest import PROJECTS, budget_details, live_in, make_ballot


def option_ids(ballot: Ballot, *titles: str) -> list[int]:
    by_title = {o.title: o.pk for o in ballot.options.all()}
    return [by_title[t] for t in titles]


def test_a_participatory_budget_is_an_activity_of_delegated_power(ballot: Ballot) -> None:
    assert ballot.activity.form == EngagementForm.EMPOWER
    assert ballot.activity.rung == Rung.DELEGATED_POWER
    assert [o.title for o in ballot.options.all()] == [p.title for p in PROJECTS]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_at": timezone.now() - timedelta(days=1)}, "closes_at"),
        ({"budget": None}, "budget"),
        ({"options": PROJECTS[:1]}, "options"),
        ({"options": [OptionDetails("Benches"), OptionDetails(" benches ")]}, "options"),
        ({"options": [OptionDetails("A", Decimal("-1")), OptionDetails("B")]}, "options"),
        ({"districts": ["TE1", "not a district"]}, "districts"),
    ],
)
def test_a_ballot_that_cannot_work_is_refused_with_the_reason_on_its_field(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ballot_create(
            service=world.service_a,
            details=budget_details(**changes),
            created_by=world.users["manager of A"],
        )
    assert field in refused.value.message_dict
    assert not Ballot.objects.exists()


def test_only_people_who_run_the_service_set_up_votes(world: World) -> None:
    for persona in ("resident", "volunteer of A", "manager of B", "commissioner"):
        with pytest.raises(PermissionDenied):
            ballot_create(
                service=world.service_a, details=budget_details(), created_by=world.users[persona]
            )


def test_a_ballot_can_change_until_it_opens_and_not_after(world: World) -> None:
    soon = timezone.now() + timedelta(days=1)
    draft = make_ballot(world, opens_at=soon, closes_at=soon + timedelta(days=7))
    changed = ballot_update(
        ballot=draft,
        details=budget_details(
            opens_at=soon, closes_at=soon + timedelta(days=7), options=PROJECTS[:2]
        ),
        updated_by=world.users["staff of A"],
    )
    assert changed.options.count() == 2
    opened = make_ballot(world, title="Open already")
    with pytest.raises(ValidationError, match="has opened"):
        ballot_update(ballot=opened, details=budget_details(), updated_by=world.users["staff of A"])


def test_a_resident_of_a_listed_district_votes_once_without_a_code(
    world: World, ballot: Ballot
) -> None:
    resident = world.users["resident"]
    live_in(resident, "TE1")
    participant = participant_for(resident)  # type: ignore[arg-type]
    chosen = option_ids(ballot, "Playground on the green", "Benches by the pond")
    vote = vote_cast(ballot=ballot, option_ids=chosen, participant=participant)
    assert sorted(vote.options.values_list("pk", flat=True)) == sorted(chosen)
    with pytest.raises(ValidationError, match="already voted"):
        vote_cast(ballot=ballot, option_ids=chosen, participant=participant)
    assert Vote.objects.count() == 1
    record = ParticipationRecord.objects.get()
    assert (record.kind, record.participant, record.postcode_district) == (
        ParticipationKind.VOTED,
        participant,
        "TE1",
    )


def test_a_resident_of_another_district_is_told_to_use_a_code(world: World, ballot: Ballot) -> None:
    resident = world.users["resident"]
    live_in(resident, "TE9")
    with pytest.raises(ValidationError, match="voting code"):
        vote_cast(
            ballot=ballot,
            option_ids=option_ids(ballot, "Mural at the station"),
            participant=participant_for(resident),  # type: ignore[arg-type]
        )
    assert not Vote.objects.exists()


def test_a_code_casts_one_vote_and_is_stored_only_as_a_digest(
    ballot: Ballot, codes: list[str]
) -> None:
    chosen = option_ids(ballot, "New library roof")
    vote_cast(ballot=ballot, option_ids=chosen, code=codes[0].lower())
    with pytest.raises(ValidationError, match="already been used"):
        vote_cast(ballot=ballot, option_ids=chosen, code=codes[0])
    with pytest.raises(ValidationError, match="not a code for this vote"):
        vote_cast(ballot=ballot, option_ids=chosen, code="V-0000-0000")
    stored = set(VotingCode.objects.values_list("digest", flat=True))
    assert not any(code in digest for code in codes for digest in stored)
    assert Vote.objects.count() == 1
    assert ParticipationRecord.objects.get().participant is None


def test_a_code_of_another_ballot_does_not_vote_here(world: World, ballot: Ballot) -> None:
    other = make_ballot(world, title="Another vote")
    [code] = codes_issue(
        ballot=other, count=1, batch="Meeting", issued_by=world.users["staff of A"]
    )
    with pytest.raises(ValidationError, match="not a code for this vote"):
        vote_cast(ballot=ballot, option_ids=option_ids(ballot, "New library roof"), code=code)


@pytest.mark.parametrize(
    ("titles", "message"),
    [
        (("Playground on the green", "New library roof"), "more than the budget"),
        ((), "at least one project"),
    ],
)
def test_a_ballot_paper_over_the_budget_or_empty_is_refused(
    ballot: Ballot, codes: list[str], titles: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        vote_cast(ballot=ballot, option_ids=option_ids(ballot, *titles), code=codes[0])
    assert not Vote.objects.exists()
    # The code is still good for a ballot paper that fits.
    vote_cast(ballot=ballot, option_ids=option_ids(ballot, "New library roof"), code=codes[0])


def test_options_must_be_this_ballots_and_chosen_once(
    world: World, ballot: Ballot, codes: list[str]
) -> None:
    other = make_ballot(world, title="Another vote")
    foreign = [other.options.first().pk]  # type: ignore[union-attr]
    twice = option_ids(ballot, "Benches by the pond") * 2
    for chosen in (foreign, twice):
        with pytest.raises(ValidationError, match="options of this vote"):
            vote_cast(ballot=ballot, option_ids=chosen, code=codes[0])


def test_a_plain_vote_takes_exactly_one_option(world: World) -> None:
    vote = make_ballot(world, kind=BallotKind.CHOICE, budget=None, title="Opening hours")
    [code] = codes_issue(ballot=vote, count=1, batch="Meeting", issued_by=world.users["staff of A"])
    assert vote.activity.form == EngagementForm.CONSULT
    with pytest.raises(ValidationError, match="Choose one option"):
        vote_cast(
            ballot=vote, option_ids=option_ids(vote, *[p.title for p in PROJECTS[:2]]), code=code
        )


def test_nothing_is_counted_before_opening_or_after_closing(
    world: World, ballot: Ballot, codes: list[str]
) -> None:
    chosen = option_ids(ballot, "Mural at the station")
    for moment in (ballot.opens_at - timedelta(minutes=1), ballot.closes_at):
        with pytest.raises(ValidationError, match="not open"):
            vote_cast(ballot=ballot, option_ids=chosen, code=codes[0], now=moment)
    draft = make_ballot(world, publish=False, title="Draft")
    with pytest.raises(ValidationError, match="not open"):
        vote_cast(ballot=draft, option_ids=option_ids(draft, "Mural at the station"), code="x")


def test_paper_votes_are_entered_by_staff_and_count_with_online_ones(
    world: World, ballot: Ballot, codes: list[str]
) -> None:
    chosen = option_ids(ballot, "Benches by the pond")
    with pytest.raises(PermissionDenied):
        vote_cast(
            ballot=ballot,
            option_ids=chosen,
            code=codes[0],
            channel=ArrivalChannel.PAPER,
            recorded_by=world.users["volunteer of A"],
        )
    vote_cast(
        ballot=ballot,
        option_ids=chosen,
        code=codes[0],
        channel=ArrivalChannel.PAPER,
        recorded_by=world.users["staff of A"],
    )
    vote_cast(ballot=ballot, option_ids=chosen, code=codes[1])
    with pytest.raises(ValidationError, match="voting code"):
        vote_cast(
            ballot=ballot,
            option_ids=chosen,
            channel=ArrivalChannel.PAPER,
            recorded_by=world.users["staff of A"],
        )
    record = ParticipationRecord.objects.get(channel=ArrivalChannel.PAPER)
    assert record.recorded_by == world.users["staff of A"]
    assert ParticipationRecord.objects.count() == 2


def test_results_are_counted_after_closing_and_fund_greedily_within_the_budget(
    world: World, ballot: Ballot
) -> None:
    papers = {
        ("Playground on the green", "Benches by the pond"): 3,
        ("New library roof",): 2,
        ("Mural at the station", "Benches by the pond"): 1,
    }
    codes = codes_issue(
        ballot=ballot, count=6, batch="Letters", issued_by=world.users["staff of A"]
    )
    for titles, n in papers.items():
        for _ in range(n):
            vote_cast(ballot=ballot, option_ids=option_ids(ballot, *titles), code=codes.pop())
    with pytest.raises(Http404):
        results(ballot)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    ballot.refresh_from_db()
    counted = results(ballot)
    # Benches 4, playground 3, roof 2, mural 1: benches (3,000) and playground
    # (6,000) are funded; the roof (7,500) no longer fits in 1,000; nor does the mural.
    assert [
        (r.option.title, r.result.votes, r.result.rank, r.result.funded) for r in counted.rows
    ] == [
        ("Benches by the pond", 4, 1, True),
        ("Playground on the green", 3, 2, True),
        ("New library roof", 2, 3, False),
        ("Mural at the station", 1, 4, False),
    ]
    assert counted.votes == 6
    assert counted.funded_cost == Decimal("9000")
