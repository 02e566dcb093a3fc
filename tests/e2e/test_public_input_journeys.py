"""Public input kept honest in a real browser: a person who creates an account too
quickly to be a person is asked to check and send again, then gets in; a flood of
sign-ups from one address is told when to try again. Every page is checked with axe."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSPHRASE
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFUSAL = "We could not accept this form."


def fill_sign_up(page: Page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("Passphrase again").fill(PASSPHRASE)


def test_a_hasty_sign_up_is_asked_again_and_a_flood_is_told_when_to_try_again(
    page: Page, live_server: LiveServer, settings: Settings
) -> None:
    settings.ANTISPAM_TIMING = True
    # A minute no browser under test needs to load, check and fill the page: the first
    # send is always too quick, however slow the machine.
    settings.ANTISPAM_MIN_SECONDS = 60
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "2/3600"}
    page.goto(f"{live_server.url}/account/create/")
    assert_accessible(page)
    fill_sign_up(page, "quiet-reader")
    page.get_by_role("button", name="Create account").click()  # within 60 s of the page
    expect(page.get_by_role("alert")).to_contain_text(REFUSAL)
    expect(page.get_by_label("Username")).to_have_value("quiet-reader")
    assert_accessible(page)
    screenshot(page, "public-input-refused")

    settings.ANTISPAM_MIN_SECONDS = 1
    page.wait_for_timeout(1100)
    fill_sign_up(page, "quiet-reader")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Your account is ready.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/create/")
    page.wait_for_timeout(1100)
    fill_sign_up(page, "third-try")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many tries in a short time")
    expect(page.get_by_text(re.compile(r"Please try again in \d+ minutes?\."))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "public-input-rate-limited")
