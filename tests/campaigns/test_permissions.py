import pytest
from django.urls import URLPattern, get_resolver

from coproduce.campaigns.models import LinkVisitDay
from tests.campaigns.permission_matrix import expectations
from tests.conftest import World
from tests.matrix import PERSONAS, statuses


def test_every_url_of_the_app_has_expectations(world: World) -> None:
    resolver = get_resolver().namespace_dict["campaigns"][1]
    names = {f"campaigns:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert names == set(expectations(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_matrix_says(world: World, persona: str) -> None:
    got, expected = statuses(world, persona, expectations(world))
    assert got == expected


def test_the_matrix_walk_counts_one_visit_per_persona(world: World) -> None:
    for persona in PERSONAS:
        statuses(world, persona, expectations(world))
    assert LinkVisitDay.objects.get().visits == len(PERSONAS)
