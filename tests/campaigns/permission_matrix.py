"""Who may GET each URL of the campaigns app (merged into tests/test_permission_matrix.py).

The short link is public and answers everyone with a redirect. The management pages are
for the provider's managers and staff; commissioners and funders of the service see them
read-only; volunteers, residents and other organisations get 403.
"""

from datetime import date

from coproduce.campaigns.models import Campaign
from coproduce.campaigns.services import CampaignPlan, campaign_create
from coproduce.engagement.ladder import OutreachChannel
from tests.conftest import World
from tests.matrix import BACKERS, PERSONAS, Expectations, only

MATRIX_CAMPAIGN = "Matrix campaign"
VIEWERS = ("staff of A", "manager of A", *BACKERS, "superuser")
MANAGERS = ("staff of A", "manager of A", "superuser")


def matrix_campaign(world: World) -> Campaign:
    found = Campaign.objects.filter(title=MATRIX_CAMPAIGN).first()
    if found is not None:
        return found
    return campaign_create(
        service=world.service_a,
        plan=CampaignPlan(
            title=MATRIX_CAMPAIGN,
            message="Come and see.",
            destination="/",
            starts_on=date(2020, 1, 1),
            channels=(OutreachChannel.LEAFLET,),
        ),
        created_by=None,
    )


def expectations(world: World) -> Expectations:
    campaign = matrix_campaign(world)
    code = campaign.links.get().code
    service = world.service_a.reference
    return {
        "campaigns:go": (f"/campaigns/c/{code}/", dict.fromkeys(PERSONAS, 302)),
        "campaigns:service_campaigns": (f"/campaigns/services/{service}/", only(*VIEWERS)),
        "campaigns:campaign_create": (f"/campaigns/services/{service}/new/", only(*MANAGERS)),
        "campaigns:campaign": (f"/campaigns/{campaign.reference}/", only(*VIEWERS)),
        "campaigns:link_add": (f"/campaigns/{campaign.reference}/links/add/", only(*MANAGERS)),
        "campaigns:link_qr_svg": (f"/campaigns/links/{code}/qr.svg", only(*VIEWERS)),
        "campaigns:link_qr_png": (f"/campaigns/links/{code}/qr.png", only(*VIEWERS)),
        "campaigns:link_poster": (f"/campaigns/links/{code}/poster/", only(*VIEWERS)),
    }
