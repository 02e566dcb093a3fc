"""Social value and cost pages: thin; selectors and services check permission and rules."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.selectors import signed_in_user
from coproduce.core.forms import add_service_errors
from coproduce.core.views import form_page
from coproduce.engagement.selectors import service_for_runner
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_manage_members

from . import costs, selectors
from . import social_value as reads
from . import value_services as services
from .models import FinancialProxy, Valuation
from .value_forms import (
    AnalysisForm,
    HourRatesForm,
    IncomeForm,
    PriceIndexForm,
    ProxyForm,
    ValuationForm,
    YearForm,
)


def _saved(request: HttpRequest, form: Form, save: Callable[[], object], message: str) -> bool:
    """Validate and save a posted form; the service's refusal lands on its fields."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, message)
    return True


def _value_url(service: Service, year: int) -> str:
    return f"{reverse('impact:social_value', args=[service.reference])}?year={year}"


# ---------------------------------------------------------------------------------------
# The organisation's financial proxies, price index and hour rates


@login_required
def proxies(request: HttpRequest, slug: str) -> HttpResponse:
    access = reads.organisation_access(request.user, slug)
    return render(
        request,
        "impact/proxies.html",
        {
            "access": access,
            "organisation": access.organisation,
            "proxies": services.proxies_usable_by(access.organisation).order_by(
                "organisation", "name"
            ),
        },
    )


def _proxy_page(
    request: HttpRequest, slug: str, proxy: FinancialProxy | None, title: str
) -> HttpResponse:
    organisation = reads.organisation_access(request.user, slug, edit=True).organisation
    initial = ProxyForm.initial_of(proxy) if proxy else None
    form = ProxyForm(request.POST or None, initial=initial)

    def save() -> object:
        return services.proxy_save(
            organisation=organisation, proxy=proxy, plan=form.plan(), by=signed_in_user(request)
        )

    if _saved(request, form, save, _("The proxy is saved.")):
        return redirect("impact:proxies", slug=organisation.slug)
    back_url = reverse("impact:proxies", args=[organisation.slug])
    return form_page(request, form, title=title, caption=organisation.name, back_url=back_url)


@login_required
@require_http_methods(["GET", "POST"])
def proxy_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _proxy_page(request, slug, None, _("Add a financial proxy"))


@login_required
@require_http_methods(["GET", "POST"])
def proxy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # The product's defaults have no organisation, so nobody changes them here.
    proxy = get_object_or_404(
        FinancialProxy.objects.select_related("organisation"), pk=pk, organisation__isnull=False
    )
    title = _("Change the proxy: %(proxy)s") % {"proxy": proxy.name}
    return _proxy_page(request, proxy.organisation.slug, proxy, title)  # type: ignore[union-attr]


@login_required
@require_http_methods(["GET", "POST"])
def price_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's price index by year; its managers add a year here."""
    access = reads.organisation_access(request.user, slug)
    if request.method == "POST" and not access.can_edit:
        raise PermissionDenied
    form = PriceIndexForm(request.POST or None)

    def save() -> object:
        data = form.cleaned_data
        return services.price_index_set(
            organisation=access.organisation, by=signed_in_user(request), **data
        )

    if _saved(request, form, save, _("The index year is saved.")):
        return redirect("impact:price_index", slug=slug)
    points = costs.price_index(access.organisation)
    return render(
        request,
        "impact/price_index.html",
        {"access": access, "organisation": access.organisation, "form": form, "points": points},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hour_rates(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = reads.organisation_access(request.user, slug, edit=True).organisation
    rates = costs.hour_rates(organisation)
    initial = (
        {"currency": rates.currency, "staff": rates.staff, "volunteer": rates.volunteer}
        if rates
        else None
    )
    form = HourRatesForm(request.POST or None, initial=initial)

    def save() -> object:
        return services.hour_rates_set(
            organisation=organisation, by=signed_in_user(request), **form.cleaned_data
        )

    if _saved(request, form, save, _("The hour rates are saved.")):
        return redirect("impact:proxies", slug=slug)
    title, back_url = _("What an hour is worth"), reverse("impact:proxies", args=[slug])
    return form_page(request, form, title=title, caption=organisation.name, back_url=back_url)


# ---------------------------------------------------------------------------------------
# A service's cost of engagement and social value in a year


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    return form, form.chosen()


@login_required
def cost_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = selectors.results_access(request.user, reference)
    year_form, year = _year(request)
    index = costs.index_values(costs.price_index(access.service.provider))
    return render(
        request,
        "impact/costs.html",
        {
            "service": access.service,
            "year_form": year_form,
            "report": costs.cost_report(access.service, year, index=index),
            "can_manage": can_manage_members(request.user, access.service.provider),
        },
    )


@login_required
def social_value(request: HttpRequest, reference: str) -> HttpResponse:
    access = selectors.results_access(request.user, reference)
    year_form, year = _year(request)
    return render(
        request,
        "impact/social_value.html",
        {
            "service": access.service,
            "year_form": year_form,
            "report": reads.social_value_report(access.service, year),
            "can_manage": can_manage_members(request.user, access.service.provider),
        },
    )


def _manager_service(request: HttpRequest, reference: str) -> Service:
    service = service_for_runner(request.user, reference)
    if not can_manage_members(request.user, service.provider):
        raise PermissionDenied
    return service


def _back_to_value(service: Service, year: int) -> HttpResponse:
    return redirect(_value_url(service, year))


@login_required
@require_http_methods(["GET", "POST"])
def analysis_settings(request: HttpRequest, reference: str, year: int) -> HttpResponse:
    service = _manager_service(request, reference)
    analysis = reads.analysis_of(service, year)
    initial = {"discount_rate": analysis.discount_rate} if analysis else None
    form = AnalysisForm(request.POST or None, initial=initial)

    def save() -> object:
        return services.analysis_set(
            service=service, year=year, by=signed_in_user(request), **form.cleaned_data
        )

    if _saved(request, form, save, _("The discount rate is saved.")):
        return _back_to_value(service, year)
    title = _("Discount rate for %(year)s") % {"year": year}
    return form_page(
        request, form, title=title, caption=service.name, back_url=_value_url(service, year)
    )


def _valuation_page(
    request: HttpRequest, service: Service, year: int, valuation: Valuation | None
) -> HttpResponse:
    initial = ValuationForm.initial_of(valuation) if valuation else None
    form = ValuationForm(request.POST or None, initial=initial, service=service)

    def save() -> object:
        return services.valuation_save(
            service=service, year=year, valuation=valuation, plan=form.plan(),
            by=signed_in_user(request),
        )  # fmt: skip

    if _saved(request, form, save, _("The valued outcome is saved.")):
        return _back_to_value(service, year)
    title = _("Value an outcome in %(year)s") % {"year": year}
    return form_page(
        request, form, title=title, caption=service.name, back_url=_value_url(service, year)
    )


@login_required
@require_http_methods(["GET", "POST"])
def valuation_new(request: HttpRequest, reference: str, year: int) -> HttpResponse:
    return _valuation_page(request, _manager_service(request, reference), year, None)


@login_required
@require_http_methods(["GET", "POST"])
def valuation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    valuation = get_object_or_404(
        Valuation.objects.select_related("analysis__service", "outcome", "proxy"), pk=pk
    )
    service = _manager_service(request, valuation.analysis.service.reference)
    return _valuation_page(request, service, valuation.analysis.year, valuation)


@login_required
@require_http_methods(["GET", "POST"])
def income(request: HttpRequest, reference: str) -> HttpResponse:
    """The money the service received in a year; its provider's managers record more."""
    access = selectors.results_access(request.user, reference)
    service = _manager_service(request, reference) if request.method == "POST" else access.service
    year_form, year = _year(request)
    form = IncomeForm(request.POST or None)

    def save() -> object:
        return services.income_record(service=service, plan=form.plan(), by=signed_in_user(request))

    if _saved(request, form, save, _("The income is recorded.")):
        received = form.cleaned_data["received_on"].year
        return redirect(f"{reverse('impact:income', args=[service.reference])}?year={received}")
    can_manage = can_manage_members(request.user, service.provider)
    return render(
        request,
        "impact/income.html",
        {
            "service": service,
            "year_form": year_form,
            "report": costs.income_report(service, year),
            "form": form if can_manage else None,
        },
    )
