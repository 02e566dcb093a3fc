"""A resident sees everything held about them, downloads it, and erases their account."""

import json

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from coproduce.accounts.models import Participant
from coproduce.accounts.services import demographics_record, participant_for
from tests.conftest import PASSPHRASE, make_user, restore_shipped_data
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_downloads_their_data_and_erases_their_account(
    page: Page, live_server: LiveServer
) -> None:
    restore_shipped_data()
    user = make_user("river-reader")
    participant = participant_for(user)
    demographics_record(
        participant=participant,
        consent_given=True,
        answers={"age_band": "35-44", "gender": "woman", "postcode_district": "EM4"},
    )
    base = live_server.url
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Username").fill("river-reader")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Your data: see it, download it or erase your account").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    expect(page.get_by_text(participant.reference).first).to_be_visible()
    expect(page.get_by_text("EM4")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "privacy-your-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data (JSON)").click()
    data = json.loads(download.value.path().read_text())
    assert data["participant_reference"] == participant.reference
    assert data["accounts.demographics"][0]["postcode district"] == "EM4"

    page.get_by_role("link", name="Erase your account").click()
    assert_accessible(page)
    page.get_by_label("Your passphrase").fill("not the right one at all")
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text("That is not your passphrase").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Erase my account").click()
    expect(
        page.get_by_text("Your account and what identified you have been erased.")
    ).to_be_visible()
    assert Participant.objects.get(pk=participant.pk).user is None
    page.goto(f"{base}/account/")
    expect(page).to_have_url(f"{base}/account/sign-in/?next=/account/")
