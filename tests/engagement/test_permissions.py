"""Who may open each engagement page, for every persona, and a sensitive service's privacy."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from coproduce.organisations.models import OrganisationKind, Role, Sector
from coproduce.organisations.services import membership_add, organisation_create, service_create
from tests.conftest import World, make_user
from tests.engagement import permission_matrix
from tests.matrix import PERSONAS, statuses


def test_every_engagement_url_is_in_the_matrix(world: World) -> None:
    resolver = get_resolver().namespace_dict["engagement"][1]
    names = {
        f"engagement:{p.name}"
        for p in resolver.url_patterns
        if isinstance(p, URLPattern) and p.name
    }
    assert names == set(permission_matrix.expectations(world))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_on_every_engagement_url(
    world: World, persona: str
) -> None:
    got, expected = statuses(world, persona, permission_matrix.expectations(world))
    assert got == expected


def test_a_council_analyst_sees_the_roll_up_of_a_parish_in_its_county(world: World) -> None:
    client = Client()
    analyst = world.users["analyst"]
    assert analyst is not None
    client.force_login(analyst)
    assert client.get(f"/engagement/areas/{world.parish.code}/roll-up/").status_code == 200
    assert client.get(f"/engagement/areas/{world.county.code}/roll-up/").status_code == 200
    # Not above its own area.
    nation = world.county.parent
    assert nation is not None
    assert client.get(f"/engagement/areas/{nation.code}/roll-up/").status_code == 403


def test_a_commissioner_of_a_body_that_is_not_public_gets_no_roll_up(world: World) -> None:
    charity = organisation_create(
        slug="charity", name="A charity", kind=OrganisationKind.CHARITY, area=world.county
    )
    officer = make_user("charity-commissioner")
    membership_add(
        organisation=charity, username=officer.username, role=Role.COMMISSIONER, added_by=None
    )
    client = Client()
    client.force_login(officer)
    assert client.get(f"/engagement/areas/{world.county.code}/roll-up/").status_code == 403


def test_a_backer_sees_the_activities_of_a_sensitive_service_but_not_who_took_part(
    world: World,
) -> None:
    refuge = service_create(
        name="Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.parish,
        funded_by=[world.council],
        sensitive=True,
    )
    base = f"/engagement/services/{refuge.reference}"
    commissioner, staff = Client(), Client()
    commissioner.force_login(world.users["commissioner"])  # type: ignore[arg-type]
    staff.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    assert commissioner.get(f"{base}/activities/").status_code == 200
    assert commissioner.get(f"{base}/ladder/").status_code == 200
    assert commissioner.get(f"{base}/ladder/months.csv").status_code == 404
    assert commissioner.get(f"{base}/reach/").status_code == 403
    assert commissioner.get(f"{base}/reach/totals.csv").status_code == 403
    assert staff.get(f"{base}/reach/").status_code == 200
    assert staff.get(f"{base}/ladder/months.csv").status_code == 200
