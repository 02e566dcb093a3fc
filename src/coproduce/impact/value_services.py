"""Every write about social value and costs: proxies, the price index, hour rates, a
service's analysis of a year with its valued outcomes, and the income it received.

The provider's managers make these commitments (as they confirm licences). Each function
checks permission first, checks every field before it writes, names the field at fault,
and runs in one transaction.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.organisations.models import Organisation, Service
from coproduce.organisations.permissions import require_manager

from .instruments import measure_choices
from .models import (
    FinancialProxy,
    HourRates,
    Income,
    IncomeKind,
    Outcome,
    PriceIndexPoint,
    SocialValueAnalysis,
    Valuation,
)

HUNDRED = Decimal("100")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _currency_error(code: str) -> str | None:
    if len(code) == 3 and code.isalpha() and code.isupper():
        return None
    return _("Enter a three-letter ISO 4217 currency code, such as GBP.")


def _year_error(year: int) -> str | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return _("Enter a year between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def proxies_usable_by(organisation: Organisation) -> "QuerySet[FinancialProxy]":
    """The product's defaults and the organisation's own proxies."""
    return FinancialProxy.objects.filter(Q(organisation=None) | Q(organisation=organisation))


# ---------------------------------------------------------------------------------------
# Financial proxies


@dataclass(frozen=True)
class ProxyPlan:
    name: str
    unit: str
    value: Decimal
    currency: str
    price_year: int
    source: str
    source_url: str = ""
    licence_note: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    measure: str = ""


def _check_proxy(plan: ProxyPlan) -> None:
    errors: dict[str, str] = {}
    if not plan.name.strip():
        errors["name"] = _("Name the proxy.")
    if not plan.source.strip():
        errors["source"] = _(
            "Enter the source of the value: the publication, its author and year, or its "
            "address. A value without a source is not used."
        )
    if plan.value < 0:
        errors["value"] = _("The value cannot be negative.")
    if plan.low is not None and plan.low > plan.value:
        errors["low"] = _("The low value cannot be more than the value.")
    if plan.high is not None and plan.high < plan.value:
        errors["high"] = _("The high value cannot be less than the value.")
    if message := _currency_error(plan.currency):
        errors["currency"] = message
    if message := _year_error(plan.price_year):
        errors["price_year"] = message
    if plan.measure and plan.measure not in {key for key, _label in measure_choices()}:
        errors["measure"] = _("Choose one of the instruments’ measures, or none.")
    _raise(errors)


@transaction.atomic
def proxy_save(
    *, organisation: Organisation, proxy: FinancialProxy | None, plan: ProxyPlan, by: User
) -> FinancialProxy:
    """Add a proxy to the organisation's table, or change one of its own (never a
    product default)."""
    require_manager(by, organisation)
    if proxy is not None and proxy.organisation_id != organisation.pk:
        raise ValidationError(_("Only the organisation’s own proxies can be changed."))
    _check_proxy(plan)
    proxy = proxy or FinancialProxy(organisation=organisation)
    for name in ("name", "unit", "source", "source_url", "licence_note"):
        setattr(proxy, name, getattr(plan, name).strip())
    proxy.value, proxy.low, proxy.high = plan.value, plan.low, plan.high
    proxy.currency, proxy.price_year, proxy.measure = plan.currency, plan.price_year, plan.measure
    proxy.full_clean(exclude=["organisation"])
    proxy.save()
    return proxy


# ---------------------------------------------------------------------------------------
# The price index and hour rates


@transaction.atomic
def price_index_set(
    *, organisation: Organisation, year: int, value: Decimal, source: str, by: User
) -> PriceIndexPoint:
    """Enter (or correct) one year of the organisation's price index, with its source."""
    require_manager(by, organisation)
    errors: dict[str, str] = {}
    if message := _year_error(year):
        errors["year"] = message
    if value <= 0:
        errors["value"] = _("An index value is more than 0.")
    if not source.strip():
        errors["source"] = _("Enter the series the value comes from, such as the GDP deflator.")
    _raise(errors)
    point, _created = PriceIndexPoint.objects.update_or_create(
        organisation=organisation, year=year, defaults={"value": value, "source": source.strip()}
    )
    return point


@transaction.atomic
def hour_rates_set(
    *, organisation: Organisation, currency: str, staff: Decimal, volunteer: Decimal, by: User
) -> HourRates:
    require_manager(by, organisation)
    errors: dict[str, str] = {}
    if message := _currency_error(currency):
        errors["currency"] = message
    for field, rate in (("staff", staff), ("volunteer", volunteer)):
        if rate < 0:
            errors[field] = _("A rate cannot be negative.")
    _raise(errors)
    rates, _created = HourRates.objects.update_or_create(
        organisation=organisation,
        defaults={"currency": currency, "staff": staff, "volunteer": volunteer},
    )
    return rates


# ---------------------------------------------------------------------------------------
# A service's analysis and its valued outcomes


@transaction.atomic
def analysis_set(
    *, service: Service, year: int, discount_rate: Decimal, by: User
) -> SocialValueAnalysis:
    require_manager(by, service.provider)
    if not 0 <= discount_rate <= HUNDRED:
        raise ValidationError({"discount_rate": _("Enter a rate between 0 and 100 %.")})
    _raise({"year": message} if (message := _year_error(year)) else {})
    analysis, _created = SocialValueAnalysis.objects.update_or_create(
        service=service, year=year, defaults={"discount_rate": discount_rate}
    )
    return analysis


@dataclass(frozen=True)
class ValuationPlan:
    outcome: Outcome
    proxy: FinancialProxy
    quantity: Decimal | None = None
    quantity_note: str = ""
    deadweight: Decimal = Decimal("0")
    attribution: Decimal = Decimal("0")
    displacement: Decimal = Decimal("0")
    drop_off: Decimal = Decimal("0")
    duration: int = 1


SHARES = ("deadweight", "attribution", "displacement", "drop_off")


def _check_shares(plan: ValuationPlan) -> dict[str, str]:
    errors = {
        share: _("Enter a share between 0 and 100 %.")
        for share in SHARES
        if not 0 <= getattr(plan, share) <= HUNDRED
    }
    if not errors and plan.deadweight + plan.attribution > HUNDRED:
        errors["attribution"] = _(
            "Deadweight and attribution together cannot be more than 100 %: nothing would "
            "be left to the service."
        )
    return errors


def _check_quantity(plan: ValuationPlan) -> dict[str, str]:
    if plan.quantity is None:
        if plan.proxy.measure:
            return {}
        return {
            "quantity": _(
                "Enter the quantity: this proxy is not tied to a measure whose results "
                "could give it."
            )
        }
    if plan.quantity < 0:
        return {"quantity": _("The quantity cannot be negative.")}
    if not plan.quantity_note.strip():
        return {"quantity_note": _("Say where the quantity you entered comes from.")}
    return {}


def _check_valuation(service: Service, plan: ValuationPlan) -> None:
    errors = {**_check_shares(plan), **_check_quantity(plan)}
    if plan.outcome.service_id != service.pk:
        errors["outcome"] = _("Choose an outcome of this service.")
    if plan.proxy.organisation_id not in (None, service.provider_id):
        errors["proxy"] = _("Choose a proxy of the product or of %(provider)s.") % {
            "provider": service.provider.name
        }
    if plan.duration < 1:
        errors["duration"] = _("An outcome lasts at least one year.")
    _raise(errors)


@transaction.atomic
def valuation_save(
    *, service: Service, year: int, valuation: Valuation | None, plan: ValuationPlan, by: User
) -> Valuation:
    """Value one of the service's outcomes in its analysis of ``year`` (begun at the Green
    Book rate when there is none), or change the valuation."""
    require_manager(by, service.provider)
    _check_valuation(service, plan)
    _raise({"year": message} if (message := _year_error(year)) else {})
    analysis, _created = SocialValueAnalysis.objects.get_or_create(service=service, year=year)
    taken = Valuation.objects.filter(analysis=analysis, outcome=plan.outcome)
    if valuation is not None:
        taken = taken.exclude(pk=valuation.pk)
    if taken.exists():
        raise ValidationError({"outcome": _("This outcome is already valued in this year.")})
    valuation = valuation or Valuation(analysis=analysis)
    for name in ("outcome", "proxy", "quantity", "duration", *SHARES):
        setattr(valuation, name, getattr(plan, name))
    valuation.quantity_note = plan.quantity_note.strip()
    valuation.full_clean(exclude=["analysis"], validate_unique=False)
    valuation.save()
    return valuation


# ---------------------------------------------------------------------------------------
# Income and grants


@dataclass(frozen=True)
class IncomePlan:
    received_on: date
    source: str
    kind: str
    amount: Decimal
    currency: str
    note: str = ""


@transaction.atomic
def income_record(*, service: Service, plan: IncomePlan, by: User) -> Income:
    """Record money the service received: a grant, a contract, a donation, earned income."""
    require_manager(by, service.provider)
    errors: dict[str, str] = {}
    if not plan.source.strip():
        errors["source"] = _("Say who the money came from.")
    if plan.kind not in IncomeKind.values:
        errors["kind"] = _("Choose what kind of income it is.")
    if plan.amount <= 0:
        errors["amount"] = _("Enter an amount more than 0.")
    if message := _currency_error(plan.currency):
        errors["currency"] = message
    if plan.received_on > timezone.localdate():
        errors["received_on"] = _(
            "Enter the day the money arrived: money not yet received is not recorded."
        )
    _raise(errors)
    return Income.objects.create(
        service=service,
        received_on=plan.received_on,
        source=plan.source.strip(),
        kind=plan.kind,
        amount=plan.amount,
        currency=plan.currency,
        note=plan.note.strip(),
        recorded_by=by,
    )
