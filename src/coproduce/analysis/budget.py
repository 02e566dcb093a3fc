"""Results of a vote or a participatory budget, computed exactly.

Pure functions (no Django): the counting of ballots happens in the database, and this
module turns the votes per option into ranks and, for a participatory budget, the set
of projects funded.

**Ranks** are standard competition ranks ("1224"): options with the same number of
votes share a rank, and the next rank counts the options above it.

**Funded set, greedy by votes within the budget**: take the options from most votes to
fewest; fund an option when its cost fits in what is left of the budget, otherwise
skip it and go on (a cheaper option further down may still fit). Options with equal
votes are taken cheaper first (more of the budget left for the rest), then in the order
the ballot lists them, so the result never depends on anything but the ballot and the
votes. An option with no votes is never funded. Money is ``Decimal``: no rounding.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OptionVotes:
    """One option of a ballot, as counted: ``position`` is its place on the ballot."""

    key: int
    position: int
    cost: Decimal
    votes: int


@dataclass(frozen=True)
class OptionResult:
    key: int
    votes: int
    rank: int
    funded: bool
    # What was left of the budget just before this option was considered (None: no
    # budget, or the option was not reached by the greedy pass because it had no votes).
    budget_left: Decimal | None


def _check(options: Sequence[OptionVotes], budget: Decimal | None) -> None:
    keys = [option.key for option in options]
    if len(set(keys)) != len(keys):
        raise ValueError("each option must appear once")
    for option in options:
        if option.votes < 0:
            raise ValueError(f"option {option.key} has a negative number of votes")
        if option.cost < 0:
            raise ValueError(f"option {option.key} has a negative cost")
    if budget is not None and budget < 0:
        raise ValueError("the budget cannot be negative")


def ranks(options: Sequence[OptionVotes]) -> dict[int, int]:
    """Competition ranks by votes, most votes first."""
    ranked: dict[int, int] = {}
    for option in options:
        ranked[option.key] = 1 + sum(other.votes > option.votes for other in options)
    return ranked


def tally(options: Sequence[OptionVotes], budget: Decimal | None = None) -> list[OptionResult]:
    """Ranks and, when there is a budget, the funded set; in the order of the greedy pass.

    Without a budget (a plain vote) nothing is funded and the order is by votes, then
    ballot position.
    """
    _check(options, budget)
    ranked = ranks(options)
    order = sorted(
        options, key=lambda o: (-o.votes, o.cost if budget is not None else 0, o.position)
    )
    results = []
    left = budget
    for option in order:
        considered = budget is not None and option.votes > 0
        funded = considered and left is not None and option.cost <= left
        results.append(
            OptionResult(
                key=option.key,
                votes=option.votes,
                rank=ranked[option.key],
                funded=funded,
                budget_left=left if considered else None,
            )
        )
        if funded and left is not None:
            left -= option.cost
    return results
