"""The Content Security Policy in a real browser (docs/security-hardening.md): pages run
their scripts and draw their interactive charts with no inline script, no `eval` and not
one violation, GOV.UK Frontend included, and a page kept whole in the cache still runs
its scripts though the nonce inside it is stale."""

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.demo.logins import DEMO_PASSPHRASE
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SATURDAYS = "Saturday mornings at the library"
# Runs before any script of the page: every violation is kept for the test to read.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


class ViolationWatch:
    """The violations the page reported, by event and on the console."""

    def __init__(self, page: Page) -> None:
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._heard)
        self.page = page

    def _heard(self, message: object) -> None:
        text = str(getattr(message, "text", ""))
        if "Content Security Policy" in text or "unsafe-eval" in text:
            self.console.append(text)

    def assert_none(self) -> None:
        events = self.page.evaluate("window.cspViolations")
        assert not events, f"{self.page.url}: {events}"
        assert not self.console, f"{self.page.url}: {self.console}"


def assert_scripts_ran(page: Page) -> None:
    """The js-enabled file marked the body, and GOV.UK Frontend initialised its modules."""
    expect(page.locator("body.js-enabled.govuk-frontend-supported")).to_be_attached()
    expect(
        page.locator("[data-module=govuk-skip-link][data-govuk-skip-link-init]")
    ).to_be_attached()


def test_a_chart_page_draws_its_interactive_charts_with_no_violation(page: Page, demo: str) -> None:
    watch = ViolationWatch(page)
    page.goto(f"{demo}/account/sign-in/")
    page.get_by_label("Username").fill("library-manager")
    page.get_by_label("Password").fill(DEMO_PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")
    page.get_by_role("link", name=re.compile("^activities – ")).first.click()
    page.get_by_role("link", name="Ladder profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ladder profile")
    figures = page.get_by_role("figure")
    expect(figures.first).to_be_visible()
    for index in range(figures.count()):
        # Drawn by Vega in the browser, with its expression interpreter: the server's
        # SVG is replaced by the interactive view's.
        drawing = figures.nth(index).locator(".vega-embed svg.marks")
        expect(drawing).to_be_attached()
        expect(drawing.locator("path, rect").first).to_be_attached()
    # A mark's tooltip shows, styled by coproduce/charts.css (no inline <style>).
    bars = figures.first.locator(".vega-embed svg.marks path[aria-roledescription=bar]")
    bars.filter(visible=True).first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_have_class(re.compile(r"\bvisible\b"))
    expect(tooltip).to_have_css("position", "fixed")
    assert_scripts_ran(page)
    watch.assert_none()
    assert_accessible(page)
    screenshot(page, "csp-chart")


def test_a_cached_page_with_a_stale_nonce_still_runs_its_scripts(page: Page, demo: str) -> None:
    watch = ViolationWatch(page)
    page.goto(f"{demo}/have-your-say/")
    page.get_by_role("link", name=SATURDAYS).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SATURDAYS)
    assert_scripts_ran(page)

    again = page.reload()  # the same page for every visitor: from the cache this time
    assert again is not None
    policy = again.headers["content-security-policy"]
    assert "'nonce-" not in policy  # none asked for: the stale one in the page is inert
    assert 'nonce="' in again.text()
    assert_scripts_ran(page)
    watch.assert_none()
    assert_accessible(page)
