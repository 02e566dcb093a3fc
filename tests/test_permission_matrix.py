"""Least privilege: every URL of the platform, for every persona, has an expected status.

The tables are the specification: the one below for the platform's own pages, and one
per app in ``tests/<app>/permission_matrix.py``. A URL that no table lists fails the
test, so nobody can add a page without deciding who may see it.
"""

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from coproduce.measurement.models import Instrument, ResultStatus, SurveyWave, WaveResult
from coproduce.measurement.services import instruments_load_standard, wave_create
from tests.conftest import World
from tests.matrix import EVERYONE, PERSONAS, SIGN_IN, SIGNED_IN, Expectations, only, statuses

COUNTY_WAVE = "Testshire county survey"
# A stored result as compute_results writes it, cut down to one sector.
COUNTY_RESULT = {
    "respondents": 20,
    "suppress_below": 10,
    "index": [
        {
            "sector": "community-safety",
            "estimate": 40.0,
            "se": 2.0,
            "ci_low": 36.0,
            "ci_high": 44.0,
            "n": 20,
            "weight_sum": 20.0,
            "suppressed": False,
        }
    ],
    "by_group": {},
    "gap": None,
    "reach": {"available": False, "message": "The area has no population figures."},
    "other": {},
}


def county_wave(world: World) -> SurveyWave:
    """The council's wave about library A's service (which it funds), with a result."""
    found = SurveyWave.objects.filter(label=COUNTY_WAVE).first()
    if found is not None:
        return found
    instruments_load_standard()
    wave = wave_create(
        instrument=Instrument.objects.get(slug="coproduction-in-your-area", version=1),
        owner=world.council,
        area=world.county,
        service=world.service_a,
        label=COUNTY_WAVE,
        created_by=None,
    )
    WaveResult.objects.create(wave=wave, status=ResultStatus.OK, results=COUNTY_RESULT)
    return wave


def app_expectations(world: World) -> Expectations:
    """Every app's own table, from tests/<app>/permission_matrix.py."""
    merged: Expectations = {}
    for package in pkgutil.iter_modules(tests.__path__):
        try:
            module = importlib.import_module(f"tests.{package.name}.permission_matrix")
        except ModuleNotFoundError:
            continue
        merged.update(module.expectations(world))
    return merged


def expectations(world: World) -> Expectations:
    return {**platform_expectations(world), **app_expectations(world)}


# name of the URL -> (path, expected status per persona, for a GET)
def platform_expectations(world: World) -> Expectations:
    a = world.library_a.slug
    membership = world.library_a.memberships.get(user__username="staff-of-A")
    wave = county_wave(world).pk
    county = world.county.code
    service = world.service_a.reference
    return {
        "organisations:home": ("/", EVERYONE),
        "organisations:area": (f"/areas/{world.parish.code}/", EVERYONE),
        "organisations:organisation": (f"/organisations/{a}/", EVERYONE),
        "organisations:service": (f"/services/{world.service_a.reference}/", EVERYONE),
        # People with exactly one staff role go straight to that organisation's dashboard.
        "organisations:dashboard_home": (
            "/dashboard/",
            {
                **SIGNED_IN,
                **dict.fromkeys(
                    ["staff of A", "manager of A", "manager of B", "commissioner"], 302
                ),
            },
        ),
        "organisations:dashboard": (
            f"/dashboard/{a}/",
            only("staff of A", "manager of A", "superuser"),
        ),
        "organisations:members": (f"/dashboard/{a}/members/", only("manager of A", "superuser")),
        # Removing is POST only: a GET is refused for everyone allowed past the check.
        "organisations:member_remove": (
            f"/dashboard/{a}/members/{membership.pk}/remove/",
            {**dict.fromkeys(PERSONAS, 405), "anonymous": SIGN_IN},
        ),
        "accounts:login": ("/account/sign-in/", EVERYONE),
        "accounts:logout": ("/account/sign-out/", dict.fromkeys(PERSONAS, 405)),
        "accounts:sign_up": ("/account/create/", EVERYONE),
        "accounts:profile": ("/account/", SIGNED_IN),
        "choose_language": ("/language/vi/", dict.fromkeys(PERSONAS, 302)),
        "admin": ("/admin/", {**dict.fromkeys(PERSONAS, 302), "superuser": 200}),
        # Results are never public. The area and service pages list only the waves a
        # person may see (an empty state for the others); a wave and its files are 403.
        "measurement:area": (f"/measurement/areas/{county}/", SIGNED_IN),
        "measurement:service": (f"/measurement/services/{service}/", SIGNED_IN),
        # Nothing visible means nothing to download: 404, not an empty file.
        "measurement:area_trend_csv": (
            f"/measurement/areas/{county}/trend.csv",
            only("commissioner", "superuser", others=404),
        ),
        "measurement:service_trend_csv": (
            f"/measurement/services/{service}/trend.csv",
            only("commissioner", "superuser", others=404),
        ),
        "measurement:wave": (f"/measurement/waves/{wave}/", only("commissioner", "superuser")),
        "measurement:wave_csv": (
            f"/measurement/waves/{wave}/index.csv",
            only("commissioner", "superuser"),
        ),
        "measurement:wave_recompute": (
            f"/measurement/waves/{wave}/recompute/",
            {**dict.fromkeys(PERSONAS, 405), "anonymous": SIGN_IN},
        ),
    }


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_of_the_platform_is_in_the_matrix(world: World) -> None:
    assert _named_urls(get_resolver()) == set(expectations(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_expected_status_on_every_url(
    world: World, persona: str
) -> None:
    got, expected = statuses(world, persona, expectations(world))
    assert got == expected


@pytest.mark.parametrize("persona", ["staff of A", "manager of B", "commissioner", "resident"])
def test_only_a_manager_of_the_organisation_can_add_a_member(world: World, persona: str) -> None:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    response = client.post(
        f"/dashboard/{world.library_a.slug}/members/", {"username": "resident", "role": "staff"}
    )
    assert response.status_code == 403
    assert not world.library_a.memberships.filter(user__username="resident").exists()


@pytest.mark.parametrize("persona", ["staff of A", "manager of B", "volunteer of A"])
def test_only_a_manager_of_the_organisation_can_remove_a_member(world: World, persona: str) -> None:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    membership = world.library_a.memberships.get(user__username="volunteer-of-A")
    response = client.post(f"/dashboard/{world.library_a.slug}/members/{membership.pk}/remove/")
    assert response.status_code == 403
    assert world.library_a.memberships.filter(pk=membership.pk).exists()
