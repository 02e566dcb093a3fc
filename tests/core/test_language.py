"""Choosing a language: a plain link that keeps the choice in a cookie and goes back."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_language_link_keeps_the_choice_and_goes_back_to_the_page() -> None:
    client = Client()
    answer = client.get("/language/vi/?next=/have-your-say/")
    assert answer.status_code == 302
    assert answer["Location"] == "/have-your-say/"
    cookie = answer.cookies["django_language"]
    assert cookie.value == "vi"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert '<html lang="vi"' in client.get("/").content.decode()


def test_a_next_page_elsewhere_goes_home_instead() -> None:
    for target in ["https://example.com/", "//example.com/", "javascript:alert(1)"]:
        answer = Client().get("/language/cy/", {"next": target})
        assert answer["Location"] == "/"


def test_an_unknown_language_is_not_found_and_sets_nothing() -> None:
    answer = Client().get("/language/xx/?next=/")
    assert answer.status_code == 404
    assert "django_language" not in answer.cookies


def test_choosing_a_language_takes_no_form() -> None:
    assert Client().post("/language/vi/", {"next": "/"}).status_code == 405


def test_a_public_page_sets_no_csrf_cookie_for_the_language_switcher() -> None:
    """The switcher is links: a visitor who only reads gets no CSRF cookie."""
    answer = Client().get("/")
    assert answer.status_code == 200
    assert "csrftoken" not in answer.cookies
    assert 'href="/language/vi/?next=/"' in answer.content.decode()
