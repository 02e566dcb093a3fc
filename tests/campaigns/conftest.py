from datetime import date

import pytest

from coproduce.campaigns.models import Campaign, CampaignLink
from coproduce.campaigns.services import CampaignPlan, campaign_create
from coproduce.engagement.ladder import OutreachChannel
from tests.conftest import World


def campaign_plan(**changes: object) -> CampaignPlan:
    values: dict[str, object] = {
        "title": "Read with us this summer",
        "message": "Six books, one medal.",
        "destination": "/services/S-0000-0000/",
        "starts_on": date(2026, 6, 1),
        "ends_on": None,
        "channels": (OutreachChannel.LEAFLET, OutreachChannel.PRIVATE_POSTER),
    }
    values.update(changes)
    return CampaignPlan(**values)  # type: ignore[arg-type]


def make_campaign(world: World, **changes: object) -> Campaign:
    return campaign_create(service=world.service_a, plan=campaign_plan(**changes), created_by=None)


@pytest.fixture
def campaign(world: World) -> Campaign:
    return make_campaign(world)


@pytest.fixture
def leaflet(campaign: Campaign) -> CampaignLink:
    return campaign.links.get(channel=OutreachChannel.LEAFLET)


@pytest.fixture
def poster(campaign: Campaign) -> CampaignLink:
    return campaign.links.get(channel=OutreachChannel.PRIVATE_POSTER)
