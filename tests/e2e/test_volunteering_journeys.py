"""Volunteering in a real browser: a library volunteer books a Saturday shift, and the
library manager reads the staffing gaps and who holds which skill. Every page is
checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_books_a_shift_from_their_account(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-volunteer")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Your volunteering: shifts and hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your volunteering")
    assert_accessible(page)
    book = page.get_by_role("button", name="Book").first
    book.click()
    expect(page.get_by_text("The shift is booked. Thank you.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "volunteering-shifts")


def test_the_library_manager_reads_gaps_and_capability(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"volunteers and rota – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Volunteers and rota")
    gaps = page.get_by_role(
        "table", name="Shifts short of volunteers or of a skill they need, worst first"
    )
    expect(gaps).to_be_visible()
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "volunteering-gaps")
    page.get_by_role("link", name="Skills, training and checks").click()
    expect(page.get_by_text("Only one person: the rota depends on them")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "volunteering-capability")
