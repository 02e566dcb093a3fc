"""Signing in safely: argon2, lockout after repeated failures, session cookies, sign-out."""

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from coproduce import settings as product
from coproduce.accounts.lockout import client_address
from coproduce.accounts.models import User
from coproduce.accounts.services import user_sign_up
from tests.conftest import PASSPHRASE, make_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
WAIT = "Too many attempts to sign in"


def attempt(
    client: Client,
    username: str,
    password: str = "not the passphrase",  # noqa: S107 - a wrong one
    forwarded_for: str = "",
) -> "Response":
    data = {"username": username, "password": password}
    if forwarded_for:
        return client.post(SIGN_IN, data, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(SIGN_IN, data)


@pytest.fixture
def person() -> User:
    return make_user("river-walker")


def test_a_new_passphrase_is_stored_with_argon2(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = user_sign_up(username="hedgehog", password="hedges hide small lanterns")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("hedges hide small lanterns")


def test_argon2_is_the_hasher_of_the_product() -> None:
    # The tests swap in a fast hasher (tests/conftest.py); the product's own list is this.
    assert product.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_right_passphrase_signs_in(person: User) -> None:
    client = Client()
    response = attempt(client, "river-walker", PASSPHRASE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_after_five_failures_even_the_right_passphrase_is_refused_with_a_clear_page(
    person: User,
) -> None:
    client = Client()
    for _try in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "river-walker")
        assert response.status_code == 200
        assert WAIT not in response.content.decode()
    locked = attempt(client, "river-walker")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert WAIT in page
    assert "Wait 30 minutes" in page
    assert 'name="username"' in page  # the sign-in page itself, not a bare error
    refused = attempt(client, "river-walker", PASSPHRASE)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_the_same_whether_or_not_the_account_exists(person: User) -> None:
    pages = {}
    for username in ("river-walker", "nobody-by-this-name"):
        client = Client()
        for _try in range(settings.AXES_FAILURE_LIMIT):
            response = attempt(client, username)
        pages[username] = (response.status_code, without_tokens(response.content.decode()))
    assert pages["river-walker"] == pages["nobody-by-this-name"]
    assert pages["river-walker"][0] == 429


def test_lockout_is_per_username_and_address_so_others_can_still_sign_in(person: User) -> None:
    make_user("other-person")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _try in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "river-walker")
    assert attempt(attacker, "river-walker", PASSPHRASE).status_code == 429
    # The same person from their own address, and someone else from the attacker's.
    assert (
        attempt(Client(REMOTE_ADDR="198.51.100.7"), "river-walker", PASSPHRASE).status_code == 302
    )
    assert attempt(Client(REMOTE_ADDR="203.0.113.9"), "other-person", PASSPHRASE).status_code == 302


def test_the_lockout_ends_after_the_cooling_off_period(person: User) -> None:
    client = Client()
    for _try in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "river-walker")
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=0)):
        assert attempt(client, "river-walker", PASSPHRASE).status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(person: User) -> None:
    client = Client()
    for _try in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "river-walker")
    assert attempt(client, "river-walker", PASSPHRASE).status_code == 302
    client.post("/account/sign-out/")
    for _try in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "river-walker")
    assert attempt(client, "river-walker", PASSPHRASE).status_code == 302


def test_the_reset_command_lifts_a_lockout(person: User) -> None:
    client = Client()
    for _try in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "river-walker")
    call_command("axes_reset_username", "river-walker", verbosity=0)
    assert attempt(client, "river-walker", PASSPHRASE).status_code == 302


@pytest.mark.parametrize("bad", ["", "x" * 5000, "\x00", "ünïcödé ☃"])
def test_odd_usernames_get_a_form_message_never_a_500(bad: str) -> None:
    response = attempt(Client(), bad)
    assert response.status_code in {200, 429}


def test_without_trusted_proxies_x_forwarded_for_is_ignored() -> None:
    request = RequestFactory().post(
        SIGN_IN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_address(request) == "10.0.0.2"


def test_an_attacker_rotating_a_forged_x_forwarded_for_is_still_locked_out(person: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "river-walker", forwarded_for=f"192.0.2.{number}")
    response = attempt(client, "river-walker", PASSPHRASE, "192.0.2.200")
    assert response.status_code == 429


@override_settings(RATE_LIMIT_PROXIES=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # Whatever the client claims is left of what our proxy appended.
        ("6.6.6.6, 198.51.100.1", "198.51.100.1"),
        ("", "10.0.0.2"),
    ],
)
def test_behind_one_trusted_proxy_the_address_it_saw_counts(forwarded: str, expected: str) -> None:
    request = RequestFactory().post(SIGN_IN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_session_key_changes_at_sign_in(person: User) -> None:
    client = Client()
    client.get(SIGN_IN)
    client.session.save()
    before = client.session.session_key
    attempt(client, "river-walker", PASSPHRASE)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(person.pk)


def test_the_session_cookie_is_http_only_same_site_lax_and_lasts_a_working_day(
    person: User,
) -> None:
    response = attempt(Client(), "river-walker", PASSPHRASE)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 8 * 60 * 60


def test_sign_out_is_post_only_and_clears_the_session(person: User) -> None:
    client = Client()
    attempt(client, "river-walker", PASSPHRASE)
    assert client.get("/account/sign-out/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert dict(client.session.items()) == {}
    assert client.get("/account/").status_code == 302


def test_the_test_client_login_still_works_without_a_request(person: User) -> None:
    client = Client()
    assert client.login(username="river-walker", password=PASSPHRASE)
    assert not client.login(username="river-walker", password="wrong")
    assert get_user_model().objects.filter(username="river-walker").exists()


def without_tokens(page: str) -> str:
    """A page without what differs on every response: the CSRF token and the CSP nonce."""
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page)
