"""Every events URL, for every persona: exactly the expected status."""

import pytest
from django.urls import get_resolver

from tests.conftest import World
from tests.events.permission_matrix import expectations
from tests.matrix import PERSONAS, statuses


def test_every_named_url_of_the_app_is_in_the_matrix(world: World) -> None:
    resolver = get_resolver()
    names = {
        f"events:{pattern.name}"
        for url in resolver.url_patterns
        if getattr(url, "namespace", None) == "events"
        for pattern in url.url_patterns
    }
    assert names == set(expectations(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_on_every_events_url(
    world: World, persona: str
) -> None:
    got, expected = statuses(world, persona, expectations(world))
    assert got == expected
