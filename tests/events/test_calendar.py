"""The iCalendar feed: valid RFC 5545 that parses back, with no place for a sensitive service."""

import icalendar
from django.test import Client

from coproduce.events.services import event_cancel
from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.events.conftest import make_activity, make_event


def test_the_feed_parses_back_with_the_published_events_in_utc(world: World) -> None:
    activity = make_activity(world.service_a)
    talk = make_event(activity, title="Local history talk")
    gone = make_event(activity, title="Author visit")
    event_cancel(event=gone, cancelled_by=None)
    make_event(activity, title="Draft idea", publish=False)
    response = Client().get(f"/events/services/{world.service_a.reference}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Local history talk", "Author visit"}
    entry = entries["Local history talk"]
    assert str(entry["uid"]) == f"event-{talk.pk}@testserver"
    assert entry.decoded("dtstart") == talk.starts_at.replace(microsecond=0)
    assert entry.decoded("dtstart").utcoffset().total_seconds() == 0
    assert entry.decoded("dtend") == talk.ends_at.replace(microsecond=0)
    assert b"DTSTART:" in response.content
    assert b"Z\r\n" in response.content
    assert "dtstamp" in entry
    assert str(entry["location"]) == "The library, High Street"
    assert str(entries["Author visit"]["status"]) == "CANCELLED"


def test_a_sensitive_service_shows_no_place_anywhere_public(world: World) -> None:
    refuge = service_create(
        name="Safe House Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.county,
        sensitive=True,
    )
    event = make_event(make_activity(refuge), title="Coffee morning", place="12 Secret Lane")
    client = Client()
    feed = client.get(f"/events/services/{refuge.reference}/calendar.ics").content
    calendar = icalendar.Calendar.from_ical(feed)
    (entry,) = calendar.walk("VEVENT")
    assert "location" not in entry
    assert b"Secret Lane" not in feed
    assert b"Refuge" not in feed
    listing = client.get(f"/events/services/{refuge.reference}/").content.decode()
    page = client.get(f"/events/{event.pk}/").content.decode()
    for body in (listing, page):
        assert "Secret Lane" not in body
        assert "Refuge" not in body
    assert "<title>Event – Coproduce</title>" in page
    # A person with a place sees it.
    response = client.post(f"/events/{event.pk}/rsvp/", {"nickname": "K"}, follow=True)
    assert "12 Secret Lane" in response.content.decode()
