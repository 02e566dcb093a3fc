"""Reads about ballots, permission checked; votes are counted in the database.

Running totals are shown to nobody while a vote is open, staff included, so that no
one can steer it by the count; staff see how many have voted. Results are public once
the vote has closed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from coproduce.accounts.models import Participant
from coproduce.analysis.budget import OptionResult, OptionVotes, tally
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .models import Ballot, Option, Vote
from .services import is_closed

User = AbstractBaseUser | AnonymousUser


def _ballots() -> "QuerySet[Ballot]":
    return Ballot.objects.select_related("activity__service__provider")


def ballot_public(code: str) -> Ballot:
    """A published ballot, or 404: a draft does not exist for the public."""
    return get_object_or_404(_ballots(), code=code, published=True)


def ballot_for_runner(user: User, code: str) -> Ballot:
    """A ballot whose service ``user`` runs the engagement of, or 403."""
    ballot = get_object_or_404(_ballots(), code=code)
    if not user.is_authenticated or not can_run_service_engagement(user, ballot.activity.service):
        raise PermissionDenied
    return ballot


def service_ballots(service: Service) -> list[Ballot]:
    """The service's ballots, newest first, each with ``n_votes``."""
    return list(
        _ballots()
        .filter(activity__service=service)
        .annotate(n_votes=Count("votes"))
        .order_by("-opens_at", "title")
    )


def has_voted(ballot: Ballot, participant: Participant | None) -> bool:
    if participant is None:
        return False
    return Vote.objects.filter(ballot=ballot, voter=f"participant:{participant.pk}").exists()


def turnout(ballot: Ballot) -> dict[str, int]:
    """Votes cast, by the channel they arrived by."""
    rows = Vote.objects.filter(ballot=ballot).values("channel").annotate(n=Count("id"))
    return {row["channel"]: row["n"] for row in rows.order_by("channel")}


@dataclass(frozen=True)
class ResultRow:
    option: Option
    result: OptionResult


@dataclass(frozen=True)
class Results:
    ballot: Ballot
    rows: Sequence[ResultRow]  # in the order of the greedy pass: votes, then cost
    votes: int
    by_channel: dict[str, int]

    @property
    def funded_cost(self) -> Decimal:
        return sum((r.option.cost for r in self.rows if r.result.funded), Decimal("0"))


def results(ballot: Ballot) -> Results:
    """The counted result of a closed ballot (two queries), or 404 while it is open."""
    if not is_closed(ballot):
        raise Http404
    options = {
        option.pk: option
        for option in Option.objects.filter(ballot=ballot).annotate(n=Count("votes"))
    }
    counted = tally(
        [
            OptionVotes(key=pk, position=o.position, cost=o.cost, votes=o.n)
            for pk, o in options.items()
        ],
        ballot.budget,
    )
    by_channel = turnout(ballot)
    return Results(
        ballot=ballot,
        rows=[ResultRow(option=options[r.key], result=r) for r in counted],
        votes=sum(by_channel.values()),
        by_channel=by_channel,
    )


def open_data(ballot: Ballot) -> dict[str, object]:
    """A closed ballot's result as open data: counts only, no voter and no code."""
    counted = results(ballot)
    return {
        "ballot": {
            "code": ballot.code,
            "title": ballot.title,
            "question": ballot.question,
            "kind": ballot.kind,
            "budget": None if ballot.budget is None else str(ballot.budget),
            "currency": ballot.currency,
            "opens_at": ballot.opens_at.isoformat(),
            "closes_at": ballot.closes_at.isoformat(),
        },
        "votes": counted.votes,
        "votes_by_channel": counted.by_channel,
        "options": [
            {
                "title": row.option.title,
                "cost": str(row.option.cost),
                "votes": row.result.votes,
                "rank": row.result.rank,
                "funded": row.result.funded,
            }
            for row in counted.rows
        ],
        "method": (
            "greedy by votes within the budget; equal votes: cheaper first, then ballot order"
        ),
    }
