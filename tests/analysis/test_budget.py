from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.budget import OptionVotes, tally


def option(key: int, votes: int, cost: str = "0", position: int | None = None) -> OptionVotes:
    return OptionVotes(
        key=key, position=key if position is None else position, cost=Decimal(cost), votes=votes
    )


def test_the_greedy_pass_skips_what_does_not_fit_and_funds_cheaper_options_below() -> None:
    # Budget 10,000: the playground (6,000) fits, the library roof (7,500) no longer
    # does, the benches (3,000) do, the mural (2,000) does not (1,000 left).
    options = [
        option(1, 120, "6000.00"),
        option(2, 90, "7500.00"),
        option(3, 60, "3000.00"),
        option(4, 30, "2000.00"),
    ]
    results = tally(options, Decimal("10000.00"))
    assert [(r.key, r.rank, r.funded, r.budget_left) for r in results] == [
        (1, 1, True, Decimal("10000.00")),
        (2, 2, False, Decimal("4000.00")),
        (3, 3, True, Decimal("4000.00")),
        (4, 4, False, Decimal("1000.00")),
    ]


def test_ties_share_a_rank_and_the_cheaper_option_goes_first() -> None:
    options = [option(1, 50, "800"), option(2, 50, "500"), option(3, 20, "100")]
    results = tally(options, Decimal("1000"))
    assert [(r.key, r.rank, r.funded) for r in results] == [
        (2, 1, True),
        (1, 1, False),
        (3, 3, True),
    ]


def test_equal_votes_and_costs_follow_the_ballot_order() -> None:
    options = [option(7, 5, "10", position=2), option(8, 5, "10", position=1)]
    assert [r.key for r in tally(options, Decimal("10"))] == [8, 7]
    assert [r.funded for r in tally(options, Decimal("10"))] == [True, False]


def test_an_option_nobody_voted_for_is_never_funded() -> None:
    results = tally([option(1, 3, "5"), option(2, 0, "1")], Decimal("100"))
    assert [(r.key, r.funded, r.budget_left) for r in results] == [
        (1, True, Decimal("100")),
        (2, False, None),
    ]


def test_a_plain_vote_ranks_without_funding() -> None:
    results = tally([option(1, 2), option(2, 9), option(3, 9)])
    assert [(r.key, r.rank, r.funded) for r in results] == [
        (2, 1, False),
        (3, 1, False),
        (1, 3, False),
    ]


def test_money_is_exact() -> None:
    # 0.1 + 0.2 is 0.3 in Decimal: the third option fits exactly.
    options = [option(1, 3, "0.10"), option(2, 2, "0.20"), option(3, 1, "0.30")]
    assert [r.funded for r in tally(options, Decimal("0.60"))] == [True, True, True]


@pytest.mark.parametrize(
    ("options", "budget", "message"),
    [
        ([option(1, 1), option(1, 2)], None, "once"),
        ([option(1, -1)], None, "negative number of votes"),
        ([option(1, 1, "-5")], None, "negative cost"),
        ([option(1, 1)], Decimal("-1"), "budget cannot be negative"),
    ],
)
def test_impossible_inputs_are_refused(
    options: list[OptionVotes], budget: Decimal | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        tally(options, budget)


money = st.decimals(min_value=0, max_value=100_000, places=2)


@st.composite
def ballots(draw: st.DrawFn) -> tuple[list[OptionVotes], Decimal]:
    count = draw(st.integers(min_value=1, max_value=12))
    options = [
        OptionVotes(
            key=key,
            position=draw(st.integers(min_value=0, max_value=20)),
            cost=draw(money),
            votes=draw(st.integers(min_value=0, max_value=50)),
        )
        for key in range(count)
    ]
    return options, draw(money)


@given(ballots())
def test_the_funded_set_fits_the_budget_and_nothing_left_out_would_have_fitted(
    case: tuple[list[OptionVotes], Decimal],
) -> None:
    options, budget = case
    results = tally(options, budget)
    cost = {o.key: o.cost for o in options}
    funded = [r for r in results if r.funded]
    assert sum((cost[r.key] for r in funded), Decimal(0)) <= budget
    for result in results:
        if result.votes > 0 and not result.funded:
            # Skipped only because it did not fit in what was left when it came up.
            assert result.budget_left is not None
            assert cost[result.key] > result.budget_left
    assert sorted(r.key for r in results) == sorted(o.key for o in options)
    assert [r.votes for r in results] == sorted((r.votes for r in results), reverse=True)
