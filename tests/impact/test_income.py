"""Income and grants: recorded by the provider's managers, read with the year's costs,
shown in the reports; every bad field named and nothing saved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from coproduce.accounts.models import User
from coproduce.impact.costs import income_report
from coproduce.impact.models import Income
from coproduce.impact.value_services import IncomePlan, income_record
from tests.conftest import World

pytestmark = pytest.mark.django_db


def plan(**changes: object) -> IncomePlan:
    fields: dict[str, object] = {
        "received_on": date(2026, 4, 1), "source": "Eastmere County Council", "kind": "grant",
        "amount": Decimal("2000"), "currency": "GBP", "note": "Library service grant",
    }  # fmt: skip
    return IncomePlan(**{**fields, **changes})  # type: ignore[arg-type]


def manager(world: World) -> User:
    user = world.users["manager of A"]
    assert user is not None
    return user


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def test_the_year_totals_each_currency_apart(world: World) -> None:
    for changes in ({}, {"amount": Decimal("500"), "kind": "donation"},
                    {"amount": Decimal("300"), "currency": "EUR"},
                    {"received_on": date(2025, 12, 31)}):  # fmt: skip
        income_record(service=world.service_a, plan=plan(**changes), by=manager(world))
    report = income_report(world.service_a, 2026)
    assert len(report.rows) == 3
    assert report.totals == {"GBP": Decimal("2500.00"), "EUR": Decimal("300.00")}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "  "}, "source"),
        ({"kind": "windfall"}, "kind"),
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"currency": "pounds"}, "currency"),
    ],
)
def test_bad_income_is_refused_by_field(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        income_record(service=world.service_a, plan=plan(**changes), by=manager(world))
    assert field in refused.value.message_dict
    assert not Income.objects.exists()


def test_income_received_tomorrow_is_refused(world: World) -> None:
    # Tomorrow is taken when the test runs, not when it is collected: a run that
    # crosses midnight made the collected "tomorrow" today.
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        income_record(service=world.service_a, plan=plan(received_on=tomorrow), by=manager(world))
    assert "received_on" in refused.value.message_dict
    assert not Income.objects.exists()


def test_only_the_providers_managers_record_income(world: World) -> None:
    for persona in ("staff of A", "manager of B", "commissioner"):
        user = world.users[persona]
        assert user is not None
        with pytest.raises(PermissionDenied):
            income_record(service=world.service_a, plan=plan(), by=user)
    assert not Income.objects.exists()


def test_the_page_lists_the_year_in_pinned_queries_for_the_funding_commissioner(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    income_record(service=world.service_a, plan=plan(), by=manager(world))
    client = client_for(world, "commissioner")
    url = f"/impact/services/{world.service_a.reference}/income/?year=2026"
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    assert "Eastmere County Council" in page
    assert "GBP 2000.00" in page
    assert "Record the income" not in page  # reading only


def test_a_manager_records_income_on_the_page_and_a_bad_amount_is_a_message(
    world: World,
) -> None:
    client = client_for(world, "manager of A")
    url = f"/impact/services/{world.service_a.reference}/income/"
    posted = {"received_on": "2026-04-01", "source": "National Lottery Community Fund",
              "kind": "grant", "amount": "-10", "currency": "GBP", "note": ""}  # fmt: skip
    refused = client.post(url, posted)
    assert refused.status_code == 200
    assert "Enter an amount more than 0." in refused.content.decode()
    assert not Income.objects.exists()
    saved = client.post(url, {**posted, "amount": "1500"})
    assert saved.status_code == 302
    assert saved["Location"].endswith("/income/?year=2026")
    assert Income.objects.get().source == "National Lottery Community Fund"


def test_staff_who_are_not_managers_cannot_post(world: World) -> None:
    url = f"/impact/services/{world.service_a.reference}/income/"
    posted = {"received_on": "2026-04-01", "source": "A", "kind": "grant", "amount": "1",
              "currency": "GBP"}  # fmt: skip
    assert client_for(world, "staff of A").post(url, posted).status_code == 403
    assert client_for(world, "commissioner").post(url, posted).status_code == 403
    assert not Income.objects.exists()
