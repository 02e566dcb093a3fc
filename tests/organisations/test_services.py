from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from coproduce.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Role,
)
from coproduce.organisations.services import (
    membership_add,
    membership_remove,
    organisation_create,
    partnership_create,
)
from tests.conftest import World


def test_a_duplicate_organisation_slug_is_refused_with_its_name(world: World) -> None:
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as raised:
        organisation_create(
            slug="library-a",
            name="Another Library",
            kind=OrganisationKind.CHARITY,
            area=world.parish,
        )
    assert "library-a" in str(raised.value.message_dict["slug"])
    assert Organisation.objects.count() == before


def test_the_admin_refuses_a_duplicate_slug_with_a_form_message(world: World) -> None:
    client = Client()
    superuser = world.users["superuser"]
    assert superuser is not None
    client.force_login(superuser)
    response = client.post(
        "/admin/organisations/organisation/add/",
        {"slug": "library-a", "name": "Copy", "kind": "charity", "area": world.parish.pk},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Organisation.objects.filter(slug="library-a").count() == 1


@pytest.mark.parametrize(
    ("kind", "level", "message"),
    [
        (OrganisationKind.PUBLIC_BODY, "", "needs a level"),
        (OrganisationKind.CHARITY, "county", "Only public bodies"),
    ],
)
def test_the_level_of_government_belongs_to_public_bodies_only(
    world: World, kind: OrganisationKind, level: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        organisation_create(slug="x", name="X", kind=kind, level=level, area=world.county)
    assert not Organisation.objects.filter(slug="x").exists()


def test_a_membership_for_a_user_who_does_not_exist_is_refused(world: World) -> None:
    before = Membership.objects.count()
    with pytest.raises(ValidationError) as raised:
        membership_add(
            organisation=world.library_a, username="nobody", role=Role.STAFF, added_by=None
        )
    assert "no account with the username “nobody”" in str(raised.value.message_dict["username"])
    assert Membership.objects.count() == before


def test_a_manager_adding_an_unknown_username_sees_a_form_message(world: World) -> None:
    client = Client()
    manager = world.users["manager of A"]
    assert manager is not None
    client.force_login(manager)
    response = client.post(
        f"/dashboard/{world.library_a.slug}/members/", {"username": "nobody", "role": "staff"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "no account with the username “nobody”" in body


def test_a_manager_adds_and_removes_a_member(world: World) -> None:
    client = Client()
    manager = world.users["manager of A"]
    assert manager is not None
    client.force_login(manager)
    response = client.post(
        f"/dashboard/{world.library_a.slug}/members/",
        {"username": "resident", "role": "volunteer"},
        follow=True,
    )
    assert "resident is now Volunteer." in response.content.decode()
    membership = Membership.objects.get(user__username="resident")
    assert membership.organisation == world.library_a
    client.post(f"/dashboard/{world.library_a.slug}/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_second_role_in_the_same_organisation_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        membership_add(
            organisation=world.library_a,
            username="staff-of-A",
            role=Role.MANAGER,
            added_by=world.users["manager of A"],  # type: ignore[arg-type]
        )
    assert Membership.objects.get(user__username="staff-of-A").role == Role.STAFF


def test_a_manager_cannot_remove_their_own_membership(world: World) -> None:
    manager = world.users["manager of A"]
    assert manager is not None
    own = Membership.objects.get(user=manager)
    with pytest.raises(ValidationError, match="your own membership"):
        membership_remove(membership=own, removed_by=manager)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_manager_of_another_organisation_cannot_add_members_through_the_service(
    world: World,
) -> None:
    with pytest.raises(PermissionDenied):
        membership_add(
            organisation=world.library_a,
            username="resident",
            role=Role.STAFF,
            added_by=world.users["manager of B"],  # type: ignore[arg-type]
        )


def test_a_partnership_needs_two_organisations_and_sensible_dates(world: World) -> None:
    with pytest.raises(ValidationError):
        partnership_create(
            source=world.library_a,
            target=world.library_a,
            kind=PartnershipKind.TRAINING,
            started_on=date(2020, 1, 1),
        )
    with pytest.raises(ValidationError):
        partnership_create(
            source=world.council,
            target=world.library_a,
            kind=PartnershipKind.FUNDING,
            started_on=date(2020, 1, 1),
            ended_on=date(2019, 1, 1),
        )
    assert not Partnership.objects.exists()
    partnership_create(
        source=world.council,
        target=world.library_a,
        kind=PartnershipKind.RESOURCE_SHARING,
        started_on=date(2012, 4, 1),
        description="Book stock rotation",
    )
    assert Partnership.objects.count() == 1


def test_the_add_member_command_names_a_missing_user_and_adds_nothing(world: World) -> None:
    before = Membership.objects.count()
    with pytest.raises(CommandError, match="no account with the username “ghost”"):
        call_command("add_member", "library-a", "ghost", "staff")
    with pytest.raises(CommandError, match="no organisation with the slug 'nowhere'"):
        call_command("add_member", "nowhere", "resident", "staff")
    assert Membership.objects.count() == before


def test_the_add_member_command_gives_an_existing_login_a_role(world: World) -> None:
    out = StringIO()
    call_command("add_member", "library-b", "resident", "volunteer", stdout=out)
    assert "resident is now volunteer of Library B." in out.getvalue()
    assert Membership.objects.get(user__username="resident").organisation == world.library_b
