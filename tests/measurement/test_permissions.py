"""Who sees a wave's results, per persona, and what the selectors cost."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from coproduce.measurement.models import ResultStatus, SurveyWave
from coproduce.measurement.permissions import can_view_results
from coproduce.measurement.selectors import latest_result, waves_for_area, waves_for_service
from coproduce.measurement.services import wave_create, wave_recompute
from coproduce.organisations.models import BackingKind, ServiceBacking
from tests.conftest import World

QueryCounter = Callable[..., AbstractContextManager[Any]]

# The council runs the wave, about library A's service, which the council funds.
CAN_SEE = {
    "anonymous": False,
    "resident": False,
    "volunteer of A": False,
    "staff of A": False,  # the provider's staff: the wave is not theirs
    "manager of A": False,
    "staff of B": False,
    "manager of B": False,
    "commissioner": True,
    "commissioner not funding A": False,
    "analyst": True,
    "superuser": True,
}


def _user(world: World, persona: str) -> Any:
    return world.users[persona] or AnonymousUser()


@pytest.mark.parametrize(("persona", "allowed"), CAN_SEE.items())
def test_who_sees_the_results_of_the_councils_wave(
    world: World, wave: SurveyWave, persona: str, allowed: bool
) -> None:
    user = _user(world, persona)
    wave_recompute(wave=wave)
    assert can_view_results(user, wave) is allowed
    assert (wave in waves_for_area(user, world.county)) is allowed
    assert (wave in waves_for_service(user, world.service_a)) is allowed
    if allowed:
        result = latest_result(user, wave)
        assert result is not None
        assert result.status == ResultStatus.FAILED
    else:
        with pytest.raises(PermissionDenied):
            latest_result(user, wave)


@pytest.fixture
def providers_wave(world: World, wave: SurveyWave) -> SurveyWave:
    """Library A's own wave about its service; the council funds that service."""
    return wave_create(
        instrument=wave.instrument,
        owner=world.library_a,
        area=world.parish,
        service=world.service_a,
        label="Library A users",
        created_by=None,
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("volunteer of A", False),
        ("staff of A", True),
        ("manager of A", True),
        ("manager of B", False),
        ("commissioner", True),  # a commissioner of a body that funds the service
        ("resident", False),
    ],
)
def test_who_sees_a_providers_wave_about_a_funded_service(
    world: World, providers_wave: SurveyWave, persona: str, allowed: bool
) -> None:
    assert can_view_results(_user(world, persona), providers_wave) is allowed
    visible = waves_for_service(_user(world, persona), world.service_a)
    assert (providers_wave in visible) is allowed


def test_a_backer_sees_nothing_once_it_stops_backing(
    world: World, providers_wave: SurveyWave
) -> None:
    commissioner = world.users["commissioner"]
    assert commissioner is not None
    ServiceBacking.objects.filter(service=world.service_a).delete()
    assert not can_view_results(commissioner, providers_wave)
    ServiceBacking.objects.create(
        service=world.service_a, organisation=world.council, kind=BackingKind.COMMISSIONS
    )
    assert can_view_results(commissioner, providers_wave)


def test_a_wave_without_a_service_is_seen_by_its_owners_staff_only(
    world: World, wave: SurveyWave
) -> None:
    wave.service = None
    wave.save()
    commissioner = world.users["commissioner"]
    assert commissioner is not None
    assert can_view_results(commissioner, wave)
    manager = world.users["manager of A"]
    assert manager is not None
    assert not can_view_results(manager, wave)


def test_listing_waves_costs_the_same_for_one_wave_or_many(
    world: World,
    wave: SurveyWave,
    providers_wave: SurveyWave,
    django_assert_num_queries: QueryCounter,
) -> None:
    commissioner = world.users["commissioner"]
    for n in range(5):
        wave_create(
            instrument=wave.instrument,
            owner=world.council,
            area=world.parish,
            label=f"extra {n}",
            created_by=None,
        )
    # One query per level below the county (2 here: parishes, then none), one for the waves.
    with django_assert_num_queries(3):
        waves = waves_for_area(commissioner, world.county)
        assert len(waves) == 7
        assert {w.instrument.slug for w in waves} == {"coproduction-in-your-area"}
        assert {str(w.area) for w in waves}
        assert {str(w.owner) for w in waves}
    with django_assert_num_queries(1):
        assert len(waves_for_service(commissioner, world.service_a)) == 2


def test_the_latest_result_costs_two_queries(
    world: World, wave: SurveyWave, django_assert_num_queries: QueryCounter
) -> None:
    wave_recompute(wave=wave)
    newest = wave_recompute(wave=wave)
    with django_assert_num_queries(2):
        assert latest_result(world.users["commissioner"], wave) == newest
    with django_assert_num_queries(1):  # a superuser needs no membership check
        assert latest_result(world.users["superuser"], wave) == newest
