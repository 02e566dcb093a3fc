"""Demo campaigns for Eastmere (see ``coproduce/demo/README.md``).

The Eastmere Haven Trust's awareness campaign, whose QR code is on the back of toilet
doors, on leaflets, on social media and on its website, with a year of daily visits;
and the county libraries' summer reading challenge (leaflets, the school, noticeboards).

Deterministic (one ``random.Random`` derived from the seed, consumed in a fixed order;
fixed dates, not "today"), idempotent (a campaign already there is left alone). Visits
are written as the live short link writes them: the day's counter, and one ledger
record per visit through ``engagement.services.participation_record``. This module
reads the world by its slugs and names; it does not import ``coproduce.demo``.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm, OutreachChannel
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.organisations.models import Service

from .models import Campaign, CampaignLink, LinkVisitDay
from .services import CampaignPlan, campaign_create, visit_record

DV_CHARITY = "eastmere-haven-trust"
COUNTY_COUNCIL = "eastmere-county-council"


@dataclass(frozen=True)
class DemoCampaign:
    provider: str
    service: str  # the service that runs the campaign
    destination_service: str  # the service page the links lead to
    title: str
    message: str
    starts_on: date
    ends_on: date | None
    visits_from: date
    visits_to: date
    # Mean visits per day for each channel's link: about 900 visits in all, each one a
    # ledger record written through participation_record (a few seconds to load).
    daily_mean: dict[OutreachChannel, float]


DEMO_CAMPAIGNS: tuple[DemoCampaign, ...] = (
    DemoCampaign(
        provider=DV_CHARITY,
        service="Domestic abuse awareness and training",
        destination_service="Haven helpline",
        title="You are not alone",
        message=(
            "If someone you live with hurts you, frightens you or controls your money, "
            "the Haven helpline listens. Free, confidential, day and night. "
            "It will not show on your phone bill."
        ),
        starts_on=date(2025, 3, 1),
        ends_on=None,
        visits_from=date(2025, 3, 1),
        visits_to=date(2026, 2, 28),
        daily_mean={
            OutreachChannel.PRIVATE_POSTER: 0.8,
            OutreachChannel.LEAFLET: 0.25,
            OutreachChannel.SOCIAL_MEDIA: 0.5,
            OutreachChannel.WEBSITE: 0.4,
        },
    ),
    DemoCampaign(
        provider=COUNTY_COUNCIL,
        service="Eastmere Central Library",
        destination_service="Eastmere Central Library",
        title="Summer reading challenge",
        message=(
            "Read six library books over the summer holidays and collect a medal. "
            "Free for every child aged 4 to 11, at every library in Eastmere."
        ),
        starts_on=date(2025, 7, 12),
        ends_on=date(2025, 9, 6),
        visits_from=date(2025, 7, 1),
        visits_to=date(2025, 9, 6),
        daily_mean={
            OutreachChannel.LEAFLET: 0.6,
            OutreachChannel.SCHOOL: 1.0,
            OutreachChannel.NOTICEBOARD: 0.3,
        },
    ),
)


def load_demo_campaigns(*, seed: int) -> None:
    """Create the demo campaigns and their visits, unless they are already there."""
    rng = random.Random(f"campaigns-{seed}")  # noqa: S311 - a reproducible demo, not secrets # nosec B311
    with transaction.atomic():
        for spec in DEMO_CAMPAIGNS:
            _load(spec, rng)


def _load(spec: DemoCampaign, rng: random.Random) -> None:
    service = Service.objects.get(name=spec.service, provider__slug=spec.provider)
    if Campaign.objects.filter(activity__service=service, title=spec.title).exists():
        return
    destination = Service.objects.get(name=spec.destination_service, provider__slug=spec.provider)
    channels = tuple(spec.daily_mean)
    activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=spec.title,
            form=EngagementForm.INFORM,
            co_stage=CoStage.DELIVER,
            citizen_role=CitizenRole.NONE,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            channels=channels,
            description=spec.message,
        ),
        created_by=None,
    )
    campaign = campaign_create(
        service=service,
        plan=CampaignPlan(
            title=spec.title,
            message=spec.message,
            destination=reverse("organisations:service", args=[destination.reference]),
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            channels=channels,
        ),
        activity=activity,
        created_by=None,
        rng=rng,
    )
    links = {link.channel: link for link in campaign.links.all()}
    for channel in channels:
        _visits(links[channel], activity_days(spec), spec.daily_mean[channel], rng, campaign)


def activity_days(spec: DemoCampaign) -> list[date]:
    length = (spec.visits_to - spec.visits_from).days + 1
    return [spec.visits_from + timedelta(days) for days in range(length)]


def _poisson(mean: float, rng: random.Random) -> int:
    """Knuth's method: fine for the small means of a day's visits."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _visits(
    link: CampaignLink, days: list[date], mean: float, rng: random.Random, campaign: Campaign
) -> None:
    counts: list[tuple[date, int]] = []
    for day in days:
        # More visits at weekends, when people have time to read a poster twice.
        weekend = 1.4 if day.weekday() >= 5 else 1.0
        visits = _poisson(mean * weekend, rng)
        if visits:
            counts.append((day, visits))
    LinkVisitDay.objects.bulk_create(
        [LinkVisitDay(link=link, day=day, visits=visits) for day, visits in counts]
    )
    for day, visits in counts:
        for number in range(1, visits + 1):
            visit_record(link=link, activity=campaign.activity, day=day, number=number)
