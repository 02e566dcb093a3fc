from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.engagement.ladder import (
    ALLOWED_RUNGS,
    DEFAULT_RUNG,
    EngagementForm,
    OutreachChannel,
    Rung,
)
from coproduce.engagement.models import Activity
from coproduce.engagement.services import activity_create, activity_update
from tests.conftest import World
from tests.engagement.conftest import plan


@pytest.mark.parametrize("form", list(EngagementForm))
def test_each_form_starts_on_its_default_rung(world: World, form: EngagementForm) -> None:
    activity = activity_create(service=world.service_a, plan=plan(form=form), created_by=None)
    assert activity.rung == DEFAULT_RUNG[form]
    assert activity.rung_reason == ""


def test_every_default_rung_is_inside_its_forms_range() -> None:
    for form, rung in DEFAULT_RUNG.items():
        assert rung in ALLOWED_RUNGS[form]


def test_moving_the_rung_needs_a_reason_and_keeps_it(world: World) -> None:
    with pytest.raises(ValidationError, match="Say why this activity is “Partnership”"):
        activity_create(service=world.service_a, plan=plan(rung=Rung.PARTNERSHIP), created_by=None)
    assert not Activity.objects.exists()
    activity = activity_create(
        service=world.service_a,
        plan=plan(rung=Rung.PARTNERSHIP, rung_reason="Members vote on what the group makes"),
        created_by=None,
    )
    assert activity.rung == Rung.PARTNERSHIP
    assert activity.rung_reason == "Members vote on what the group makes"


def test_a_rung_outside_the_forms_range_is_refused_even_with_a_reason(world: World) -> None:
    with pytest.raises(ValidationError, match="outside what “Inform” can be"):
        activity_create(
            service=world.service_a,
            plan=plan(form=EngagementForm.INFORM, rung=Rung.CITIZEN_CONTROL, rung_reason="why not"),
            created_by=None,
        )
    assert not Activity.objects.exists()


def test_an_end_before_the_start_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="on or after the start"):
        activity_create(
            service=world.service_a,
            plan=plan(starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 1)),
            created_by=None,
        )
    assert not Activity.objects.exists()


def test_a_negative_cost_or_an_unknown_channel_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        activity_create(
            service=world.service_a, plan=plan(cost_amount=Decimal("-1")), created_by=None
        )
    with pytest.raises(ValidationError, match="Unknown channels: carrier-pigeon"):
        activity_create(
            service=world.service_a,
            plan=plan(channels=(OutreachChannel.LEAFLET, "carrier-pigeon")),
            created_by=None,
        )
    assert not Activity.objects.exists()


def test_costs_are_kept_as_exact_money(world: World) -> None:
    activity = activity_create(
        service=world.service_a,
        plan=plan(cost_amount=Decimal("120.10"), staff_hours=Decimal("3.5")),
        created_by=None,
    )
    activity.refresh_from_db()
    assert activity.cost_amount == Decimal("120.10")
    assert activity.cost_currency == "GBP"


@pytest.mark.parametrize("persona", ["volunteer of A", "manager of B", "commissioner", "resident"])
def test_only_the_providers_managers_and_staff_plan_activities(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        activity_create(service=world.service_a, plan=plan(), created_by=world.users[persona])


def test_an_update_is_checked_like_a_creation(world: World) -> None:
    activity = activity_create(service=world.service_a, plan=plan(), created_by=None)
    with pytest.raises(ValidationError):
        activity_update(
            activity=activity,
            plan=plan(form=EngagementForm.EMPOWER, rung=Rung.MANIPULATION, rung_reason="x"),
            updated_by=world.users["manager of A"],
        )
    activity.refresh_from_db()
    assert activity.form == EngagementForm.INVOLVE
