import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World


def test_the_home_page_lists_the_areas_services_by_sector(world: World) -> None:
    body = Client().get("/").content.decode()
    assert "Public services in Testshire" in body
    assert "Library A lending" in body
    assert "Library A" in body


def test_a_sensitive_service_has_a_neutral_title_and_an_address_without_its_name(
    world: World,
) -> None:
    refuge = service_create(
        name="Safe House Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_b,
        area=world.county,
        sensitive=True,
    )
    response = Client().get(f"/services/{refuge.reference}/")
    body = response.content.decode()
    assert "<title>Support service – Coproduce</title>" in body
    assert "refuge" not in response.wsgi_request.path.lower()


def test_an_unknown_area_organisation_or_service_is_a_404(world: World) -> None:
    client = Client()
    for path in ["/areas/NOPE/", "/organisations/nope/", "/services/S-0000-0000/"]:
        assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "most"),
    [("/", 12), ("/areas/T04000001/", 12), ("/organisations/library-a/", 8)],
)
def test_public_pages_use_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries, path: str, most: int
) -> None:
    for n in range(10):
        service_create(
            name=f"Service {n}", sector=Sector.LIBRARY, provider=world.library_a, area=world.parish
        )
    with django_assert_max_num_queries(most):
        assert Client().get(path).status_code == 200


def test_the_dashboard_uses_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    manager = world.users["manager of A"]
    assert manager is not None
    client.force_login(manager)
    for n in range(10):
        service_create(
            name=f"Service {n}",
            sector=Sector.LIBRARY,
            provider=world.library_a,
            area=world.parish,
            funded_by=[world.council],
        )
    with django_assert_max_num_queries(14):
        assert client.get(f"/dashboard/{world.library_a.slug}/").status_code == 200


def test_the_dashboard_shows_the_organisations_services_and_people(world: World) -> None:
    client = Client()
    staff = world.users["staff of A"]
    assert staff is not None
    client.force_login(staff)
    body = client.get(f"/dashboard/{world.library_a.slug}/").content.decode()
    assert "Library A lending" in body
    assert "Manage members" not in body  # staff see, only managers manage


def test_the_area_page_shows_what_is_on_but_never_a_sensitive_services_events(
    world: World,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coproduce.engagement.services import activity_create
    from coproduce.events.services import EventDetails, event_create
    from tests.engagement.conftest import plan

    refuge = service_create(
        name="Safe House Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_b,
        area=world.parish,
        sensitive=True,
    )
    soon = timezone.now() + timedelta(days=3)
    for service, title, publish in [
        (world.service_a, "Story time", True),
        (world.service_a, "A draft talk", False),
        (refuge, "Refuge coffee morning", True),
    ]:
        event_create(
            activity=activity_create(service=service, plan=plan(), created_by=None),
            details=EventDetails(title=title, starts_at=soon, ends_at=soon + timedelta(hours=1)),
            created_by=None,
            publish=publish,
        )
    body = Client().get(f"/areas/{world.county.code}/").content.decode()
    assert "What is on" in body
    assert "Story time" in body
    assert "A draft talk" not in body
    assert "Refuge coffee morning" not in body
