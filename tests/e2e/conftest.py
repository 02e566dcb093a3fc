"""Browser journeys: Playwright driving Debian's Chromium, never a downloaded browser.

Where /usr/bin/chromium is absent the journeys are skipped with the reason, except in
CI (CI=true), where a missing browser is a failure: the Makefile installs it.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.conftest import DEMO

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser journeys, but {CHROMIUM} is missing.")
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
    # test itself to set up data, refuses to run there unless told it is safe (it is:
    # the test and the live server never share a connection).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    new_page = context.new_page()
    yield new_page
    context.close()


def assert_styled(page: Page) -> None:
    """GOV.UK Frontend's stylesheet is served and applied (axe alone would not notice)."""
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-header')).backgroundColor"
    )
    assert colour == "rgb(11, 12, 12)", f"{page.url}: the GOV.UK stylesheet is not applied"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """The axe-core violations of the page that are serious or critical."""
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(page: Page) -> None:
    # After a click the new document may still be loading its stylesheet.
    page.wait_for_load_state("load")
    assert_styled(page)
    violations = serious_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
    ]
    assert not violations, f"{page.url}: " + "\n".join(summary)


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for the docs when COPRODUCE_SCREENSHOTS=1."""
    if os.environ.get("COPRODUCE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo(live_server: LiveServer) -> str:
    """The demo world, served by the live server: loaded by the first journey, and put
    back from its rows for the others (tests/snapshot.py)."""
    DEMO.load()
    mail.outbox = []  # what loading the world sent is not the journey's
    return live_server.url
