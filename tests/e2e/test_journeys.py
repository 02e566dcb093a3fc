"""User journeys in a real browser, each as the person who makes it, with axe checks."""

import re

import pytest
from playwright.sync_api import Page, expect

from coproduce.demo.logins import DEMO_PASSPHRASE
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()


def test_a_library_manager_goes_from_the_home_page_to_their_dashboard(
    page: Page, demo: str
) -> None:
    page.goto(demo)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Public services in Eastmere")
    expect(page.get_by_role("link", name="Ashmere Parva Community Library").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home")

    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_title(re.compile("Sign in"))
    assert_accessible(page)
    screenshot(page, "sign-in")

    sign_in(page, demo, "library-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashmere Parva Community Library")
    expect(page.get_by_text("Services you provide")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Manage members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    assert_accessible(page)
    screenshot(page, "members")


def test_a_manager_adding_someone_who_has_no_account_is_told_so(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name="Manage members").click()
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the username of the person to add.")
    expect(page.get_by_role("alert")).to_contain_text("Choose the role this person will have.")
    page.get_by_label("Username").fill("no-such-person")
    page.get_by_label("Role").select_option("staff")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("alert")).to_contain_text("no account with the username")
    assert_accessible(page)


def test_the_manager_of_another_library_cannot_open_library_as_dashboard(
    page: Page, demo: str
) -> None:
    sign_in(page, demo, "other-library-manager")
    response = page.goto(f"{demo}/dashboard/ashmere-parva-community-library/")
    assert response is not None
    assert response.status == 403


def test_a_resident_signs_up_with_a_username_and_passphrase_and_sees_their_reference(
    page: Page, demo: str
) -> None:
    page.goto(demo)
    page.get_by_role("link", name="Create an account").first.click()
    assert_accessible(page)
    page.get_by_label("Username").fill("night-owl")
    page.get_by_label("Passphrase", exact=True).fill("owls read by lamplight")
    page.get_by_label("Passphrase again").fill("owls read by lamplight")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".cp-reference")).to_have_text(re.compile(r"^P-\w{4}-\w{4}$"))
    assert_accessible(page)
    screenshot(page, "account")


def test_a_resident_reads_the_home_page_in_vietnamese(page: Page, demo: str) -> None:
    page.goto(demo)
    # Each language is a link named in its own language (hreflang says which).
    page.get_by_role("navigation", name="Language").locator('a[hreflang="vi"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eastmere")
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home-vi")
