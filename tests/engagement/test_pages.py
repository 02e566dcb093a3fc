"""Activity pages: the list, the GOV.UK form that plans and changes an activity, the detail."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from coproduce.engagement.ladder import EngagementForm, Rung
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import activity_create, participation_record
from tests.conftest import World
from tests.engagement.conftest import plan

QueryCounter = Callable[..., AbstractContextManager[Any]]

VALID = {
    "title": "Reading group",
    "description": "",
    "form": "involve",
    "rung": "",
    "rung_reason": "",
    "co_stage": "deliver",
    "citizen_role": "co-implementer",
    "channels": ["leaflet", "website"],
    "audience": "Adults",
    "starts_on": "2026-02-01",
    "ends_on": "",
    "cost_amount": "120.50",
    "cost_currency": "gbp",
    "staff_hours": "4",
    "volunteer_hours": "0",
}


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def new_url(world: World) -> str:
    return f"/engagement/services/{world.service_a.reference}/activities/new/"


def test_staff_plan_an_activity_with_the_forms_usual_rung(world: World) -> None:
    response = client_for(world, "staff of A").post(new_url(world), VALID)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/engagement/services/{world.service_a.reference}/activities/{activity.pk}/"
    )
    assert activity.rung == Rung.PLACATION
    assert activity.channels == ["leaflet", "website"]
    assert activity.cost_currency == "GBP"
    assert str(activity.cost_amount) == "120.50"


def test_the_form_shows_each_forms_usual_rung_and_range_as_hint(world: World) -> None:
    body = client_for(world, "manager of A").get(new_url(world)).content.decode()
    assert 'id="id_rung-hint"' in body
    assert 'aria-describedby="id_rung-hint"' in body
    assert "Inform: usually Informing; can be Manipulation to Informing." in body
    assert "Involve: usually Placation; can be Consultation to Partnership." in body
    assert "Empower: usually Delegated power; can be Partnership to Citizen control." in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"form": "inform", "rung": "6", "rung_reason": "We listen"}, "rung", "is outside what"),
        ({"rung": "6"}, "rung_reason", "Say why this activity is"),
        ({"ends_on": "2026-01-01"}, "ends_on", "The end date must be on or after the start date."),
        ({"cost_amount": "-5"}, "cost_amount", "greater than or equal to 0"),
    ],
)
def test_the_services_objections_are_shown_on_the_form_and_nothing_is_lost(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    data = {**VALID, "title": "Kept title", **changes}
    response = client_for(world, "staff of A").post(new_url(world), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "There is a problem" in body
    assert f'id="id_{field}-error"' in body
    assert message in body.replace("&quot;", '"')
    assert 'value="Kept title"' in body
    assert 'value="leaflet" checked' in body
    assert response.context["form"].errors[field]


def test_a_changed_rung_with_a_reason_is_kept(world: World) -> None:
    data = {**VALID, "rung": "6", "rung_reason": "Members vote on the programme."}
    client_for(world, "staff of A").post(new_url(world), data)
    activity = Activity.objects.get()
    assert activity.rung == Rung.PARTNERSHIP
    assert activity.rung_reason == "Members vote on the programme."


def test_staff_change_an_activity(world: World, activity: Activity) -> None:
    url = f"/engagement/services/{world.service_a.reference}/activities/{activity.pk}/edit/"
    client = client_for(world, "manager of A")
    form = client.get(url).context["form"]
    assert form.initial["title"] == "Knit and natter"
    response = client.post(url, {**VALID, "title": "Knit, natter and plan", "form": "collaborate"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Knit, natter and plan"
    assert activity.form == EngagementForm.COLLABORATE
    assert activity.rung == Rung.PARTNERSHIP


def test_a_commissioner_cannot_post_an_activity(world: World) -> None:
    response = client_for(world, "commissioner").post(new_url(world), VALID)
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_an_activity_of_another_service_is_not_found_under_this_one(
    world: World, activity: Activity
) -> None:
    from coproduce.organisations.models import Sector
    from coproduce.organisations.services import service_create

    other = service_create(
        name="Other", sector=Sector.LIBRARY, provider=world.library_a, area=world.parish
    )
    url = f"/engagement/services/{other.reference}/activities/{activity.pk}/"
    assert client_for(world, "staff of A").get(url).status_code == 404


def _record(activity: Activity, key: str, people: int = 1, **kwargs: Any) -> None:
    participation_record(
        activity=activity,
        kind=kwargs.pop("kind", ParticipationKind.ATTENDED_EVENT),
        channel=ArrivalChannel.IN_PERSON,
        act_key=key,
        people=people,
        occurred_at=datetime(2026, 1, 10, tzinfo=UTC),
        **kwargs,
    )


def test_the_detail_shows_the_activitys_participation_totals(
    world: World, activity: Activity
) -> None:
    from coproduce.accounts.services import participant_create

    person = participant_create(user=None)
    _record(activity, "a", people=7)
    _record(activity, "b", participant=person)
    _record(activity, "c", participant=person, kind=ParticipationKind.VOLUNTEERED)
    url = f"/engagement/services/{world.service_a.reference}/activities/{activity.pk}/"
    response = client_for(world, "commissioner").get(url)
    totals = response.context["totals"]
    assert (totals.people, totals.records, totals.participants) == (9, 3, 1)
    assert totals.repeat_participants == 1
    assert {(k.kind, k.people) for k in totals.by_kind} == {
        ("attended-event", 8),
        ("volunteered", 1),
    }
    body = response.content.decode()
    assert 'data-total="people">9<' in body
    assert "Change this activity" not in body  # the commissioner only reads


def test_the_list_costs_the_same_for_one_activity_or_many(
    world: World, django_assert_max_num_queries: QueryCounter
) -> None:
    for n in range(12):
        activity = activity_create(
            service=world.service_a, plan=plan(title=f"Activity {n}"), created_by=None
        )
        _record(activity, f"list:{n}", people=n + 1)
    client = client_for(world, "staff of A")
    url = f"/engagement/services/{world.service_a.reference}/activities/"
    # session, user, two-factor device, service, role (x2: view and run), activities
    # with their totals
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["activities"]) == 12
    assert sum(a.people for a in response.context["activities"]) == sum(range(1, 13))
