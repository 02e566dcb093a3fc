"""The staff pages: visits per channel, in a fixed number of queries."""

from datetime import date

from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.campaigns.models import LinkVisitDay
from coproduce.campaigns.services import campaign_link_add, campaign_visit
from tests.campaigns.conftest import make_campaign
from tests.conftest import World


def _visited_campaign(world: World, *, extra_channels: tuple[str, ...] = ()) -> str:
    campaign = make_campaign(world)
    for channel in extra_channels:
        campaign_link_add(campaign=campaign, channel=channel, added_by=None)
    for index, link in enumerate(campaign.links.all()):
        for day in (date(2026, 1, 5), date(2026, 2, 7)):
            for _ in range(index + 1):
                campaign_visit(link.code, today=day)
    return campaign.reference


def test_the_detail_page_shows_visits_per_channel(world: World) -> None:
    reference = _visited_campaign(world)
    client = Client()
    client.force_login(world.users["commissioner"])  # type: ignore[arg-type]
    page = client.get(f"/campaigns/{reference}/").content.decode()
    assert "Visits per channel" in page
    assert "Leaflet" in page
    assert "Visits per month and channel" in page
    assert "January 2026" in page
    # Read only for a commissioner: no button to add links.
    assert "Add a link for another channel" not in page


def test_the_detail_page_runs_the_same_queries_for_more_links(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    few = _visited_campaign(world)
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    client.get(f"/campaigns/{few}/")  # warm the session
    # Session, user, two-factor device, campaign, may view, links with totals, months, may manage.
    with django_assert_num_queries(8):
        client.get(f"/campaigns/{few}/")
    LinkVisitDay.objects.all().delete()
    many = make_campaign(world, title="Second")
    for channel in ("website", "school", "noticeboard", "social-media"):
        campaign_link_add(campaign=many, channel=channel, added_by=None)
        campaign_visit(many.links.get(channel=channel).code, today=date(2026, 3, 1))
    with django_assert_num_queries(8):
        client.get(f"/campaigns/{many.reference}/")


def test_the_list_page_totals_visits_per_campaign(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _visited_campaign(world)
    client = Client()
    client.force_login(world.users["manager of A"])  # type: ignore[arg-type]
    client.get(f"/campaigns/services/{world.service_a.reference}/")
    # Session, user, two-factor device, service, may view, campaigns, may manage.
    with django_assert_num_queries(7):
        page = client.get(f"/campaigns/services/{world.service_a.reference}/").content.decode()
    # Leaflet 1 + poster 2 visits on each of two days.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in page
    assert "Create a campaign" in page
