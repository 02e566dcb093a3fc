"""Password reset that never tells whether an account exists."""

import re

import pytest
from django.core import mail
from django.test import Client

from coproduce.accounts.models import User
from tests.accounts.test_sign_in import without_tokens
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FORGOTTEN = "/account/passphrase/forgotten/"
NEW = "brambles keep the robins warm"


@pytest.fixture
def person() -> User:
    user = make_user("lantern-keeper")
    user.email = "keeper@example.org"
    user.save()
    return user


def ask(email: str) -> tuple[int, str, str]:
    """What asking for a link answers: the status, where it leads, and that page."""
    client = Client()
    response = client.post(FORGOTTEN, {"email": email})
    final = client.get(response["Location"])
    return response.status_code, response["Location"], without_tokens(final.content.decode())


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/account/passphrase/reset/\S+/)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def test_the_sign_in_page_links_to_the_reset() -> None:
    assert FORGOTTEN in Client().get("/account/sign-in/").content.decode()


def test_a_known_and_an_unknown_address_get_identical_answers(
    person: User, settings: pytest.FixtureRequest
) -> None:
    settings.COPRODUCE_BASE_URL = "http://testserver"  # type: ignore[attr-defined]
    known = ask("keeper@example.org")
    assert len(mail.outbox) == 1
    unknown = ask("stranger@example.org")
    assert len(mail.outbox) == 1  # no email for an address not on file
    assert known == unknown
    assert known[0] == 302


def test_the_email_goes_only_to_the_address_on_file_and_names_the_account(
    person: User, settings: pytest.FixtureRequest
) -> None:
    settings.COPRODUCE_BASE_URL = "http://testserver"  # type: ignore[attr-defined]
    ask("KEEPER@example.org")
    (message,) = mail.outbox
    assert message.to == ["keeper@example.org"]
    assert "lantern-keeper" in message.body
    assert link_in(message).startswith("/account/passphrase/reset/")


def test_the_link_sets_a_new_passphrase_and_works_only_once(
    person: User, settings: pytest.FixtureRequest
) -> None:
    settings.COPRODUCE_BASE_URL = "http://testserver"  # type: ignore[attr-defined]
    ask("keeper@example.org")
    link = link_in(mail.outbox[0])
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Choose a new passphrase" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert "Your passphrase is changed" in client.get(done["Location"]).content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW)
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("short", "short", "This password is too short"),
        ("password1234", "password1234", "This password is too common"),
        (NEW, NEW + "x", "The two password fields"),
        ("", "", "This field is required"),
    ],
)
def test_the_new_passphrase_must_pass_the_validators(
    person: User, settings: pytest.FixtureRequest, first: str, second: str, message: str
) -> None:
    settings.COPRODUCE_BASE_URL = "http://testserver"  # type: ignore[attr-defined]
    ask("keeper@example.org")
    client = Client()
    set_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": first, "new_password2": second})
    assert response.status_code == 200
    assert message in response.content.decode()
    person.refresh_from_db()
    assert not person.check_password(first)


@pytest.mark.parametrize(
    "link", ["/account/passphrase/reset/MQ/forged-token/", "/account/passphrase/reset/!!/x-y/"]
)
def test_a_forged_link_says_it_does_not_work(person: User, link: str) -> None:
    response = Client().get(link)
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


@pytest.mark.parametrize("bad", ["", "not an address", "a@" + "b" * 300 + ".org", "\x00@x.org"])
def test_a_bad_address_gets_a_form_message(bad: str) -> None:
    response = Client().post(FORGOTTEN, {"email": bad})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert mail.outbox == []


def test_the_page_says_who_can_help_an_account_without_an_email() -> None:
    page = Client().get(FORGOTTEN).content.decode()
    assert "Without an email on file, a manager of an organisation" in page
