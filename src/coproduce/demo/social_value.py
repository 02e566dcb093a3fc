"""The demo's social value: hour rates, the library's own proxy, valued outcomes, and the
library's income of the year.

No price index is entered: the product ships none, and the demo invents none. The
library's proxy is in the analysis year's prices, so its SROI needs no uprating. The
refuge values its wellbeing with the shipped WELLBY (2019 prices): its page names the
index years a manager would add from a published series, and computes nothing until then.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.impact.costs import default_volunteer_rate
from coproduce.impact.models import FinancialProxy, Outcome
from coproduce.impact.value_services import (
    IncomePlan,
    ProxyPlan,
    ValuationPlan,
    hour_rates_set,
    income_record,
    proxy_save,
    valuation_save,
)
from coproduce.organisations.models import Service

WELLBY = "WELLBY (wellbeing-adjusted life year)"


def value_the_library(*, service: Service, outcome: Outcome, year: int, manager: User) -> None:
    """Its rates, its own proxy from its survey of regulars, and less isolation valued."""
    library = service.provider
    # No paid staff: the staff rate values the hours the county's library staff give.
    hour_rates_set(organisation=library, currency="GBP", staff=Decimal("14.50"),
                   volunteer=default_volunteer_rate(), by=manager)  # fmt: skip
    proxy = proxy_save(
        organisation=library,
        proxy=None,
        plan=ProxyPlan(
            name="A regular less isolated for a year",
            unit="One regular of the knit and natter or the talks who feels less lonely "
            "than a year before, for a year",
            value=Decimal("150"),
            low=Decimal("100"),
            high=Decimal("200"),
            currency="GBP",
            price_year=year,
            source=f"Ashmere Parva Community Library's survey of regulars, {year}: the median "
            "of what regulars said a year of the knit and natter and the talks is worth to "
            "them (a local willingness-to-pay question; unpublished, kept by the library)",
        ),
        by=manager,
    )
    _library_income(service, year, manager)
    valuation_save(
        service=service,
        year=year,
        valuation=None,
        plan=ValuationPlan(
            outcome=outcome,
            proxy=proxy,
            quantity=Decimal("18"),
            quantity_note=f"Regulars who said they feel less lonely than a year ago in the "
            f"library's survey of regulars, {year} (18 of the 31 who answered)",
            deadweight=Decimal("25"),
            attribution=Decimal("20"),
            drop_off=Decimal("50"),
            duration=2,
        ),
        by=manager,
    )


def _library_income(service: Service, year: int, manager: User) -> None:
    """The county's grant and the friends' donation: what its reports show as income."""
    today = timezone.localdate()
    for received, source, kind, amount, note in (
        (date(year, 4, 1), "Eastmere County Council", "grant", "2000",
         "Community library grant, April to March"),
        (date(year, 6, 14), "Friends of Ashmere Parva Library", "donation", "350",
         "Summer book sale"),
    ):  # fmt: skip
        income_record(
            service=service,
            plan=IncomePlan(received_on=min(received, today), source=source, kind=kind,
                            amount=Decimal(amount), currency="GBP", note=note),
            by=manager,
        )  # fmt: skip


def value_the_refuge(*, service: Service, outcome: Outcome, year: int, manager: User) -> None:
    """Its rates, and its wellbeing valued in WELLBYs from the ONS4 results."""
    hour_rates_set(organisation=service.provider, currency="GBP", staff=Decimal("17.00"),
                   volunteer=default_volunteer_rate(), by=manager)  # fmt: skip
    wellby = FinancialProxy.objects.filter(organisation=None, name=WELLBY).first()
    if wellby is None:  # a database flushed since its migrations shipped it
        return
    valuation_save(
        service=service,
        year=year,
        valuation=None,
        plan=ValuationPlan(
            outcome=outcome,
            proxy=wellby,
            deadweight=Decimal("20"),
            attribution=Decimal("30"),
        ),
        by=manager,
    )
