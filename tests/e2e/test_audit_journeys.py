"""The audit trail in a real browser: a library staff member changes an event's number
of places, and the library manager finds who did it on the audit page. Every page is
checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from coproduce.events.models import Event
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_reviews_who_changed_an_events_capacity(page: Page, demo: str) -> None:
    event = Event.objects.filter(activity__service__provider__name=LIBRARY).first()
    assert event is not None
    sign_in(page, demo, "library-staff")
    page.goto(f"{demo}/events/manage/{event.pk}/edit/")
    page.get_by_label("Number of places").fill("42")
    page.get_by_role("button", name="Save the event").click()
    expect(page.get_by_text("The event is saved.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, demo, "library-manager")
    page.goto(f"{demo}/dashboard/")
    page.get_by_role("link", name="Audit trail of staff changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    assert_accessible(page)
    page.get_by_label("Kind of record").select_option(label="Event")
    page.get_by_label("Person").fill("library-staff")
    page.get_by_role("button", name="Show changes").click()
    changes = page.get_by_role("table", name="1 change")
    expect(changes).to_contain_text("library-staff")
    expect(changes).to_contain_text(f"Event: {event.title}")
    expect(changes).to_contain_text("→ 42")
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "audit-trail")

    page.get_by_label("From").fill("2026-05-10")
    page.get_by_label("To").fill("2026-05-01")
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
