"""The audit page: managers see who changed what in their organisation's records."""

import csv
import io

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.events.models import Event
from coproduce.organisations.models import Role
from coproduce.organisations.services import membership_add
from tests.audit.conftest import client_of, edit_capacity
from tests.conftest import World, make_user
from tests.events.conftest import make_activity, make_event


def test_the_page_shows_who_changed_an_events_capacity(world: World, event: Event) -> None:
    edit_capacity(client_of(world, "staff of A"), event, 35)

    response = client_of(world, "manager of A").get(f"/audit/{world.library_a.slug}/")

    assert response.status_code == 200
    entry = response.context["entries"][0]
    assert entry.who == "staff-of-A"
    assert entry.record == f"Event: {event.title}"
    assert ("places", "20", "35") in [(c.field, c.old, c.new) for c in entry.changes]
    assert "staff-of-A" in response.content.decode()


def test_a_change_by_a_task_or_a_command_shows_as_system(world: World, event: Event) -> None:
    response = client_of(world, "manager of A").get(
        f"/audit/{world.library_a.slug}/?kind=events.event"
    )

    created = response.context["entries"][0]
    assert created.who == "system"
    assert created.action == "Created"
    assert ("places", "—", "20") in [(c.field, c.old, c.new) for c in created.changes]


@pytest.mark.parametrize(
    "persona", ["manager of B", "staff of A", "volunteer of A", "commissioner"]
)
def test_only_the_organisations_managers_see_its_audit_trail(world: World, persona: str) -> None:
    for path in ("", "changes.csv"):
        response = client_of(world, persona).get(f"/audit/{world.library_a.slug}/{path}")
        assert response.status_code == 403


def test_another_organisations_changes_are_not_shown(world: World, event: Event) -> None:
    edit_capacity(client_of(world, "manager of A"), event, 35)

    response = client_of(world, "manager of B").get(f"/audit/{world.library_b.slug}/")

    kinds = {entry.kind for entry in response.context["entries"]}
    assert kinds == {"organisation", "membership"}


def test_filters_narrow_the_changes_by_kind_and_person(world: World, event: Event) -> None:
    edit_capacity(client_of(world, "staff of A"), event, 35)
    manager = client_of(world, "manager of A")

    by_person = manager.get(f"/audit/{world.library_a.slug}/?person=staff-of-A")
    by_kind = manager.get(f"/audit/{world.library_a.slug}/?kind=organisations.membership")

    assert [e.who for e in by_person.context["entries"]] == ["staff-of-A"]
    assert {e.kind for e in by_kind.context["entries"]} == {"membership"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("since=2026-05-10&until=2026-05-01", "until"),
        ("kind=accounts.user", "kind"),
        ("person=" + "x" * 200, "person"),
    ],
)
def test_bad_filter_input_gives_a_form_error(world: World, query: str, field: str) -> None:
    manager = client_of(world, "manager of A")
    for path in ("", "changes.csv"):
        response = manager.get(f"/audit/{world.library_a.slug}/{path}?{query}")
        assert response.status_code in (200, 400)
        assert field in response.context["form"].errors
        assert "There is a problem" in response.content.decode()


def test_the_csv_export_has_one_line_per_changed_field(world: World, event: Event) -> None:
    edit_capacity(client_of(world, "manager of A"), event, 35)

    response = client_of(world, "manager of A").get(
        f"/audit/{world.library_a.slug}/changes.csv?kind=events.event"
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:2] == ["When", "Who"]
    assert [
        "manager-of-A",
        "event",
        f"Event: {event.title}",
        "Changed",
        "places",
        "20",
        "35",
    ] in [row[1:] for row in rows]


def test_the_page_reads_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    manager = client_of(world, "manager of A")
    activity = make_activity(world.service_a)
    for number in range(12):
        edit_capacity(manager, make_event(activity, title=f"Talk {number}", capacity=5), 6)
    for number in range(4):
        user = make_user(f"new-volunteer-{number}")
        membership_add(
            organisation=world.library_a, username=user.username, role=Role.VOLUNTEER, added_by=None
        )

    # Signing in, the organisation and its manager check, the count and the page; then
    # for each kind on the page (events, memberships) its rows and their earlier rows,
    # and one query per kind of linked record (activities, users): not one per row.
    with django_assert_max_num_queries(13):
        response = manager.get(f"/audit/{world.library_a.slug}/")
    assert response.status_code == 200
    assert len(response.context["entries"]) == 25


def test_a_page_beyond_the_last_shows_the_last(world: World) -> None:
    response = client_of(world, "superuser").get(f"/audit/{world.library_a.slug}/?page=999")
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    assert Client().get(f"/audit/{world.library_a.slug}/").status_code == 302


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(world: World) -> None:
    make_event(make_activity(world.service_a), title='=HYPERLINK("http://example.org")')

    response = client_of(world, "manager of A").get(
        f"/audit/{world.library_a.slug}/changes.csv?kind=events.event"
    )

    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert '\'=HYPERLINK("http://example.org")' in cells  # the title, as a value
    assert not [cell for cell in cells if cell.startswith("=")]
