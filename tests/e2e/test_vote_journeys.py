"""A participatory budget in a real browser: the library's manager sets it up and issues
codes, a resident votes with a code (after a ballot paper over the budget is refused),
and everyone reads the result once it closes. Every page is checked with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.organisations.models import Service
from coproduce.votes.models import Ballot
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"V-\w{4}-\w{4}")


def test_a_library_runs_a_participatory_budget_that_residents_decide(page: Page, demo: str) -> None:
    service = Service.objects.get(name=LIBRARY)
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"votes – {service.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votes and participatory budgets")
    assert_accessible(page)
    page.get_by_role("link", name="Set up a vote").click()
    assert_accessible(page)
    now = timezone.localtime()
    page.get_by_label("Title").fill("The summer fair's £2,000: what should the library buy?")
    page.get_by_label("A participatory budget: choose projects within the budget").check()
    page.get_by_label("Budget (£)").fill("2000")
    page.get_by_label("Opens").fill((now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes").fill((now + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Options").fill(
        "Large-print books | 800\nA second laptop for the homework club | 900\n"
        "Board games for the knit and natter group | 300\nA ramp at the back door | 1500"
    )
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The vote is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The vote is published.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "votes-manage")
    page.get_by_role("link", name="Issue voting codes").click()
    page.get_by_label("How many codes").fill("3")
    page.get_by_label("What they are for").fill("Friends' AGM")
    page.get_by_role("button", name="Issue the codes").click()
    assert_accessible(page)
    codes = CODE.findall(page.locator(".cp-codes").inner_text())
    assert len(codes) == 3
    page.get_by_role("link", name="Back to the vote").click()
    page.get_by_role("link", name="See the public page").click()
    ballot_url = page.url
    page.get_by_role("button", name="Sign out").click()

    # A resident with a code from the meeting.
    page.goto(ballot_url)
    page.get_by_label("A ramp at the back door").check()
    page.get_by_label("A second laptop for the homework club").check()
    page.get_by_label("Voting code").fill(codes[0])
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_role("alert")).to_contain_text("more than the budget")
    assert_accessible(page)
    screenshot(page, "votes-over-budget")
    page.get_by_label("A second laptop for the homework club").uncheck()
    page.get_by_label("Board games for the knit and natter group").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_text("Your vote is counted. Thank you.")).to_be_visible()

    # The vote closes: the result is public.
    Ballot.objects.filter(code=ballot_url.rstrip("/").rsplit("/", 1)[1]).update(
        closes_at=timezone.now()
    )
    page.goto(ballot_url)
    results = page.get_by_role("table", name=re.compile("Projects by votes"))
    expect(results).to_contain_text("A ramp at the back door")
    expect(page.get_by_text("1 vote was cast.")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "votes-results")
