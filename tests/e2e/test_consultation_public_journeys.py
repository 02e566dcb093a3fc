"""Public consultations in a real browser: a resident comments on an open consultation,
the library's manager moderates it, and anyone reads a decided one with its outcome.
Every page is checked with axe."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CORNER = "A children's corner at Fennick Green"
SATURDAYS = "Saturday mornings at the library"


def test_a_resident_comments_and_the_library_moderates_it(page: Page, demo: str) -> None:
    sign_in(page, demo, "resident")
    page.get_by_role("link", name="Have your say").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say")
    assert_accessible(page)
    page.get_by_role("link", name=CORNER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CORNER)
    page.get_by_role("button", name="Send my comment").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    assert_accessible(page)
    page.get_by_label("Your comment").fill("A quiet corner for reading with toddlers, please.")
    page.get_by_label("Name shown").fill("Ash")
    page.get_by_label("Tell me what was decided").check()
    page.get_by_role("button", name="Send my comment").click()
    expect(page.get_by_text("Your comment: Waiting for moderation.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo, "other-library-manager")
    page.get_by_role("link", name="public consultations – Fennick Green Community Library").click()
    page.get_by_role("link", name=CORNER).click()
    assert_accessible(page)
    screenshot(page, "consultation-moderation")
    card = page.locator(".govuk-summary-card", has_text="A quiet corner for reading")
    card.get_by_label("Publish", exact=True).check()
    card.get_by_role("button", name="Moderate").click()
    expect(page.get_by_text("Moderated.")).to_be_visible()
    page.get_by_role("link", name="See the public page").click()
    expect(page.locator(".cp-comment", has_text="A quiet corner")).to_contain_text("Ash")


def test_anyone_reads_what_was_decided_and_why(page: Page, demo: str) -> None:
    page.goto(f"{demo}/have-your-say/")
    page.get_by_role("link", name=SATURDAYS).click()
    expect(page.get_by_role("region", name="What was decided")).to_contain_text("10 to 1")
    expect(page.get_by_text("By Mo. 16 people support it.")).to_be_visible()
    expect(page.get_by_text("Closed on")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "consultation-outcome")
