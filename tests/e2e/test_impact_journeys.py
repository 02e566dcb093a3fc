"""Impact in a real browser: the library manager builds the outcomes chain of the
library and switches ONS4 on for it. Every page is checked with axe."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.organisations.models import Service
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_library_manager_builds_the_chain_and_switches_ons4_on(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"outcomes and impact – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes and impact")
    assert_accessible(page)

    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("Standard outcome").select_option(label="Social bonds and networks")
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

    page.get_by_role("link", name="Add an indicator – Social bonds and networks").click()
    page.get_by_label("Indicator").fill("Trust in neighbours")
    page.get_by_label("Measured by").select_option(
        label="Generalised trust: Share who say most people can be trusted (0–1)"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    chain = page.get_by_role("table", name="Activities → outputs → outcomes → impact")
    expect(chain).to_contain_text("40 knit and natter sessions")
    expect(chain).to_contain_text("Trust in neighbours")

    page.get_by_role("link", name="Switch on – Generalised trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Switch on Generalised trust")
    expect(page.get_by_text("Open Government Licence")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Activity the answers count under").select_option(index=1)
    page.get_by_role("button", name="Switch on and publish the forms").click()
    expect(page.get_by_text("Generalised trust is switched on")).to_be_visible()
    instruments = page.get_by_role("table", name="Instruments and their collection")
    expect(instruments).to_contain_text("Switched on")
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "impact-framework")

    page.get_by_role("link", name="Change between baseline and follow-up").click()
    # The demo's ONS4 answers: enough pairs for the change to be shown; trust has none yet.
    expect(page.get_by_text("Only 0 pairs so far")).to_be_visible()
    expect(page.get_by_text("Mean change (95% confidence interval)").first).to_be_visible()
    assert_accessible(page)


def test_the_library_manager_values_an_outcome_and_reads_the_sroi_and_the_cost(
    page: Page, demo: str
) -> None:
    service = Service.objects.select_related("provider").get(name=LIBRARY)
    year = timezone.localdate().year
    sign_in(page, demo, "library-manager")

    # What an hour is worth, then the organisation's own proxy, with its source.
    page.goto(f"{demo}/impact/organisations/{service.provider.slug}/hour-rates/")
    page.get_by_label("What an hour of staff time is worth").fill("18.50")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial proxies")
    # The WELLBY, shipped with its source.
    expect(page.get_by_role("cell", name=re.compile("^HM Treasury"))).to_be_visible()
    page.get_by_role("link", name="Add a financial proxy").click()
    page.get_by_label("Name", exact=True).fill("A regular who is less isolated")
    page.get_by_label("What one unit is").fill("One regular less isolated, for a year")
    page.get_by_label("Value of one unit").fill("450")
    page.get_by_label("Price year").fill(str(year))
    page.get_by_role("button", name="Save").click()
    problems = page.locator(".govuk-error-summary")
    expect(problems).to_contain_text("Enter the source")  # no value without a source
    assert_accessible(page)
    page.get_by_label("Source", exact=True).fill("Our own survey of regulars, Ashmere Parva, 2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name=re.compile("^A regular who is less"))).to_be_visible()

    # An outcome of the chain, valued with that proxy.
    page.goto(f"{demo}/impact/services/{service.reference}/social-value/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Social value and SROI")
    page.get_by_role("link", name="Value an outcome").click()
    page.get_by_label("Outcome", exact=True).select_option(label="Sense of belonging")
    proxy = page.get_by_label("Financial proxy")
    ours = proxy.locator("option", has_text="A regular who is less isolated")
    proxy.select_option(value=ours.get_attribute("value"))
    page.get_by_role("textbox", name="Quantity (optional)").fill("15")
    page.get_by_label("Where the quantity comes from").fill("Regulars of the knit and natter")
    page.get_by_label("Deadweight (%)").fill("60")
    page.get_by_label("Attribution (%)").fill("50")
    page.get_by_role("button", name="Save").click()
    expect(problems).to_contain_text("100")  # deadweight + attribution over 100 %
    assert_accessible(page)
    page.get_by_label("Attribution (%)").fill("20")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("table", name="Social return on investment")).to_contain_text(": 1")
    sensitivity = page.get_by_role("table", name=re.compile("^Sensitivity"))
    expect(sensitivity).to_contain_text("Sense of belonging: drop-off")  # named, not a field
    expect(page.get_by_role("heading", name="Break-even")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "impact-social-value")

    page.get_by_role("link", name="Cost of engagement").click()
    per = page.get_by_role("table", name="Cost per participant and per household")
    expect(per).to_contain_text("Cost per household in the area per year")
    expect(page.get_by_text("indicative, not a target")).to_be_visible()
    assert_accessible(page)
