"""A service's events as an iCalendar feed (RFC 5545), for any calendar application.

Times are written in UTC, so the feed needs no VTIMEZONE. A cancelled event stays in
the feed with STATUS:CANCELLED, so calendars that subscribed remove it. For a sensitive
service the feed names neither the service nor any place.
"""

from datetime import UTC

import icalendar
from django.utils.translation import gettext as _

from coproduce.organisations.models import Service

from .models import Event, EventStatus


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def calendar_for(service: Service, events: list[Event], *, host: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Coproduce//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Events") if service.sensitive else service.name)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event_uid(event, host))
        entry.add("dtstamp", event.updated_at.astimezone(UTC))
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("summary", event.title)
        if event.description:
            entry.add("description", event.description)
        if event.place and not service.sensitive:
            entry.add("location", event.place)
        cancelled = event.status == EventStatus.CANCELLED
        entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
