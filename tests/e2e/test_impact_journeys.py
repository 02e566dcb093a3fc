"""Impact in a real browser: the library manager builds the outcomes chain of the
library and switches ONS4 on for it. Every page is checked with axe."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server: LiveServer) -> str:
    call_command("load_demo", verbosity=0)
    return live_server.url


def test_the_library_manager_builds_the_chain_and_switches_ons4_on(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"outcomes and impact – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes and impact")
    assert_accessible(page)

    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("Standard outcome").select_option(label="Less isolation")
    page.get_by_role("group", name="Activities that lead to it").get_by_role(
        "checkbox"
    ).first.check()
    page.get_by_label("Outputs: what the activities produce").fill("40 knit and natter sessions")
    page.get_by_label("Impact: the longer-term change it serves").fill(
        "Nobody in the village alone"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The outcome is saved.")).to_be_visible()

    page.get_by_role("link", name="Add an indicator – Less isolation").click()
    page.get_by_label("Indicator").fill("Life satisfaction")
    page.get_by_label("Measured by").select_option(
        label="ONS4 personal wellbeing: Life satisfaction (0–10)"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    chain = page.get_by_role("table", name="Activities → outputs → outcomes → impact")
    expect(chain).to_contain_text("40 knit and natter sessions")
    expect(chain).to_contain_text("Life satisfaction")

    page.get_by_role("link", name="Switch on – ONS4 personal wellbeing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Switch on ONS4 personal wellbeing")
    expect(page.get_by_text("Open Government Licence")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Activity the answers count under").select_option(index=1)
    page.get_by_role("button", name="Switch on and publish the forms").click()
    expect(page.get_by_text("ONS4 personal wellbeing is switched on")).to_be_visible()
    instruments = page.get_by_role("table", name="Instruments and their collection")
    expect(instruments).to_contain_text("Switched on")
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "impact-framework")

    page.get_by_role("link", name="Change between baseline and follow-up").click()
    expect(page.get_by_text("Only 0 pairs so far")).to_be_visible()
    assert_accessible(page)
