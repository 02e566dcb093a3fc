"""Social value and the cost of engagement: the worked example of docs/impact-methods.md
through the real services and pages, the WELLBY from the results, and every bad input
named by its field with nothing computed from it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.accounts.models import User
from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.impact import value_services as services
from coproduce.impact.costs import cost_report
from coproduce.impact.models import FinancialProxy, Outcome
from coproduce.impact.services import (
    IndicatorPlan,
    OutcomePlan,
    collection_switch_on,
    indicator_create,
    outcome_create,
)
from coproduce.impact.social_value import social_value_report
from tests.conftest import World
from tests.impact.conftest import pairs

METHODS = Path(__file__).resolve().parents[2] / "docs" / "impact-methods.md"
YEAR = 2024


@dataclass
class Example:
    manager: User
    isolation: Outcome
    wellbeing: Outcome
    local: FinancialProxy
    wellby: FinancialProxy


def _manager(world: World) -> User:
    user = world.users["manager of A"]
    assert user is not None
    return user


def _activity(world: World) -> Activity:
    return activity_create(
        service=world.service_a,
        plan=ActivityPlan(
            title="Knit and natter", form=EngagementForm.CONSULT, co_stage=CoStage.ASSESS,
            citizen_role=CitizenRole.CO_DESIGNER, starts_on=date(YEAR, 3, 1),
            cost_amount=Decimal("30000"), staff_hours=Decimal("400"),
            volunteer_hours=Decimal("200"),
        ),
        created_by=None,
    )  # fmt: skip


def _valuation(example: Example, outcome: Outcome, proxy: FinancialProxy, **plan: object) -> None:
    services.valuation_save(
        service=outcome.service,
        year=YEAR,
        valuation=None,
        plan=services.ValuationPlan(outcome=outcome, proxy=proxy, **plan),  # type: ignore[arg-type]
        by=example.manager,
    )


@pytest.fixture
def example(world: World) -> Example:
    """The worked example of docs/impact-methods.md, entered as a manager would."""
    manager, library = _manager(world), world.library_a
    for year, value in ((2019, "80"), (YEAR, "100")):
        services.price_index_set(organisation=library, year=year, value=Decimal(value),
                                 source="Worked example (illustrative)", by=manager)  # fmt: skip
    services.hour_rates_set(organisation=library, currency="GBP", staff=Decimal("20"),
                            volunteer=Decimal("10"), by=manager)  # fmt: skip
    _activity(world)
    local = services.proxy_save(
        organisation=library, proxy=None, by=manager,
        plan=services.ProxyPlan(
            name="Less isolated for a year", unit="one person", value=Decimal("1000"),
            currency="GBP", price_year=YEAR, source="Worked example (illustrative)",
        ),
    )  # fmt: skip
    outcomes = [
        outcome_create(service=world.service_a, plan=OutcomePlan(title=title), created_by=None)
        for title in ("Less isolation", "Wellbeing")
    ]
    built = Example(manager, *outcomes, local, FinancialProxy.objects.get(organisation=None))
    _valuation(built, built.isolation, local, quantity=Decimal("20"), quantity_note="counted",
               deadweight=Decimal("20"), attribution=Decimal("10"), drop_off=Decimal("50"),
               duration=2)  # fmt: skip
    _valuation(built, built.wellbeing, built.wellby, quantity=Decimal("5"), quantity_note="survey",
               deadweight=Decimal("30"), attribution=Decimal("20"))  # fmt: skip
    return built


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# The worked example


def test_the_shipped_wellby_carries_its_source_price_year_and_range(db: None) -> None:
    wellby = FinancialProxy.objects.get(organisation=None)
    assert (wellby.value, wellby.low, wellby.high) == (13000, 10000, 16000)
    assert (wellby.currency, wellby.price_year, wellby.measure) == ("GBP", 2019, "ons4:satisfied")
    assert "HM Treasury (2021), Wellbeing guidance for appraisal" in wellby.source
    assert FinancialProxy.objects.filter(organisation=None).count() == 1


def test_the_worked_example_gives_the_documented_figures(world: World, example: Example) -> None:
    report = social_value_report(world.service_a, YEAR)
    assert report.problems == []
    assert report.costs.cost is not None
    assert report.result is not None
    values = {row.valuation.outcome.title: row.present_value for row in report.rows}
    figures = {
        "investment": f"{report.costs.cost.total:,.2f}",
        "less isolation": f"{values['Less isolation']:,.2f}",
        "wellbeing": f"{values['Wellbeing']:,.2f}",
        "total": f"{report.result.total:,.2f}",
        "ratio": f"{report.result.ratio:.2f}",
    }
    assert figures == {
        "investment": "40,000.00",
        "less isolation": "20,634.32",
        "wellbeing": "43,961.35",
        "total": "64,595.67",
        "ratio": "1.61",
    }
    # The widest swing is the wellbeing outcome's duration, and a year already pays
    # back: no duration brings the ratio to 1. Each assumption has its break-even.
    assert report.break_even is not None
    most = report.break_even.variation
    assert (most.outcome, most.assumption) == ("Wellbeing", "duration")
    assert report.break_even.value is None
    found = {(b.variation.outcome, b.variation.assumption): b.value for b in report.sensitivity}
    assert found[("Wellbeing", "deadweight")] == pytest.approx(0.6916, abs=1e-4)
    written = METHODS.read_text()
    for figure in (*figures.values(), "0.692", "13,913.04", "6,721.28", "16,250"):
        assert figure in written, figure


def test_the_page_shows_the_ratio_sensitivity_and_break_even_in_pinned_queries(
    world: World, example: Example, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world, "commissioner")
    url = f"/impact/services/{world.service_a.reference}/social-value/?year={YEAR}"
    with django_assert_num_queries(15):
        page = client.get(url).content.decode()
    for text in (
        "1.61 : 1", "Sensitivity", "discount rate", "HM Treasury (2021)",
        "The most uncertain assumption is the duration (years) of Wellbeing: no value of it",
        "0.692",  # the wellbeing deadweight's break-even, in its row
    ):  # fmt: skip
        assert text in page


def test_the_cost_page_shares_the_cost_per_participant_and_household(
    world: World, example: Example, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    activity = Activity.objects.get(title="Knit and natter")
    for n, person in enumerate([participant_create(user=None) for _ in range(3)]):
        for visit in range(2):  # each person twice: counted once
            participation_record(
                activity=activity, kind=ParticipationKind.ATTENDED_EVENT,
                channel=ArrivalChannel.IN_PERSON, act_key=f"visit:{n}:{visit}",
                participant=person, occurred_at=datetime(YEAR, 4, 1, tzinfo=UTC),
            )  # fmt: skip
    participation_record(
        activity=activity, kind=ParticipationKind.ATTENDED_EVENT, people=12,
        channel=ArrivalChannel.IN_PERSON, act_key="drop-in",
        occurred_at=datetime(YEAR, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    world.parish.households = 800
    world.parish.save()
    services.price_index_set(
        organisation=world.library_a,
        year=2005,
        value=Decimal("60"),
        source="Example",
        by=example.manager,
    )
    client = client_for(world, "manager of A")
    with django_assert_num_queries(12):
        page = client.get(
            f"/impact/services/{world.service_a.reference}/costs/?year={YEAR}"
        ).content.decode()
    assert "GBP 2666.67" in page  # 40,000 / (3 people + 12 counted anonymously)
    assert "GBP 50.00" in page  # 40,000 / 800 households
    assert "£75.00–£100.00 in 2024 prices" in page  # £45–£60 x 100 / 60
    assert "indicative, not a target" in page


def test_without_the_2005_index_the_cost_page_names_the_year_to_add(
    world: World, example: Example
) -> None:
    report = cost_report(world.service_a, YEAR, index={YEAR: Decimal("100")})
    assert report.cost is not None
    assert report.benchmark is None
    assert "add the price index for 2005" in report.benchmark_problem


# ---------------------------------------------------------------------------------------
# The WELLBY from the impact results


def test_wellbys_come_from_the_mean_life_satisfaction_change_times_pairs(
    world: World, example: Example
) -> None:
    collection = collection_switch_on(
        service=world.service_a, instrument="ons4",
        activity=Activity.objects.get(title="Knit and natter"), switched_on_by=None,
    )  # fmt: skip
    pairs(collection, 10)  # changes 2, 3, 4, 2, 3, 4, 2, 3, 4, 2: mean 2.9
    plan = IndicatorPlan(title="Life satisfaction", measure="ons4:satisfied")
    indicator_create(outcome=example.wellbeing, plan=plan, created_by=None)
    valuation = example.wellbeing.valuations.get()
    services.valuation_save(
        service=world.service_a, year=YEAR, valuation=valuation, by=example.manager,
        plan=services.ValuationPlan(outcome=example.wellbeing, proxy=example.wellby),
    )  # fmt: skip
    report = social_value_report(world.service_a, YEAR)
    row = next(row for row in report.rows if row.valuation.outcome == example.wellbeing)
    assert row.from_results
    assert row.quantity == pytest.approx(29.0)


def test_without_enough_pairs_the_page_asks_for_the_quantity(
    world: World, example: Example
) -> None:
    valuation = example.wellbeing.valuations.get()
    services.valuation_save(
        service=world.service_a, year=YEAR, valuation=valuation, by=example.manager,
        plan=services.ValuationPlan(outcome=example.wellbeing, proxy=example.wellby),
    )  # fmt: skip
    report = social_value_report(world.service_a, YEAR)
    assert report.result is None
    assert any("Wellbeing: the results give no quantity yet" in p for p in report.problems)


# ---------------------------------------------------------------------------------------
# Bad input: named by field, nothing computed from it


def _error_fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.error_dict)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadweight": Decimal("60"), "attribution": Decimal("50")}, "attribution"),
        ({"displacement": Decimal("101")}, "displacement"),
        ({"drop_off": Decimal("-1")}, "drop_off"),
        ({"quantity": Decimal("-2"), "quantity_note": "x"}, "quantity"),
        ({"quantity": Decimal("2"), "quantity_note": " "}, "quantity_note"),
        ({"duration": 0}, "duration"),
    ],
)
def test_a_bad_valuation_is_refused_by_field(
    world: World, example: Example, changes: dict[str, object], field: str
) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Skills"), created_by=None
    )
    plan = {"quantity": Decimal("1"), "quantity_note": "counted", **changes}
    with pytest.raises(ValidationError) as error:
        _valuation(example, outcome, example.local, **plan)
    assert field in _error_fields(error)
    assert not outcome.valuations.exists()


def test_a_proxy_without_a_source_is_refused_on_the_page(world: World, example: Example) -> None:
    client = client_for(world, "manager of A")
    response = client.post(
        f"/impact/organisations/{world.library_a.slug}/proxies/new/",
        {"name": "Unsourced", "unit": "one", "value": "500", "currency": "GBP",
         "price_year": "2024", "source": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Enter the source: a value without a source is not used." in response.content.decode()
    assert not FinancialProxy.objects.filter(name="Unsourced").exists()
    with pytest.raises(ValidationError) as error:
        services.proxy_save(
            organisation=world.library_a, proxy=None, by=example.manager,
            plan=services.ProxyPlan(name="Unsourced", unit="one", value=Decimal("5"),
                                    currency="pounds", price_year=2024, source=" "),
        )  # fmt: skip
    assert _error_fields(error) == {"source", "currency"}


def test_a_negative_rate_is_refused_by_field(world: World, example: Example) -> None:
    response = client_for(world, "manager of A").post(
        f"/impact/organisations/{world.library_a.slug}/hour-rates/",
        {"currency": "GBP", "staff": "-5", "volunteer": "10"},
    )
    assert "A rate cannot be negative." in response.content.decode()
    assert world.library_a.hour_rates.staff == Decimal("20")


def test_a_proxy_in_another_currency_computes_nothing(world: World, example: Example) -> None:
    euro = services.proxy_save(
        organisation=world.library_a, proxy=None, by=example.manager,
        plan=services.ProxyPlan(name="Euro proxy", unit="one", value=Decimal("900"),
                                currency="EUR", price_year=YEAR, source="Somewhere, 2024"),
    )  # fmt: skip
    valuation = example.isolation.valuations.get()
    valuation.proxy = euro
    valuation.save()
    report = social_value_report(world.service_a, YEAR)
    assert report.result is None
    assert report.sensitivity == []
    assert any("Euro proxy is in EUR and the investment in GBP" in p for p in report.problems)


def test_a_missing_price_index_year_is_named(world: World, example: Example) -> None:
    world.library_a.price_index.filter(year=2019).delete()
    report = social_value_report(world.service_a, YEAR)
    assert report.result is None
    assert any("Add the price index for 2019" in p for p in report.problems)


def test_only_managers_value_outcomes(world: World, example: Example) -> None:
    staff = world.users["staff of A"]
    assert staff is not None
    with pytest.raises(PermissionDenied):
        services.valuation_save(
            service=world.service_a, year=YEAR, valuation=None, by=staff,
            plan=services.ValuationPlan(outcome=example.isolation, proxy=example.local),
        )  # fmt: skip
