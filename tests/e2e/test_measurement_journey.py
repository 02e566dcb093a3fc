"""The county commissioner reads the co-production survey of the county, in a browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coproduce.demo.logins import DEMO_PASSPHRASE
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_county_commissioner_reads_the_county_survey_and_downloads_its_numbers(
    page: Page, demo: str
) -> None:
    page.goto(f"{demo}/account/sign-in/")
    page.get_by_label("Username").fill("county-commissioner")
    page.get_by_label("Password").fill(DEMO_PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastmere County Council")

    page.get_by_role("link", name="Co-production survey results for Eastmere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastmere")
    expect(page.get_by_role("link", name="Eastmere residents' survey 2024").first).to_be_visible()
    index = page.get_by_role("figure", name="Co-production index by sector")
    expect(index).to_be_visible()
    expect(index.locator("svg").first).to_be_visible()
    table = index.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Local environment")).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^Local environment \d+\.\d"))).to_be_visible()
    expect(page.get_by_text("95% confidence interval").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "measurement")

    with page.expect_download() as download_info:
        index.get_by_role("link", name=re.compile("Download the numbers as CSV")).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-index.csv")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Sector,Index (0 to 100),95% interval from,95% interval to,Respondents"
    assert any(line.startswith("Local environment,") for line in lines[1:])

    page.get_by_role("link", name="See this wave on its own page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastmere residents' survey 2024")
    expect(page.get_by_role("figure", name=re.compile("The perception gap"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, "measurement-wave")
