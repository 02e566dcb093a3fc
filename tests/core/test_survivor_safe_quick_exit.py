"""The quick exit: a plain link to the configured neutral site, on a sensitive service's
pages only (and on sign-in and account pages); a bad setting stops start-up."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from coproduce.organisations.models import Sector, Service
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.core.test_settings import run_check

NEUTRAL = "https://news.example.org/today"
EXIT_LINK = re.compile(r'<a href="([^"]*)"[^>]*data-quick-exit[^>]*>(.*?)</a>', re.DOTALL)


@pytest.fixture
def refuge(world: World, settings: Settings) -> Service:
    settings.COPRODUCE_QUICK_EXIT_URL = NEUTRAL
    return service_create(
        name="Safe Harbour refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_b,
        area=world.county,
        sensitive=True,
    )


def exit_links(url: str) -> list[tuple[str, str]]:
    return EXIT_LINK.findall(Client().get(url).content.decode())


def test_a_sensitive_service_page_links_to_the_neutral_site_without_its_name(
    refuge: Service,
) -> None:
    [(href, text)] = exit_links(reverse("organisations:service", args=[refuge.reference]))
    assert href == NEUTRAL
    assert "Exit this page" in text
    assert refuge.name not in text
    html = Client().get(reverse("organisations:service", args=[refuge.reference])).content
    assert b'rel="nofollow noreferrer"' in html
    assert b"quick-exit.js" in html


def test_beside_it_the_page_says_what_the_exit_does_not_hide(world: World, refuge: Service) -> None:
    help_text = "A private window (also called incognito) keeps no list"
    sensitive = Client().get(reverse("organisations:service", args=[refuge.reference]))
    assert help_text in sensitive.content.decode()
    library = Client().get(reverse("organisations:service", args=[world.service_a.reference]))
    assert help_text not in library.content.decode()


def test_pages_of_a_service_that_is_not_sensitive_have_no_quick_exit(
    world: World, refuge: Service
) -> None:
    assert exit_links(reverse("organisations:service", args=[world.service_a.reference])) == []
    assert exit_links(reverse("events:service_events", args=[world.service_a.reference])) == []
    assert exit_links(reverse("organisations:home")) == []


def test_the_pages_of_something_of_a_sensitive_service_have_it(refuge: Service) -> None:
    assert exit_links(reverse("events:service_events", args=[refuge.reference]))
    assert exit_links(reverse("forums:board", args=[refuge.reference]))
    assert exit_links(reverse("volunteering:roles", args=[refuge.reference]))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://example.org/", ""])
def test_a_quick_exit_address_that_is_not_https_stops_start_up(url: str) -> None:
    result = run_check(COPRODUCE_QUICK_EXIT_URL=url)
    assert result.returncode != 0
    assert "COPRODUCE_QUICK_EXIT_URL must be an https:// address." in result.stderr
