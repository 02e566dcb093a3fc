"""Reports in a real browser: the library manager records a grant, opens the year's
impact report from the outcomes page, checks it with axe, and downloads it as a PDF."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import LIBRARY, assert_fits_a_small_phone, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_library_manager_reads_the_impact_report_and_downloads_its_pdf(
    page: Page, demo: str, tmp_path: Path
) -> None:
    year = timezone.localdate().year
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"outcomes and impact – {LIBRARY}").click()

    # A grant arrives: the manager records it (a negative amount is refused first).
    page.get_by_role("link", name="Income and grants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Income and grants")
    page.get_by_label("Received on").fill(f"{year}-01-15")
    page.get_by_label("From").fill("Ashmere Parva Parish Council")
    page.get_by_label("Kind").select_option(label="Grant")
    page.get_by_label("Amount").fill("-250")
    page.get_by_role("button", name="Record the income").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an amount more than 0.")
    assert_accessible(page)
    page.get_by_label("Amount").fill("250")
    page.get_by_role("button", name="Record the income").click()
    income = page.get_by_role("table", name=f"Income received in {year}")
    expect(income).to_contain_text("Ashmere Parva Parish Council")
    assert_accessible(page)
    screenshot(page, "impact-income")

    page.get_by_role("link", name="Back to outcomes and impact").click()
    page.get_by_role("link", name=f"Impact report {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Impact report {year}")
    for heading in ("Outcomes and their change", "Cost of engagement", "Income and grants",
                    "Methods and caveats"):  # fmt: skip
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_role("table", name=f"Income received in {year}")).to_contain_text(
        "Ashmere Parva Parish Council"
    )
    # Every chart has its table.
    expect(page.get_by_role("table", name="The numbers: By rung of the ladder")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_small_phone(page)
    screenshot(page, "reports-impact")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF in English").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.endswith(f"-{year}-en.pdf")
    assert saved.read_bytes().startswith(b"%PDF")
