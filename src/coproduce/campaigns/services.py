"""Every write about campaigns: creating them, adding links, and counting a visit.

How a visit is counted (docs/campaigns.md explains the choice): the link's counter for
the day goes up by one in the database (``F("visits") + 1``, so concurrent visits never
overwrite each other), and the ledger gets one anonymous record for that visit whose
``act_key`` is "the n-th visit of link L on day D", n being the counter's new value. The
counter and the ledger therefore always agree, and no visit can be recorded twice. A
visit is a visit, not a person: without cookies nobody can tell a second visit by the
same person from a first visit by someone else, and we do not try.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.core.references import ALPHABET, new_reference
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm, OutreachChannel
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .models import CODE_LENGTH, Campaign, CampaignLink, LinkVisitDay

# Crockford's decoding: letters people confuse with digits read as those digits.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_ATTEMPTS = 10


class UnknownLinkError(Exception):
    """No campaign link has this code: mistyped, cut short, or made up."""


class CampaignEndedError(Exception):
    """The link is real but its campaign is over; the visit is not counted."""

    def __init__(self, link: CampaignLink) -> None:
        super().__init__(link.code)
        self.link = link


@dataclass(frozen=True)
class CampaignPlan:
    title: str
    message: str
    destination: str
    starts_on: date
    ends_on: date | None = None
    channels: tuple[str, ...] = ()


def normalise_code(raw: str) -> str | None:
    """The code as stored, from what someone typed or scanned; None if it cannot be one.

    Case, hyphens and the letters O, I and L (read as 0, 1, 1) are forgiven, as
    Crockford's base 32 intends, so a code copied by hand from a poster still works.
    """
    code = raw.strip().upper().replace("-", "").translate(_CONFUSABLE)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def new_link_code(*, rng: random.Random | None = None) -> str:
    """Eight random Crockford symbols: 40 bits from the cryptographic generator.

    ``rng`` is for the deterministic demo world only.
    """
    choose = rng.choice if rng is not None else secrets.choice
    return "".join(choose(ALPHABET) for _ in range(CODE_LENGTH))


def check_destination(value: str) -> str:
    """A path of this platform ("/…") or an https address; anything else is refused.

    Protocol-relative ("//host") and backslash paths are refused because browsers
    treat them as another site, which would make the short link an open redirect.
    """
    value = value.strip()
    if value.startswith("/"):
        if value.startswith(("//", "/\\")) or urlsplit(value).netloc:
            raise ValidationError(
                {"destination": _("Enter a page of this site starting with a single /.")}
            )
        return value
    if urlsplit(value).scheme.lower() != "https":
        raise ValidationError(
            {
                "destination": _(
                    "Enter a page of this site (starting with /) or a web address "
                    "starting with https://."
                )
            }
        )
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        raise ValidationError(
            {"destination": _("Enter a full web address, such as https://www.example.org/help.")}
        ) from None
    return value


def _check_plan(plan: CampaignPlan) -> str:
    """The destination to save; every problem of the plan at once, so staff fix all in one go."""
    errors: dict[str, list[str]] = {}
    if plan.ends_on is not None and plan.ends_on < plan.starts_on:
        errors["ends_on"] = [_("The end date must be on or after the start date.")]
    unknown = [channel for channel in plan.channels if channel not in OutreachChannel.values]
    if unknown:
        errors["channels"] = [
            _("“%s” is not a channel. Choose from the list.") % ", ".join(unknown)
        ]
    destination = ""
    try:
        destination = check_destination(plan.destination)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return destination


def _activity_for(
    *, service: Service, plan: CampaignPlan, activity: Activity | None, created_by: User | None
) -> Activity:
    if activity is None:
        return activity_create(
            service=service,
            plan=ActivityPlan(
                title=plan.title,
                form=EngagementForm.INFORM,
                co_stage=CoStage.DELIVER,
                citizen_role=CitizenRole.NONE,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                channels=tuple(OutreachChannel(channel) for channel in plan.channels),
                description=plan.message,
            ),
            created_by=created_by,
        )
    if activity.service_id != service.pk or activity.form != EngagementForm.INFORM:
        raise ValidationError(
            {"activity": _("Choose an informing activity of this service, or none.")}
        )
    return activity


@transaction.atomic
def campaign_create(
    *,
    service: Service,
    plan: CampaignPlan,
    created_by: User | None,
    activity: Activity | None = None,
    rng: random.Random | None = None,
) -> Campaign:
    """A campaign with one short link per channel in ``plan.channels``.

    Without ``activity``, a new informing activity of the service is created for it.
    """
    if not can_run_service_engagement(created_by, service):
        raise PermissionDenied
    destination = _check_plan(plan)
    campaign = Campaign(
        activity=_activity_for(
            service=service, plan=plan, activity=activity, created_by=created_by
        ),
        title=plan.title.strip(),
        message=plan.message.strip(),
        destination=destination,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
    )
    if rng is not None:
        campaign.reference = new_reference("C", rng=rng)
    campaign.full_clean()
    campaign.save()
    for channel in plan.channels:
        _link_create(campaign=campaign, channel=OutreachChannel(channel), rng=rng)
    return campaign


def _link_create(
    *, campaign: Campaign, channel: OutreachChannel, rng: random.Random | None
) -> CampaignLink:
    for _attempt in range(_CODE_ATTEMPTS):
        code = new_link_code(rng=rng)
        if CampaignLink.objects.filter(code=code).exists():
            continue
        try:
            # A savepoint: a code taken by a concurrent request between the check and
            # the insert only costs another draw.
            with transaction.atomic():
                return CampaignLink.objects.create(campaign=campaign, channel=channel, code=code)
        except IntegrityError:
            if CampaignLink.objects.filter(campaign=campaign, channel=channel).exists():
                raise
    raise RuntimeError("No free link code after several draws; is the generator broken?")


@transaction.atomic
def campaign_link_add(
    *,
    campaign: Campaign,
    channel: str,
    added_by: User | None,
    rng: random.Random | None = None,
) -> CampaignLink:
    if not can_run_service_engagement(added_by, campaign.activity.service):
        raise PermissionDenied
    if channel not in OutreachChannel.values:
        raise ValidationError(
            {"channel": _("“%s” is not a channel. Choose from the list.") % channel}
        )
    if campaign.links.filter(channel=channel).exists():
        raise ValidationError(
            {
                "channel": _("This campaign already has a link for “%s”.")
                % OutreachChannel(channel).label
            }
        )
    return _link_create(campaign=campaign, channel=OutreachChannel(channel), rng=rng)


def visit_act_key(link: CampaignLink, day: date, number: int) -> str:
    return f"campaign-visit:{link.pk}:{day.isoformat()}:{number}"


def visit_record(*, link: CampaignLink, activity: Activity, day: date, number: int) -> None:
    """The ledger's record of the ``number``-th visit of ``link`` on ``day``.

    The record keeps the day, not the minute (noon, so that no time zone moves it to
    another date): the time of a visit to a refuge's poster is nobody's business.
    """
    participation_record(
        activity=activity,
        kind=ParticipationKind.FOLLOWED_LINK,
        channel=ArrivalChannel.ONLINE,
        act_key=visit_act_key(link, day, number),
        occurred_at=datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone()),
    )


@transaction.atomic
def campaign_visit(code: str, *, today: date | None = None) -> str:
    """Count one visit of the link ``code`` and return where to send the visitor.

    Raises ``UnknownLinkError`` (nothing counted) or ``CampaignEndedError`` (nothing counted).
    Public: no permission to check, and nothing about the visitor is read or kept.
    """
    normalised = normalise_code(code)
    if normalised is None:
        raise UnknownLinkError(code)
    link = CampaignLink.objects.select_related("campaign__activity").filter(code=normalised).first()
    if link is None:
        raise UnknownLinkError(code)
    campaign = link.campaign
    today = today or timezone.localdate()
    if campaign.ends_on is not None and today > campaign.ends_on:
        raise CampaignEndedError(link)
    counter, _created = LinkVisitDay.objects.get_or_create(link=link, day=today)
    # The UPDATE takes the row's lock until commit, so the value read back is this
    # visit's own number, even with other visits of the same link at the same moment.
    LinkVisitDay.objects.filter(pk=counter.pk).update(visits=F("visits") + 1)
    number = LinkVisitDay.objects.values_list("visits", flat=True).get(pk=counter.pk)
    visit_record(link=link, activity=campaign.activity, day=today, number=number)
    return campaign.destination
