"""Reads for the cost of engagement of a service in a year (issue #7, point 5).

The sums are done in the database (activities grouped by currency, approved hours, the
ledger's distinct people: one query each); the arithmetic is ``analysis.costs``.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from coproduce.analysis.costs import (
    HOUSEHOLD_BENCHMARK,
    Benchmark,
    CostError,
    EngagementCost,
    EngagementInputs,
    engagement_cost,
    per_head,
    uprated,
)
from coproduce.analysis.costs import HourRates as Rates
from coproduce.engagement.models import Activity, ParticipationRecord
from coproduce.organisations.models import Organisation, Service
from coproduce.volunteering.models import HoursEntry, HoursStatus

from .models import HourRates, Income, PriceIndexPoint

ZERO = Decimal("0")


def price_index(organisation: Organisation) -> list[PriceIndexPoint]:
    return list(PriceIndexPoint.objects.filter(organisation=organisation).order_by("year"))


def index_values(points: list[PriceIndexPoint]) -> dict[int, Decimal]:
    return {point.year: point.value for point in points}


def hour_rates(organisation: Organisation) -> HourRates | None:
    return HourRates.objects.filter(organisation=organisation).first()


def default_volunteer_rate() -> Decimal:
    return Decimal(settings.COPRODUCE_VOLUNTEER_HOUR_VALUE)


@dataclass(frozen=True)
class Hours:
    staff: Decimal
    on_activities: Decimal  # volunteer hours entered on the activities
    approved: Decimal  # approved volunteering hours of the service's opportunities

    @property
    def volunteer(self) -> Decimal:
        return self.on_activities + self.approved


def _activity_sums(service: Service, year: int) -> tuple[dict[str, Decimal], Decimal, Decimal]:
    """Money per currency, staff hours and volunteer hours of the year's activities."""
    rows = (
        Activity.objects.filter(service=service, starts_on__year=year)
        .order_by()
        .values("cost_currency")
        .annotate(money=Sum("cost_amount"), staff=Sum("staff_hours"), vol=Sum("volunteer_hours"))
    )
    money: dict[str, Decimal] = {}
    staff = volunteer = ZERO
    for row in rows:
        money[row["cost_currency"]] = money.get(row["cost_currency"], ZERO) + row["money"]
        staff += row["staff"]
        volunteer += row["vol"]
    return money, staff, volunteer


def _approved_hours(service: Service, year: int) -> Decimal:
    total: Decimal | None = HoursEntry.objects.filter(
        opportunity__service=service, status=HoursStatus.APPROVED, worked_on__year=year
    ).aggregate(total=Sum("hours"))["total"]
    return total or ZERO


def participants(service: Service, year: int) -> int:
    """Distinct people in the ledger: each known participant once, and each anonymous
    count as the people it records."""
    totals = ParticipationRecord.objects.filter(
        activity__service=service, occurred_at__year=year
    ).aggregate(
        known=Count("participant", distinct=True),
        anonymous=Coalesce(Sum("people", filter=Q(participant__isnull=True)), 0),
    )
    return int(totals["known"]) + int(totals["anonymous"])


@dataclass(frozen=True)
class CostReport:
    year: int
    hours: Hours
    money: dict[str, Decimal]
    rates: HourRates | None
    participants: int
    households: int | None
    cost: EngagementCost | None = None
    problem: str = ""  # why no cost was computed, naming what to enter
    benchmark: Benchmark | None = None
    benchmark_problem: str = ""

    @property
    def per_participant(self) -> Decimal | None:
        return per_head(self.cost.total, self.participants) if self.cost else None

    @property
    def per_household(self) -> Decimal | None:
        return per_head(self.cost.total, self.households) if self.cost else None


def _cost(money: dict[str, Decimal], hours: Hours, rates: HourRates | None) -> EngagementCost:
    """The cost; ValueError with a message for the page when it cannot be computed."""
    if rates is None:
        raise ValueError(
            _(
                "No hour rates are entered: a manager of the provider enters what an hour "
                "of staff time is worth."
            )
        )
    try:
        return engagement_cost(
            EngagementInputs(money, staff_hours=hours.staff, volunteer_hours=hours.volunteer),
            Rates(rates.currency, staff=rates.staff, volunteer=rates.volunteer),
        )
    except CostError as error:
        if error.field != "cost_currency":
            raise ValueError(error.message) from error
        raise ValueError(
            _(
                "Activities of this year are costed in %(currencies)s and the hour rates are "
                "in %(currency)s: amounts in different currencies are not added. Change the "
                "activities’ currency or the rates’."
            )
            % {"currencies": ", ".join(sorted(money)), "currency": rates.currency}
        ) from error


def _benchmark(cost: EngagementCost, year: int, index: dict[int, Decimal]) -> Benchmark:
    if cost.currency != HOUSEHOLD_BENCHMARK.currency:
        raise ValueError(
            _("The benchmark is in pounds and the cost in %(currency)s: it is not converted.")
            % {"currency": cost.currency}
        )
    missing = sorted({HOUSEHOLD_BENCHMARK.price_year, year} - set(index))
    if missing:
        raise ValueError(
            _("To uprate the benchmark from 2005 prices, add the price index for %(years)s.")
            % {"years": ", ".join(map(str, missing))}
        )
    return uprated(HOUSEHOLD_BENCHMARK, year, index)


def cost_report(service: Service, year: int, *, index: dict[int, Decimal]) -> CostReport:
    """The service's cost of engagement in ``year``, per participant and per household,
    beside the review's benchmark uprated with the provider's ``index``."""
    money, staff, on_activities = _activity_sums(service, year)
    hours = Hours(staff, on_activities, _approved_hours(service, year))
    rates = hour_rates(service.provider)
    report = CostReport(
        year, hours, money, rates, participants(service, year), service.area.households
    )
    try:
        cost = _cost(money, hours, rates)
    except ValueError as error:
        return replace(report, problem=str(error))
    try:
        return replace(report, cost=cost, benchmark=_benchmark(cost, year, index))
    except ValueError as error:
        return replace(report, cost=cost, benchmark_problem=str(error))


@dataclass(frozen=True)
class IncomeReport:
    """The money a service received in a year, and its total in each currency (amounts
    in different currencies are never added)."""

    year: int
    rows: list[Income]
    totals: dict[str, Decimal]


def income_report(service: Service, year: int) -> IncomeReport:
    rows = list(
        Income.objects.filter(service=service, received_on__year=year).order_by("received_on", "pk")
    )
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row.currency] = totals.get(row.currency, Decimal("0")) + row.amount
    return IncomeReport(year=year, rows=rows, totals=totals)
