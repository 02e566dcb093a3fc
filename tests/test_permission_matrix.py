"""Least privilege: every URL of the platform, for every persona, has an expected status.

The tables are the specification: the one below for the platform's own pages, and one
per app in ``tests/<app>/permission_matrix.py``. A URL that no table lists fails the
test, so nobody can add a page without deciding who may see it.
"""

import importlib
import pkgutil
from datetime import UTC, datetime

import pytest
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import activity_create, participation_record
from coproduce.measurement.models import Instrument, ResultStatus, SurveyWave, WaveResult
from coproduce.measurement.services import instruments_load_standard, wave_create
from coproduce.organisations.models import Sector, Service
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.engagement.conftest import plan
from tests.matrix import (
    BACKERS,
    EVERYONE,
    PERSONAS,
    SIGNED_IN,
    Expectations,
    client_for,
    only,
    post_only,
    statuses,
    unrefused_posts,
)

COUNTY_WAVE = "Testshire county survey"
# People who took part in the refuge, a sensitive service of A: no other page shows it.
REFUGE_PEOPLE = 4817
# Only the provider's own staff roles see a sensitive service's participation; not its
# backers, not other organisations, not a superuser browsing dashboards.
SENSITIVE_READERS = ("staff of A", "manager of A")
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


def refuge(world: World) -> Service:
    """A sensitive service of library A, funded by the council, with people in its ledger."""
    service = service_create(
        name="Refuge A",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.parish,
        sensitive=True,
        funded_by=[world.council],
    )
    activity = activity_create(service=service, plan=plan(title="Coffee morning"), created_by=None)
    participation_record(
        activity=activity,
        kind=ParticipationKind.ATTENDED_EVENT,
        channel=ArrivalChannel.IN_PERSON,
        act_key="refuge:1",
        people=REFUGE_PEOPLE,
        occurred_at=datetime(2026, 1, 10, tzinfo=UTC),
    )
    return service


def refuge_pages(world: World, expected: Expectations) -> dict[str, str]:
    """Every listed page about A's service or the county, the service's turned to the refuge."""
    ours, refuge_reference = world.service_a.reference, refuge(world).reference
    return {
        name: entry[0].replace(ours, refuge_reference)
        for name, entry in expected.items()
        if ours in entry[0] or world.county.code in entry[0]
    }


def shows_refuge_participation(response: HttpResponseBase) -> bool:
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return any(shown in body for shown in (b"4817", b"4,817"))


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
                    [
                        "staff of A",
                        "manager of A",
                        "staff of B",
                        "manager of B",
                        *BACKERS,
                        "commissioner not funding A",
                    ],
                    302,
                ),
            },
        ),
        "organisations:dashboard": (
            f"/dashboard/{a}/",
            only("staff of A", "manager of A", "superuser"),
        ),
        "organisations:members": (f"/dashboard/{a}/members/", only("manager of A", "superuser")),
        "organisations:member_remove": post_only(
            f"/dashboard/{a}/members/{membership.pk}/remove/", "manager of A", "superuser"
        ),
        "accounts:login": ("/account/sign-in/", EVERYONE),
        "accounts:logout": ("/account/sign-out/", dict.fromkeys(PERSONAS, 405), tuple(PERSONAS)),
        "accounts:sign_up": ("/account/create/", EVERYONE),
        "accounts:profile": ("/account/", SIGNED_IN),
        "choose_language": ("/language/vi/", dict.fromkeys(PERSONAS, 302), tuple(PERSONAS)),
        "admin": ("/admin/", {**dict.fromkeys(PERSONAS, 302), "superuser": 200}),
        # Results are never public. The area and service pages list only the waves a
        # person may see (an empty state for the others); a wave and its files are 403.
        "measurement:area": (f"/measurement/areas/{county}/", SIGNED_IN),
        "measurement:service": (f"/measurement/services/{service}/", SIGNED_IN),
        # Nothing visible means nothing to download: 404, not an empty file.
        "measurement:area_trend_csv": (
            f"/measurement/areas/{county}/trend.csv",
            only(*BACKERS, "superuser", others=404),
        ),
        "measurement:service_trend_csv": (
            f"/measurement/services/{service}/trend.csv",
            only(*BACKERS, "superuser", others=404),
        ),
        "measurement:wave": (f"/measurement/waves/{wave}/", only(*BACKERS, "superuser")),
        "measurement:wave_csv": (
            f"/measurement/waves/{wave}/index.csv",
            only(*BACKERS, "superuser"),
        ),
        # The council's analyst runs its waves; its commissioner reads them.
        "measurement:wave_recompute": post_only(
            f"/measurement/waves/{wave}/recompute/", "analyst", "superuser"
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


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_may_not_write_where_the_matrix_does_not_let_them(
    world: World, persona: str
) -> None:
    assert unrefused_posts(world, persona, expectations(world)) == {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_sensitive_services_participation_is_shown_to_its_providers_staff_only(
    world: World, persona: str
) -> None:
    client = client_for(world, persona)
    pages = refuge_pages(world, expectations(world))
    shown = {name for name, path in pages.items() if shows_refuge_participation(client.get(path))}
    if persona in SENSITIVE_READERS:
        assert "engagement:activities" in shown  # the check would see a leak
    else:
        assert shown == set()


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
