"""Reads for a service's social value in a year: the screens over ``analysis.social_value``.

Each valued outcome becomes an ``analysis.social_value.Outcome`` (shares from per cent
to fractions; the quantity entered, or for a proxy tied to a measure, the mean change
times the pairs of the impact results); the investment is the year's cost of
engagement. Anything that would make a figure dishonest (a missing price-index year, a
proxy in another currency than the investment, a quantity the results cannot give) is
listed as a problem naming what to fix, and then nothing is computed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from coproduce.analysis import social_value as sv
from coproduce.organisations.models import Organisation, Service
from coproduce.organisations.permissions import can_manage_members, can_view_dashboard

from .costs import CostReport, cost_report, index_values, price_index
from .models import Indicator, Outcome, SocialValueAnalysis, Valuation
from .selectors import IndicatorResult, indicator_results

HUNDRED = 100.0


@dataclass(frozen=True)
class OrganisationAccess:
    organisation: Organisation
    can_edit: bool


def organisation_access(
    user: AbstractBaseUser | AnonymousUser, slug: str, *, edit: bool = False
) -> OrganisationAccess:
    """An organisation's proxies, price index and rates: its working members read them,
    its managers change them; otherwise 403."""
    organisation = get_object_or_404(Organisation, slug=slug)
    can_edit = can_manage_members(user, organisation)
    if not (can_edit if edit else can_view_dashboard(user, organisation)):
        raise PermissionDenied
    return OrganisationAccess(organisation, can_edit)


def analysis_of(service: Service, year: int) -> SocialValueAnalysis | None:
    return SocialValueAnalysis.objects.filter(service=service, year=year).first()


def valuations(analysis: SocialValueAnalysis) -> list[Valuation]:
    return list(
        Valuation.objects.filter(analysis=analysis)
        .select_related("outcome", "proxy")
        .order_by("outcome__title", "pk")
    )


def outcomes_with_indicators(service: Service) -> list[Outcome]:
    return list(
        Outcome.objects.filter(service=service).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("title"))
        )
    )


@dataclass
class Row:
    valuation: Valuation
    quantity: float | None = None
    from_results: bool = False
    present_value: float | None = None


def assumption_name(assumption: str) -> str:
    """An assumption's name on the page (the analysis names them as its fields)."""
    names = {
        "deadweight": _("deadweight"),
        "attribution": _("attribution"),
        "displacement": _("displacement"),
        "drop_off": _("drop-off"),
        "proxy": _("proxy value"),
        "duration": _("duration (years)"),
        "discount rate": _("discount rate"),
    }
    return names.get(assumption, assumption)


@dataclass(frozen=True)
class BreakEven:
    """An assumption moved alone, and the value of it at which the ratio would be 1."""

    variation: sv.Variation
    value: float | None  # None: no value in the assumption's range brings the ratio to 1

    @property
    def assumption(self) -> str:
        return assumption_name(self.variation.assumption)

    @property
    def label(self) -> str:
        """Which assumption, in words: "the deadweight of Less isolation"."""
        if not self.variation.outcome:
            return _("the %(assumption)s") % {"assumption": self.assumption}
        return _("the %(assumption)s of %(outcome)s") % {
            "assumption": self.assumption,
            "outcome": self.variation.outcome,
        }


@dataclass
class SocialValueReport:
    year: int
    analysis: SocialValueAnalysis | None
    costs: CostReport
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    result: sv.Sroi | None = None
    # Every assumption moved alone, the largest swing first, each with its break-even.
    sensitivity: list[BreakEven] = field(default_factory=list)

    @property
    def break_even(self) -> BreakEven | None:
        """The most uncertain assumption's (the largest swing)."""
        return self.sensitivity[0] if self.sensitivity else None

    @property
    def rate(self) -> Decimal:
        return self.analysis.discount_rate if self.analysis else Decimal("3.5")


def _from_results(valuation: Valuation, results: list[IndicatorResult]) -> float | None:
    """Mean change times pairs of the proxy's measure for the outcome (WELLBYs for the
    life-satisfaction WELLBY), or None when no unsuppressed result gives it."""
    for result in results:
        indicator = result.indicator
        measure = f"{indicator.instrument}:{indicator.measure}"
        change = result.change
        if indicator.outcome_id != valuation.outcome_id or measure != valuation.proxy.measure:
            continue
        if change is not None and not change.suppressed and change.mean_change is not None:
            return change.mean_change * change.attrition.paired
    return None


def _quantities(service: Service, rows: list[Row], problems: list[str]) -> None:
    needs_results = any(row.valuation.quantity is None for row in rows)
    results = indicator_results(service) if needs_results else []
    for row in rows:
        if row.valuation.quantity is not None:
            row.quantity = float(row.valuation.quantity)
            continue
        row.quantity, row.from_results = _from_results(row.valuation, results), True
        if row.quantity is None:
            problems.append(
                _(
                    "%(outcome)s: the results give no quantity yet (no indicator on the "
                    "proxy’s measure, or under 10 pairs). Enter the quantity, with a note."
                )
                % {"outcome": row.valuation.outcome.title}
            )
        elif row.quantity < 0:
            problems.append(
                _(
                    "%(outcome)s: the measure fell on average (%(quantity).2f), so there is "
                    "no gain to value."
                )
                % {"outcome": row.valuation.outcome.title, "quantity": row.quantity}
            )


def _index_for(rows: list[Row], year: int, entered: dict[int, Decimal]) -> dict[int, float]:
    """The index the uprating needs; a proxy of the base year needs none."""
    index = {point: float(value) for point, value in entered.items()}
    if all(row.valuation.proxy.price_year == year for row in rows):
        index.setdefault(year, 1.0)  # the ratio of a year to itself is 1, whatever the index
    return index


def _index_problems(rows: list[Row], year: int, index: dict[int, float]) -> list[str]:
    problems = []
    for row in rows:
        proxy = row.valuation.proxy
        missing = sorted({proxy.price_year, year} - set(index))
        if missing:
            problems.append(
                _(
                    "Add the price index for %(years)s: it uprates %(proxy)s from %(from)s "
                    "prices to %(to)s prices."
                )
                % {
                    "years": ", ".join(map(str, missing)),
                    "proxy": proxy.name,
                    "from": proxy.price_year,
                    "to": year,
                }
            )
    return sorted(set(problems))


def _currency_problems(rows: list[Row], costs: CostReport) -> list[str]:
    if costs.cost is None:
        return [_("No investment: %(problem)s") % {"problem": costs.problem}]
    if costs.cost.total <= 0:
        return [_("The cost of engagement of this year is 0: there is no ratio to compute.")]
    return [
        _(
            "%(proxy)s is in %(proxy_currency)s and the investment in %(currency)s: values "
            "are never converted. Choose a proxy in %(currency)s."
        )
        % {
            "proxy": row.valuation.proxy.name,
            "proxy_currency": row.valuation.proxy.currency,
            "currency": costs.cost.currency,
        }
        for row in rows
        if row.valuation.proxy.currency != costs.cost.currency
    ]


def _outcome(row: Row) -> sv.Outcome:
    valuation = row.valuation
    return sv.Outcome(
        name=valuation.outcome.title,
        quantity=row.quantity or 0.0,
        proxy=float(valuation.proxy.value),
        price_year=valuation.proxy.price_year,
        deadweight=float(valuation.deadweight) / HUNDRED,
        attribution=float(valuation.attribution) / HUNDRED,
        displacement=float(valuation.displacement) / HUNDRED,
        drop_off=float(valuation.drop_off) / HUNDRED,
        duration=valuation.duration,
    )


def _compute(report: SocialValueReport, investment: float, index: dict[int, float]) -> None:
    outcomes = [_outcome(row) for row in report.rows]
    year, rate = report.year, float(report.rate) / HUNDRED
    report.result = sv.sroi(outcomes, investment, base_year=year, index=index, rate=rate)
    for row in report.rows:
        row.present_value = report.result.present_values[row.valuation.outcome.title]
    report.sensitivity = [
        BreakEven(
            variation,
            sv.break_even(
                outcomes,
                investment,
                outcome=variation.outcome,
                assumption=variation.assumption,
                base_year=year,
                index=index,
                rate=rate,
            ),
        )
        for variation in sv.sensitivity(
            outcomes, investment, base_year=year, index=index, rate=rate
        )
    ]


def social_value_report(service: Service, year: int) -> SocialValueReport:
    """The service's valued outcomes in ``year``, their present values, the SROI ratio,
    its sensitivity with each assumption's break-even; or the problems."""
    analysis = analysis_of(service, year)
    entered = index_values(price_index(service.provider))
    report = SocialValueReport(year, analysis, cost_report(service, year, index=entered))
    if analysis is None:
        return report
    report.rows = [Row(valuation) for valuation in valuations(analysis)]
    if not report.rows:
        return report
    _quantities(service, report.rows, report.problems)
    index = _index_for(report.rows, year, entered)
    report.problems += _index_problems(report.rows, year, index)
    report.problems += _currency_problems(report.rows, report.costs)
    if not report.problems and report.costs.cost is not None:
        _compute(report, float(report.costs.cost.total), index)
    return report
