"""Creating campaigns and links: staff only, bad input refused with a message, nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from coproduce.campaigns.models import Campaign, CampaignLink
from coproduce.campaigns.services import campaign_create, campaign_link_add
from coproduce.core.references import ALPHABET
from coproduce.engagement.ladder import EngagementForm, Rung
from coproduce.engagement.models import Activity
from coproduce.engagement.services import activity_create
from tests.campaigns.conftest import campaign_plan, make_campaign
from tests.conftest import World
from tests.engagement.conftest import plan


def test_a_campaign_gets_an_informing_activity_and_one_link_per_channel(world: World) -> None:
    campaign = make_campaign(world)
    assert campaign.activity.form == EngagementForm.INFORM
    assert campaign.activity.rung == Rung.INFORMING
    codes = list(campaign.links.values_list("code", flat=True))
    assert len(codes) == 2
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)


@pytest.mark.parametrize("persona", ["volunteer of A", "manager of B", "commissioner", "resident"])
def test_only_the_providers_staff_create_campaigns(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        campaign_create(
            service=world.service_a, plan=campaign_plan(), created_by=world.users[persona]
        )
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_on": date(2026, 6, 1), "ends_on": date(2026, 5, 31)}, "ends_on"),
        ({"destination": "http://example.org/"}, "destination"),
        ({"destination": "javascript:alert(1)"}, "destination"),
        ({"destination": "//evil.example/"}, "destination"),
        ({"destination": "/\\evil.example/"}, "destination"),
        ({"destination": "https://"}, "destination"),
        ({"channels": ("leaflet", "carrier-pigeon")}, "channels"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_campaign(world, **changes)
    assert field in refused.value.error_dict
    assert not Campaign.objects.exists()
    assert not Activity.objects.exists()


def test_every_problem_is_reported_at_once(world: World, staff: Client) -> None:
    response = staff.post(
        f"/campaigns/services/{world.service_a.reference}/new/",
        _form(ends_on="2026-02-01", destination="http://example.org/"),
    )
    page = response.content.decode()
    assert "The end date must be on or after" in page
    assert "starting with https://" in page


def test_an_activity_of_another_form_is_refused(world: World) -> None:
    involve = activity_create(service=world.service_a, plan=plan(), created_by=None)
    with pytest.raises(ValidationError):
        campaign_create(
            service=world.service_a, plan=campaign_plan(), activity=involve, created_by=None
        )


def test_a_second_link_for_the_same_channel_is_refused(world: World) -> None:
    campaign = make_campaign(world)
    with pytest.raises(ValidationError):
        campaign_link_add(campaign=campaign, channel="leaflet", added_by=None)
    link = campaign_link_add(campaign=campaign, channel="school", added_by=None)
    assert link.code not in set(campaign.links.exclude(pk=link.pk).values_list("code", flat=True))


def _form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "You are not alone",
        "message": "The helpline listens.",
        "destination": "https://www.example.org/help",
        "starts_on": "2026-03-01",
        "ends_on": "",
        "channels": ["private-poster", "leaflet"],
        "activity": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.users["manager of A"])  # type: ignore[arg-type]
    return client


def test_staff_create_a_campaign_with_the_form(world: World, staff: Client) -> None:
    response = staff.post(f"/campaigns/services/{world.service_a.reference}/new/", _form())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.reference}/"
    assert set(campaign.links.values_list("channel", flat=True)) == {"private-poster", "leaflet"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "2026-03-01", "ends_on": "2026-02-01"}, "The end date must be on or after"),
        ({"destination": "http://example.org/"}, "starting with https://"),
        ({"channels": ["carrier-pigeon"]}, "“carrier-pigeon” is not a channel"),
        ({"channels": []}, "Choose at least one channel."),
        ({"starts_on": "31/02/2026"}, "Enter a real date"),
        ({"title": ""}, "Enter a title."),
    ],
)
def test_the_form_explains_bad_input_and_saves_nothing(
    world: World, staff: Client, changes: dict[str, str | list[str]], message: str
) -> None:
    response = staff.post(f"/campaigns/services/{world.service_a.reference}/new/", _form(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Campaign.objects.exists()
    assert not Activity.objects.exists()


def test_staff_add_a_link_for_another_channel(world: World, staff: Client) -> None:
    campaign = make_campaign(world)
    response = staff.post(f"/campaigns/{campaign.reference}/links/add/", {"channel": "website"})
    assert response.status_code == 302
    assert campaign.links.filter(channel="website").exists()
    again = staff.post(f"/campaigns/{campaign.reference}/links/add/", {"channel": "website"})
    assert "is not a channel" in again.content.decode()
    assert CampaignLink.objects.filter(channel="website").count() == 1


def test_a_commissioner_cannot_post_a_campaign(world: World) -> None:
    client = Client()
    client.force_login(world.users["commissioner"])  # type: ignore[arg-type]
    response = client.post(f"/campaigns/services/{world.service_a.reference}/new/", _form())
    assert response.status_code == 403
    assert not Campaign.objects.exists()
