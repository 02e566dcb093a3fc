"""Shared fixtures: the people of the tests, named by what they do.

A library (A) and another library (B), each with its manager and a staff member; A's
volunteer; a resident with no role; the county council, which funds A's service, with a
commissioner ("commissioner funding A", also called "commissioner") and an analyst; the
county's police and crime commissioner, a public body of the same area that funds
nothing of A's ("commissioner not funding A"); a superuser. Every permission test reuses
them (see tests/test_permission_matrix.py and docs/permissions.md).
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from coproduce.accounts.models import User
from coproduce.accounts.services import participant_create
from coproduce.consultations.kept import public_forms
from coproduce.organisations.models import Organisation, OrganisationKind, Role, Sector, Service
from coproduce.organisations.services import membership_add, organisation_create, service_create
from coproduce.places.models import Area, AreaLevel
from tests.snapshot import Snapshot

PASSPHRASE = "correct horse battery staple"

# The type of pytest-django's ``django_capture_on_commit_callbacks`` fixture.
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is deliberately slow; tests that are not about hashing need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _check_chart_specs(settings: pytest.FixtureRequest) -> None:
    # Pages skip the Vega-Lite schema check for speed; every chart a test draws has it.
    settings.CHART_VALIDATE = True  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_limits(settings: pytest.FixtureRequest) -> None:
    # Rate limits count in the cache, which outlives a test: each test starts at none.
    # The time a form was shown is checked by tests/core/test_antispam.py; tests that
    # send forms built by hand need not sign one.
    cache.clear()
    settings.ANTISPAM_TIMING = False  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_forms_in_memory() -> Iterator[None]:
    # Each process keeps the public forms it served for a second (consultations.kept);
    # a test's database is gone after it, and the demo's form codes repeat.
    public_forms.clear()
    yield
    public_forms.clear()


def restore_shipped_data() -> None:
    """Put back what migrations ship (the WELLBY proxy) after a test flushed the
    database: transactional tests, and browser journeys, end with a flush."""
    wellby = import_module("coproduce.impact.migrations.0003_wellby_proxy")
    wellby.ship(apps, connection.schema_editor())


def _load_demo() -> None:
    # A flushed database lost what migrations ship: that is put back first, as
    # ``migrate`` leaves it.
    restore_shipped_data()
    call_command("load_demo", verbosity=0)


# The demo world: loaded by the first test that asks, and put back from its rows for the
# others (tests/snapshot.py), in a transaction of their own or after a flush.
DEMO = Snapshot(_load_demo)


@pytest.fixture
def demo_world(db: None) -> None:
    """The whole demo world, as ``load_demo`` makes it."""
    DEMO.load()
    mail.outbox = []  # what loading the world sent is not the test's


def make_user(username: str, *, superuser: bool = False) -> User:
    model = get_user_model()
    if superuser:
        user = model.objects.create_superuser(username=username, password=PASSPHRASE)
    else:
        user = model.objects.create_user(username=username, password=PASSPHRASE)
    participant_create(user=user)
    return user


@dataclass
class World:
    county: Area
    parish: Area
    council: Organisation
    library_a: Organisation
    library_b: Organisation
    service_a: Service
    users: dict[str, User | None]
    police: Organisation  # a public body of the county that backs none of A's services


@pytest.fixture
def world(db: None) -> World:
    england = Area.objects.create(code="T92000001", name="Testland", level=AreaLevel.NATION)
    county = Area.objects.create(
        code="T10000001", name="Testshire", level=AreaLevel.COUNTY, parent=england
    )
    parish = Area.objects.create(
        code="T04000001", name="Little Testing", level=AreaLevel.PARISH, parent=county
    )
    council = organisation_create(
        slug="testshire-council",
        name="Testshire County Council",
        kind=OrganisationKind.PUBLIC_BODY,
        level="county",
        area=county,
    )
    library_a = organisation_create(
        slug="library-a", name="Library A", kind=OrganisationKind.SOCIAL_ENTERPRISE, area=parish
    )
    library_b = organisation_create(
        slug="library-b", name="Library B", kind=OrganisationKind.SOCIAL_ENTERPRISE, area=county
    )
    police = organisation_create(
        slug="testshire-pcc",
        name="Testshire Police and Crime Commissioner",
        kind=OrganisationKind.POLICE_AND_CRIME_COMMISSIONER,
        level="county",
        area=county,
    )
    service_a = service_create(
        name="Library A lending",
        sector=Sector.LIBRARY,
        provider=library_a,
        area=parish,
        funded_by=[council],
    )
    roles = {
        "volunteer of A": (library_a, Role.VOLUNTEER),
        "staff of A": (library_a, Role.STAFF),
        "manager of A": (library_a, Role.MANAGER),
        "staff of B": (library_b, Role.STAFF),
        "manager of B": (library_b, Role.MANAGER),
        "commissioner funding A": (council, Role.COMMISSIONER),
        "analyst": (council, Role.ANALYST),
        "commissioner not funding A": (police, Role.COMMISSIONER),
    }
    users: dict[str, User | None] = {"anonymous": None, "resident": make_user("resident")}
    for persona, (organisation, role) in roles.items():
        user = make_user(persona.replace(" ", "-"))
        membership_add(organisation=organisation, username=user.username, role=role, added_by=None)
        users[persona] = user
    users["commissioner"] = users["commissioner funding A"]  # the name older tests use
    users["superuser"] = make_user("superuser", superuser=True)
    return World(county, parish, council, library_a, library_b, service_a, users, police)
