"""Signing in safely, in a real browser with axe checks: a manager sets up two-factor
sign-in and signs in with a code; a resident who forgot their passphrase chooses a new one."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect
from pytest_django import Settings

from coproduce.demo.logins import DEMO_PASSPHRASE
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSPHRASE = "kettles sing at dawn"
LIBRARY = "Ashmere Parva Community Library"


def sign_in(page: Page, base: str, username: str, passphrase: str = DEMO_PASSPHRASE) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(passphrase)
    page.get_by_role("button", name="Sign in").click()


def app_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app set up with this key shows (30-second steps, 6 digits)."""
    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_manager_sets_up_two_factor_sign_in_and_signs_in_with_a_code(
    page: Page, demo: str, settings: Settings
) -> None:
    settings.COPRODUCE_TWO_FACTOR_REQUIRED = True
    sign_in(page, demo, "library-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-factor-enrol")
    key = page.locator("#two-factor-key").inner_text()

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    assert_accessible(page)
    time.sleep(1.1)  # after a wrong code the next try waits a second
    page.get_by_label("Code").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.locator(".cp-backup-codes li")).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "two-factor-backup-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARY)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, demo, "library-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    assert_accessible(page)
    screenshot(page, "two-factor-code")
    page.get_by_label("Code").fill(app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARY)


def test_a_resident_who_forgot_their_passphrase_chooses_a_new_one(
    page: Page, demo: str, settings: Settings
) -> None:
    settings.COPRODUCE_BASE_URL = demo
    resident = get_user_model().objects.get(username="resident")
    resident.email = "resident@example.org"
    resident.save()  # with the address's digest, by which the reset finds the login
    page.goto(f"{demo}/account/sign-in/")
    page.get_by_role("link", name="Forgotten your passphrase?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten your passphrase?")
    assert_accessible(page)
    screenshot(page, "password-reset")
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    (message,) = mail.outbox
    link = re.search(r"http\S+/account/passphrase/reset/\S+/", str(message.body))
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new passphrase")
    page.get_by_label("New passphrase", exact=True).fill("short")
    page.get_by_label("New passphrase again").fill("short")
    page.get_by_role("button", name="Save the new passphrase").click()
    expect(page.get_by_role("alert")).to_contain_text("too short")
    assert_accessible(page)
    screenshot(page, "password-reset-new")
    page.get_by_label("New passphrase", exact=True).fill(NEW_PASSPHRASE)
    page.get_by_label("New passphrase again").fill(NEW_PASSPHRASE)
    page.get_by_role("button", name="Save the new passphrase").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your passphrase is changed")
    assert_accessible(page)

    page.goto(link.group(0))  # the link worked once
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    sign_in(page, demo, "resident", NEW_PASSPHRASE)
    page.goto(f"{demo}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
