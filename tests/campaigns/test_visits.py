"""The short link: counted per channel and per day, without cookies or personal data."""

import threading
from datetime import date, time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.campaigns.models import Campaign, CampaignLink, LinkVisitDay
from coproduce.campaigns.services import (
    CampaignEndedError,
    UnknownLinkError,
    campaign_visit,
    visit_act_key,
)
from coproduce.engagement.models import ArrivalChannel, ParticipationKind, ParticipationRecord
from tests.campaigns.conftest import make_campaign
from tests.conftest import World

DAY = date(2026, 7, 1)


def visits(link: CampaignLink) -> dict[date, int]:
    return dict(LinkVisitDay.objects.filter(link=link).values_list("day", "visits"))


def test_visits_are_counted_per_channel_and_per_day(
    leaflet: CampaignLink, poster: CampaignLink
) -> None:
    for _ in range(3):
        campaign_visit(leaflet.code, today=DAY)
    campaign_visit(leaflet.code, today=date(2026, 7, 2))
    campaign_visit(poster.code, today=DAY)
    assert visits(leaflet) == {DAY: 3, date(2026, 7, 2): 1}
    assert visits(poster) == {DAY: 1}


def test_each_visit_is_one_anonymous_ledger_record_that_agrees_with_the_counter(
    campaign: Campaign, leaflet: CampaignLink
) -> None:
    for _ in range(3):
        campaign_visit(leaflet.code, today=DAY)
    records = ParticipationRecord.objects.filter(activity=campaign.activity)
    assert sorted(records.values_list("act_key", flat=True)) == [
        visit_act_key(leaflet, DAY, number) for number in (1, 2, 3)
    ]
    record = records.first()
    assert record is not None
    assert record.kind == ParticipationKind.FOLLOWED_LINK
    assert record.channel == ArrivalChannel.ONLINE
    assert (record.participant, record.people) == (None, 1)
    # The ledger keeps the day, not the minute.
    assert timezone.localtime(record.occurred_at).time() == time(12)


def test_the_short_link_redirects_to_the_destination_and_counts(
    client: Client, leaflet: CampaignLink
) -> None:
    response = client.get(f"/campaigns/c/{leaflet.code}/")
    assert response.status_code == 302
    assert response["Location"] == "/services/S-0000-0000/"
    assert sum(visits(leaflet).values()) == 1


def test_the_short_link_sets_no_cookie_no_session_no_cache_no_referrer(
    client: Client, leaflet: CampaignLink
) -> None:
    for path in (f"/campaigns/c/{leaflet.code}/", "/campaigns/c/ZZZZZZZZ/"):
        response = client.get(path)
        assert response.cookies == {}
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
    assert client.cookies == {}
    assert Session.objects.count() == 0


def test_an_ended_campaign_page_sets_no_cookie(client: Client, world: World) -> None:
    ended = make_campaign(world, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 31))
    response = client.get(f"/campaigns/c/{ended.links.first().code}/")  # type: ignore[union-attr]
    assert response.status_code == 410
    assert response.cookies == {}
    assert b"<form" not in response.content


@pytest.mark.parametrize(
    "code",
    ["ZZZZZZZZ", "ABC", "ABCDEFGHJK", "abc$%^&*", "UUUUUUUU", "%3Cscript%3E"],
)
def test_a_forged_code_gets_a_clear_404_and_nothing_is_counted(
    client: Client, leaflet: CampaignLink, code: str
) -> None:
    response = client.get(f"/campaigns/c/{code}/")
    assert response.status_code == 404
    assert "This link is not recognised" in response.content.decode()
    assert LinkVisitDay.objects.count() == 0
    assert ParticipationRecord.objects.count() == 0


def test_a_code_typed_in_lower_case_or_with_confusable_letters_still_counts(
    leaflet: CampaignLink,
) -> None:
    typed = leaflet.code.lower().replace("0", "o").replace("1", "l")
    campaign_visit(typed, today=DAY)
    assert visits(leaflet) == {DAY: 1}


def test_an_unknown_code_raises_and_writes_nothing(leaflet: CampaignLink) -> None:
    with pytest.raises(UnknownLinkError):
        campaign_visit("ZZZZZZZZ" if leaflet.code != "ZZZZZZZZ" else "YYYYYYYY", today=DAY)
    assert LinkVisitDay.objects.count() == 0


def test_a_visit_after_the_end_is_not_counted(world: World) -> None:
    leaflet = make_campaign(world, ends_on=date(2026, 9, 30)).links.get(channel="leaflet")
    with pytest.raises(CampaignEndedError):
        campaign_visit(leaflet.code, today=date(2026, 10, 1))
    campaign_visit(leaflet.code, today=date(2026, 9, 30))  # the last day still counts
    assert visits(leaflet) == {date(2026, 9, 30): 1}


def test_a_visit_before_the_start_is_counted_because_the_poster_is_already_up(
    leaflet: CampaignLink,
) -> None:
    campaign_visit(leaflet.code, today=date(2026, 5, 20))
    assert visits(leaflet) == {date(2026, 5, 20): 1}


def test_the_ended_page_names_the_campaign_only_when_that_is_safe(
    client: Client, world: World
) -> None:
    ended = make_campaign(world, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 31))
    leaflet = ended.links.get(channel="leaflet")
    poster = ended.links.get(channel="private-poster")
    assert ended.title in client.get(f"/campaigns/c/{leaflet.code}/").content.decode()
    discreet = client.get(f"/campaigns/c/{poster.code}/").content.decode()
    assert ended.title not in discreet
    assert world.service_a.name not in discreet
    assert "<title>This link has ended</title>" in discreet


def test_a_sensitive_services_links_never_name_it(client: Client, world: World) -> None:
    world.service_a.sensitive = True
    world.service_a.save()
    ended = make_campaign(world, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 31))
    page = client.get(f"/campaigns/c/{ended.links.get(channel='leaflet').code}/").content
    assert ended.title.encode() not in page


def test_the_counter_is_incremented_in_the_database_not_in_python(leaflet: CampaignLink) -> None:
    campaign_visit(leaflet.code, today=DAY)
    with CaptureQueriesContext(connection) as queries:
        campaign_visit(leaflet.code, today=DAY)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"visits" = ("campaigns_linkvisitday"."visits" + 1)' in updates[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_visits_are_all_counted(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL")
    link = make_campaign(world).links.get(channel="leaflet")
    barrier = threading.Barrier(8)

    def visit() -> None:
        try:
            barrier.wait()
            campaign_visit(link.code, today=DAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert visits(link) == {DAY: 8}
    assert ParticipationRecord.objects.filter(act_key__startswith="campaign-visit:").count() == 8
