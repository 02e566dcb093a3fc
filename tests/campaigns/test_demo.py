"""The demo campaigns: deterministic, idempotent, with their own informing activities."""

from dataclasses import replace
from datetime import timedelta

import pytest

from coproduce.campaigns import demo
from coproduce.campaigns.demo import DV_CHARITY, load_demo_campaigns
from coproduce.campaigns.models import Campaign, CampaignLink, LinkVisitDay
from coproduce.engagement.ladder import OutreachChannel
from coproduce.engagement.models import Activity, ParticipationRecord
from coproduce.organisations.models import OrganisationKind, Sector
from coproduce.organisations.services import organisation_create, service_create
from tests.conftest import World


def _demo_services(world: World) -> None:
    trust = organisation_create(
        slug=DV_CHARITY,
        name="Eastmere Haven Trust",
        kind=OrganisationKind.CHARITY,
        area=world.county,
    )
    council = organisation_create(
        slug="eastmere-county-council",
        name="Eastmere County Council",
        kind=OrganisationKind.PUBLIC_BODY,
        level="county",
        area=world.county,
    )
    for name, provider in (
        ("Domestic abuse awareness and training", trust),
        ("Haven helpline", trust),
        ("Eastmere Central Library", council),
    ):
        service_create(name=name, sector=Sector.LIBRARY, provider=provider, area=world.county)


def _snapshot() -> tuple[list[tuple[str, str]], list[tuple[str, str, int]], int]:
    links = list(CampaignLink.objects.order_by("code").values_list("code", "channel"))
    days = [
        (code, day.isoformat(), visits)
        for code, day, visits in LinkVisitDay.objects.order_by("link__code", "day").values_list(
            "link__code", "day", "visits"
        )
    ]
    return links, days, ParticipationRecord.objects.count()


def test_the_awareness_campaign_has_a_year_of_visits() -> None:
    awareness = demo.DEMO_CAMPAIGNS[0]
    assert awareness.provider == DV_CHARITY
    assert (awareness.visits_to - awareness.visits_from).days >= 364
    assert OutreachChannel.PRIVATE_POSTER in awareness.daily_mean


def test_the_demo_campaigns_load_once_and_the_same_way_every_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six weeks instead of a year: the same code paths, a tenth of the time.
    monkeypatch.setattr(
        demo,
        "DEMO_CAMPAIGNS",
        tuple(
            replace(spec, visits_to=spec.visits_from + timedelta(days=41))
            for spec in demo.DEMO_CAMPAIGNS
        ),
    )
    _demo_services(world)
    load_demo_campaigns(seed=2012)
    first = _snapshot()
    assert Campaign.objects.count() == 2
    poster = CampaignLink.objects.get(channel="private-poster")
    assert poster.campaign.activity.service.provider.slug == DV_CHARITY
    assert poster.visit_days.count() > 10
    # The ledger holds one record per counted visit.
    assert sum(visits for _code, _day, visits in first[1]) == first[2]

    load_demo_campaigns(seed=2012)
    assert _snapshot() == first

    ParticipationRecord.objects.all().delete()
    Campaign.objects.all().delete()
    Activity.objects.all().delete()
    load_demo_campaigns(seed=2012)
    assert _snapshot() == first
