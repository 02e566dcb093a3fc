import pytest
from django.urls import URLPattern, get_resolver

from tests.conftest import World
from tests.forums.permission_matrix import expectations
from tests.matrix import PERSONAS, statuses


def test_every_url_of_the_app_is_in_the_matrix(world: World) -> None:
    resolver = get_resolver().namespace_dict["forums"][1]
    names = {
        f"forums:{pattern.name}"
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLPattern)
    }
    assert names == set(expectations(world))


def test_the_matrix_can_be_built_twice(world: World) -> None:
    assert expectations(world) == expectations(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(world: World, persona: str) -> None:
    got, expected = statuses(world, persona, expectations(world))
    assert got == expected
