"""The demo votes: a closed participatory budget at one library, an open vote at the other.

* Ashmere Parva's library gives its Friends' £2,000 to residents to share out (the
  study's library lost its "friends" because they had no vote): closed three months
  ago, with votes from residents of EM5 signed in, from household letters, and paper
  ballots from the Friends' meeting entered by the manager. Its result is public.
* Fennick Green's library asks which evening it should open late: open now, for
  residents of EM6 signed in and anyone with a code.

Dates are relative to today, as the demo events are, so that one vote is always open
and one always closed. Deterministic (one ``random.Random(seed)``), idempotent (a
library with a ballot already is left alone); every vote is cast through the services,
so the ledger has its records.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.demographics import participants_whose
from coproduce.accounts.models import Participant, User
from coproduce.engagement.models import ArrivalChannel
from coproduce.organisations.models import Service

from .models import Ballot, BallotKind
from .services import (
    BallotDetails,
    OptionDetails,
    ballot_create,
    ballot_publish,
    codes_issue,
    vote_cast,
)

MANAGER = "library-manager"
OTHER_MANAGER = "other-library-manager"
LIBRARY_A = "Ashmere Parva Community Library"
LIBRARY_B = "Fennick Green Community Library"

FRIENDS_PROJECTS = [
    OptionDetails("Large-print and audio books", Decimal("600")),
    OptionDetails("A second laptop for the homework club", Decimal("850")),
    OptionDetails("Board games for the knit and natter group", Decimal("250")),
    OptionDetails("A ramp at the back door", Decimal("1400")),
    OptionDetails("Summer reading challenge prizes", Decimal("300")),
]
# How likely a voter is to pick each project, in that order.
FRIENDS_APPEAL = [0.55, 0.4, 0.35, 0.5, 0.45]
EVENINGS = ["Tuesday until 8pm", "Wednesday until 8pm", "Thursday until 8pm"]


def load_demo_votes(*, seed: int) -> None:
    with transaction.atomic():
        services = {s.name: s for s in Service.objects.filter(name__in=[LIBRARY_A, LIBRARY_B])}
        managers = {
            u.username: u for u in User.objects.filter(username__in=[MANAGER, OTHER_MANAGER])
        }
        if len(services) < 2 or len(managers) < 2:
            return
        if Ballot.objects.filter(activity__service__in=services.values()).exists():
            return
        rng = random.Random(seed)  # noqa: S311 - demo data, not security # nosec B311
        _friends_budget(rng, services[LIBRARY_A], managers[MANAGER])
        _late_evening(rng, services[LIBRARY_B], managers[OTHER_MANAGER])


def _some(rng: random.Random, people: list[Participant], most: int) -> list[Participant]:
    return rng.sample(people, min(most, len(people)))


def _residents_of(district: str) -> list[Participant]:
    return participants_whose(
        Participant.objects.order_by("reference"), postcode_district={district}
    )


def _friends_budget(rng: random.Random, service: Service, manager: User) -> None:
    today = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    opens, closes = today - timedelta(days=120), today - timedelta(days=90)
    ballot = ballot_create(
        service=service,
        details=BallotDetails(
            title="The Friends' £2,000: what should the library buy?",
            question=(
                "The Friends of the library raised £2,000 this year. You decide what it "
                "buys: choose the projects you want, up to £2,000 in all."
            ),
            kind=BallotKind.BUDGET,
            budget=Decimal("2000"),
            opens_at=opens,
            closes_at=closes,
            districts=["EM5"],
            options=FRIENDS_PROJECTS,
        ),
        created_by=manager,
        rng=rng,
    )
    option_ids = [o.pk for o in ballot.options.order_by("position")]
    letters = codes_issue(
        ballot=ballot, count=20, batch="Letters to EM5 households", issued_by=manager, rng=rng
    )
    meeting = codes_issue(
        ballot=ballot, count=12, batch="Friends' meeting", issued_by=manager, rng=rng
    )
    # Codes were issued while the vote was being prepared; it is history now.
    ballot = _publish_past(ballot)
    voters: list[tuple[Participant | None, str, ArrivalChannel]] = [
        (person, "", ArrivalChannel.ONLINE) for person in _some(rng, _residents_of("EM5"), 24)
    ]
    voters += [(None, code, ArrivalChannel.ONLINE) for code in letters[:14]]
    voters += [(None, code, ArrivalChannel.PAPER) for code in meeting[:11]]
    for n, (person, code, channel) in enumerate(voters):
        vote_cast(
            ballot=ballot,
            option_ids=_paper(rng, option_ids),
            participant=person,
            code=code,
            channel=channel,
            recorded_by=manager if channel == ArrivalChannel.PAPER else None,
            now=opens + timedelta(hours=1 + n * 17),
        )


def _publish_past(ballot: Ballot) -> Ballot:
    """Publish a ballot whose closing has passed: the demo's history. ``ballot_publish``
    rightly refuses that to staff."""
    Ballot.objects.filter(pk=ballot.pk).update(published=True)
    ballot.refresh_from_db()
    return ballot


def _paper(rng: random.Random, option_ids: list[int]) -> list[int]:
    """A ballot paper within the £2,000: projects by their appeal, dropping what overflows."""
    costs = [p.cost for p in FRIENDS_PROJECTS]
    chosen: list[int] = []
    total = Decimal("0")
    for index in rng.sample(range(len(option_ids)), len(option_ids)):
        if rng.random() < FRIENDS_APPEAL[index] and total + costs[index] <= Decimal("2000"):
            chosen.append(option_ids[index])
            total += costs[index]
    return chosen or [option_ids[2]]


def _late_evening(rng: random.Random, service: Service, manager: User) -> None:
    now = timezone.localtime().replace(second=0, microsecond=0)
    ballot = ballot_create(
        service=service,
        details=BallotDetails(
            title="Which evening should the library open late?",
            question=(
                "From January the library can stay open until 8pm one evening a week, "
                "with volunteers from the rota. The evening with the most votes wins."
            ),
            kind=BallotKind.CHOICE,
            opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=21),
            districts=["EM6"],
            options=[OptionDetails(evening) for evening in EVENINGS],
        ),
        created_by=manager,
        rng=rng,
    )
    ballot = ballot_publish(ballot=ballot, published_by=manager)
    option_ids = [o.pk for o in ballot.options.order_by("position")]
    for n, person in enumerate(_some(rng, _residents_of("EM6"), 15)):
        vote_cast(
            ballot=ballot,
            option_ids=[rng.choices(option_ids, weights=[2, 3, 5])[0]],
            participant=person,
            now=now - timedelta(days=6, hours=-n * 9),
        )
