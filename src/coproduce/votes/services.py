"""Every write about ballots: setting them up, issuing codes, and casting votes.

A ballot can be changed until it opens; from its opening its options are frozen, and
from its closing nothing more is counted. A vote is checked (open, eligible, options of
this ballot, within the budget) and then written in one transaction with the ballot
paper's choices and one participation record; the database's unique constraints decide
races (see ``models``), so a vote is counted once however often it is sent.
"""

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coproduce.accounts.models import Demographics, Participant, User
from coproduce.core.references import new_reference
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import (
    require_service_runner,
)

from .models import Ballot, BallotKind, Option, Vote, VotingCode

MAX_CODES = 5000
DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class OptionDetails:
    title: str
    cost: Decimal = Decimal("0")
    description: str = ""


@dataclass(frozen=True)
class BallotDetails:
    """What staff say about a ballot; ``ballot_create`` and ``ballot_update`` check it."""

    title: str
    kind: BallotKind
    opens_at: datetime
    closes_at: datetime
    options: Sequence[OptionDetails]
    question: str = ""
    budget: Decimal | None = None
    districts: Sequence[str] = field(default_factory=list)


def _check(details: BallotDetails) -> None:
    errors: dict[str, list[str]] = {}
    if details.closes_at <= details.opens_at:
        errors["closes_at"] = [_("The vote must close after it opens.")]
    if details.kind == BallotKind.BUDGET and (details.budget is None or details.budget <= 0):
        errors["budget"] = [_("Enter the budget to share out, more than 0.")]
    if len(details.options) < 2:
        errors["options"] = [_("Give at least two options to choose from.")]
    titles = [option.title.strip().casefold() for option in details.options]
    if len(set(titles)) != len(titles):
        errors.setdefault("options", []).append(_("Give each option a different title."))
    if any(option.cost < 0 for option in details.options):
        errors.setdefault("options", []).append(_("A cost cannot be negative."))
    bad = [district for district in details.districts if not DISTRICT.match(district)]
    if bad:
        errors["districts"] = [
            _("These are not postcode districts: %(bad)s. Write them as EM4 or SW1A.")
            % {"bad": ", ".join(bad)}
        ]
    if errors:
        raise ValidationError(errors)


def _write(ballot: Ballot, details: BallotDetails) -> None:
    ballot.title = details.title
    ballot.question = details.question
    ballot.kind = details.kind
    ballot.budget = details.budget if details.kind == BallotKind.BUDGET else None
    ballot.opens_at = details.opens_at
    ballot.closes_at = details.closes_at
    ballot.districts = sorted(set(details.districts))
    ballot.full_clean(exclude=["activity", "created_by"])
    ballot.save()
    ballot.options.all().delete()
    Option.objects.bulk_create(
        Option(
            ballot=ballot,
            position=position,
            title=option.title,
            cost=option.cost if details.kind == BallotKind.BUDGET else Decimal("0"),
            description=option.description,
        )
        for position, option in enumerate(details.options, start=1)
    )


@transaction.atomic
def ballot_create(
    *,
    service: Service,
    details: BallotDetails,
    created_by: User | None,
    rng: random.Random | None = None,
) -> Ballot:
    """A draft ballot and the engagement activity it belongs to.

    A participatory budget delegates a decision on money to residents (form *empower*,
    rung *delegated power*, Co stage *commission*); a vote on options consults them on
    a design (form *consult*, Co stage *design*).
    """
    require_service_runner(created_by, service)
    _check(details)
    budget = details.kind == BallotKind.BUDGET
    activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=details.title,
            form=EngagementForm.EMPOWER if budget else EngagementForm.CONSULT,
            co_stage=CoStage.COMMISSION if budget else CoStage.DESIGN,
            citizen_role=CitizenRole.CO_DESIGNER,
            starts_on=timezone.localdate(details.opens_at),
            ends_on=timezone.localdate(details.closes_at),
            description=details.question,
        ),
        created_by=created_by,
    )
    ballot = Ballot(activity=activity, created_by=created_by)
    if rng is not None:  # the demo's addresses, the same for the same seed
        ballot.code = new_reference("B", rng=rng)
    _write(ballot, details)
    return ballot


def _lock(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("activity__service").get(pk=ballot.pk)


def has_opened(ballot: Ballot, now: datetime | None = None) -> bool:
    return ballot.published and ballot.opens_at <= (now or timezone.now())


def is_open(ballot: Ballot, now: datetime | None = None) -> bool:
    moment = now or timezone.now()
    return ballot.published and ballot.opens_at <= moment < ballot.closes_at


def is_closed(ballot: Ballot, now: datetime | None = None) -> bool:
    return ballot.published and (now or timezone.now()) >= ballot.closes_at


@transaction.atomic
def ballot_update(*, ballot: Ballot, details: BallotDetails, updated_by: User | None) -> Ballot:
    """Change a ballot that has not opened yet."""
    locked = _lock(ballot)
    require_service_runner(updated_by, locked.activity.service)
    if has_opened(locked):
        raise ValidationError(_("This vote has opened, so it can no longer be changed."))
    _check(details)
    _write(locked, details)
    return locked


@transaction.atomic
def ballot_publish(*, ballot: Ballot, published_by: User | None) -> Ballot:
    locked = _lock(ballot)
    require_service_runner(published_by, locked.activity.service)
    if locked.closes_at <= timezone.now():
        raise ValidationError(_("This vote's closing time has passed: change it first."))
    locked.published = True
    locked.save(update_fields=["published", "updated_at"])
    return locked


def _digest(code: str) -> str:
    normalised = code.strip().upper().replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


@transaction.atomic
def codes_issue(
    *,
    ballot: Ballot,
    count: int,
    batch: str,
    issued_by: User | None,
    rng: random.Random | None = None,
) -> list[str]:
    """``count`` new one-time codes, returned once and stored only as digests."""
    require_service_runner(issued_by, ballot.activity.service)
    if is_closed(ballot):
        raise ValidationError(_("This vote has closed."))
    if not 1 <= count <= MAX_CODES:
        raise ValidationError(
            {"count": _("Issue between 1 and %(max)s codes at a time.") % {"max": MAX_CODES}}
        )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_reference("V", rng=rng))
    VotingCode.objects.bulk_create(
        VotingCode(ballot=ballot, digest=_digest(code), batch=batch, issued_by=issued_by)
        for code in sorted(codes)
    )
    return sorted(codes)


def _eligible_participant(ballot: Ballot, participant: Participant) -> None:
    district = (
        Demographics.objects.filter(participant=participant)
        .values_list("postcode_district", flat=True)
        .first()
    )
    if not district or district not in ballot.districts:
        raise ValidationError(
            _(
                "Your account does not show a postcode district where this vote is open. "
                "Use the voting code you were given instead."
            )
        )


def _chosen(ballot: Ballot, option_ids: Sequence[int]) -> list[Option]:
    options = {option.pk: option for option in ballot.options.all()}
    if len(set(option_ids)) != len(option_ids) or any(pk not in options for pk in option_ids):
        raise ValidationError({"options": _("Choose from the options of this vote.")})
    chosen = [options[pk] for pk in option_ids]
    if ballot.kind == BallotKind.CHOICE and len(chosen) != 1:
        raise ValidationError({"options": _("Choose one option.")})
    if not chosen:
        raise ValidationError({"options": _("Choose at least one project.")})
    total = sum((option.cost for option in chosen), Decimal("0"))
    if ballot.budget is not None and total > ballot.budget:
        raise ValidationError(
            {
                "options": _(
                    "Your projects cost %(total)s in all, more than the budget of %(budget)s: "
                    "leave some out."
                )
                % {"total": money(total), "budget": money(ballot.budget)}
            }
        )
    return chosen


def money(amount: Decimal) -> str:
    """An amount of pounds as people read it: £2,400.00."""
    return "£" + number_format(amount, decimal_pos=2, force_grouping=True)


def _code(ballot: Ballot, code: str) -> VotingCode:
    found = VotingCode.objects.filter(ballot=ballot, digest=_digest(code)).first()
    if found is None:
        raise ValidationError({"code": _("This code is not a code for this vote.")})
    return found


@transaction.atomic
def vote_cast(
    *,
    ballot: Ballot,
    option_ids: Sequence[int],
    participant: Participant | None = None,
    code: str = "",
    channel: ArrivalChannel = ArrivalChannel.ONLINE,
    recorded_by: User | None = None,
    now: datetime | None = None,
) -> Vote:
    """Count one ballot paper: a signed-in resident's, or one cast with a code.

    Paper ballots (from a parish meeting) are entered by staff with the paper's code,
    so that online and paper votes count in one result and no code votes twice.
    """
    moment = now or timezone.now()
    if not is_open(ballot, moment):
        raise ValidationError(_("This vote is not open."))
    if channel != ArrivalChannel.ONLINE:
        require_service_runner(recorded_by, ballot.activity.service)
    chosen = _chosen(ballot, option_ids)
    voting_code = None
    if code.strip():
        voting_code = _code(ballot, code)
        voter = f"code:{voting_code.pk}"
        participant = None
    elif participant is not None and channel == ArrivalChannel.ONLINE:
        _eligible_participant(ballot, participant)
        voter = f"participant:{participant.pk}"
    else:
        raise ValidationError({"code": _("Enter the voting code you were given.")})
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                ballot=ballot,
                voter=voter,
                code=voting_code,
                participant=participant,
                channel=channel,
                cast_at=moment,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        if voting_code is not None:
            raise ValidationError({"code": _("This code has already been used.")}) from None
        raise ValidationError(_("You have already voted in this vote.")) from None
    vote.options.set(chosen)
    participation_record(
        activity=ballot.activity,
        kind=ParticipationKind.VOTED,
        channel=channel,
        act_key=f"vote:{ballot.code}:{voter}",
        participant=participant,
        occurred_at=moment,
        recorded_by=recorded_by,
    )
    return vote
