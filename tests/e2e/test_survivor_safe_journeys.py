"""Survivor-safe mode in a real browser: a survivor on the refuge's page leaves it in
one click, or by pressing Escape twice, for a neutral site that replaces the page in the
history. The neutral site is external and there is no network: it is served by a stub."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, Route, expect

from coproduce.organisations.models import Service
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import REFUGE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEUTRAL = settings.COPRODUCE_QUICK_EXIT_URL
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


def _serve_the_neutral_site(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)


def open_the_refuge(page: Page, demo: str) -> str:
    """The home page, then the refuge's page: the quick exit must not lead back to it."""
    page.route(f"{NEUTRAL}**", _serve_the_neutral_site)
    page.goto(f"{demo}/")
    refuge = f"{demo}/services/{Service.objects.get(name=REFUGE).reference}/"
    page.goto(refuge)
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()
    return refuge


def assert_left_for_good(page: Page, demo: str, refuge: str) -> None:
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    assert page.url != refuge, "the back button returned to the refuge's page"
    assert page.url in {f"{demo}/", "about:blank"}


def test_a_survivor_leaves_the_refuge_page_with_the_quick_exit(page: Page, demo: str) -> None:
    refuge = open_the_refuge(page, demo)
    page.get_by_text("Using a shared phone or computer?").click()
    expect(
        page.get_by_text("A private window (also called incognito) keeps no list")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "survivor-safe-quick-exit")
    page.get_by_role("button", name="Emergency Exit this page").click()
    assert_left_for_good(page, demo, refuge)


def test_escape_pressed_twice_leaves_the_page(page: Page, demo: str) -> None:
    refuge = open_the_refuge(page, demo)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert_left_for_good(page, demo, refuge)


def test_a_single_escape_does_nothing(page: Page, demo: str) -> None:
    refuge = open_the_refuge(page, demo)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")  # too late to count as the second of a pair
    page.wait_for_timeout(500)
    expect(page).to_have_url(refuge)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_sign_in_page_has_the_quick_exit_and_a_library_page_does_not(
    page: Page, demo: str
) -> None:
    page.goto(f"{demo}/account/sign-in/")
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()
    assert_accessible(page)
    library = Service.objects.filter(sensitive=False).first()
    assert library is not None
    page.goto(f"{demo}/services/{library.reference}/")
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_have_count(0)
