"""Impact pages: thin; selectors and services check permission and rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.selectors import signed_in_user
from coproduce.core.forms import add_service_errors
from coproduce.core.views import form_page
from coproduce.engagement.selectors import service_for_runner, service_for_viewer
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_manage_members

from . import selectors, services
from .forms import IndicatorForm, LicenceForm, OutcomeForm, SwitchOnForm, WaveEntryForm
from .instruments import INSTRUMENTS, Instrument
from .models import CollectionForm, Outcome


def _instrument(slug: str) -> Instrument:
    instrument = INSTRUMENTS.get(slug)
    if instrument is None:
        raise Http404
    return instrument


@login_required
def framework(request: HttpRequest, reference: str) -> HttpResponse:
    """The service's theory of change: activities → outputs → outcomes → impact."""
    access = service_for_viewer(request.user, reference)
    switched_on = selectors.collections(access.service)
    return render(
        request,
        "impact/framework.html",
        {
            "access": access,
            "service": access.service,
            "outcomes": selectors.framework(access.service),
            "instrument_rows": [
                (instrument, switched_on.get(slug)) for slug, instrument in INSTRUMENTS.items()
            ],
        },
    )


def _outcome_page(
    request: HttpRequest, reference: str, outcome: Outcome | None, title: str
) -> HttpResponse:
    service = service_for_runner(request.user, reference)
    initial = OutcomeForm.initial_of(outcome) if outcome else None
    form = OutcomeForm(request.POST or None, initial=initial, service=service)
    if request.method == "POST" and form.is_valid():
        user = signed_in_user(request)
        try:
            if outcome is None:
                services.outcome_create(service=service, plan=form.plan(), created_by=user)
            else:
                services.outcome_update(outcome=outcome, plan=form.plan(), updated_by=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome is saved."))
            return redirect("impact:framework", reference=service.reference)
    return _service_form_page(request, service, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, reference: str) -> HttpResponse:
    return _outcome_page(request, reference, None, _("Add an outcome"))


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("service"), pk=pk)
    return _outcome_page(
        request,
        outcome.service.reference,
        outcome,
        _("Change the outcome: %(outcome)s") % {"outcome": outcome.title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = get_object_or_404(Outcome.objects.select_related("service"), pk=pk)
    service = service_for_runner(request.user, outcome.service.reference)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(
                outcome=outcome, plan=form.plan(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("impact:framework", reference=service.reference)
    title = _("Add an indicator: %(outcome)s") % {"outcome": outcome.title}
    return _service_form_page(request, service, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def switch_on(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    service = service_for_runner(request.user, reference)
    instrument = _instrument(slug)
    form = SwitchOnForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_switch_on(
                service=service,
                instrument=slug,
                activity=form.cleaned_data["activity"],
                switched_on_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(instrument)s is switched on: its two forms are published.")
                % {"instrument": instrument.name},
            )
            return redirect("impact:framework", reference=service.reference)
    return render(
        request,
        "impact/switch_on.html",
        {
            "service": service,
            "form": form,
            "instrument": instrument,
            "licence": services.licence_of(service.provider, slug),
            "can_confirm": can_manage_members(request.user, service.provider),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """A manager of the provider records the licence an instrument asks for."""
    service = service_for_runner(request.user, reference)
    instrument = _instrument(slug)
    if not can_manage_members(request.user, service.provider):
        raise PermissionDenied
    form = LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_confirm(
                organisation=service.provider,
                instrument=slug,
                holder=form.cleaned_data["holder"],
                reference=form.cleaned_data["reference"],
                confirmed_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The licence is recorded."))
            return redirect("impact:switch_on", reference=service.reference, slug=slug)
    return render(
        request,
        "impact/licence.html",
        {"service": service, "form": form, "instrument": instrument},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in one person's paper answers for one wave."""
    wave_form = get_object_or_404(
        CollectionForm.objects.select_related("collection__service", "questionnaire"), pk=pk
    )
    service = service_for_runner(request.user, wave_form.collection.service.reference)
    instrument = INSTRUMENTS[wave_form.collection.instrument]
    form = WaveEntryForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_answers_enter(
                form=wave_form, entry=form.entry(), recorded_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answers are saved."))
            return redirect("impact:enter", pk=wave_form.pk)
    return render(
        request,
        "impact/enter.html",
        {"service": service, "form": form, "instrument": instrument, "wave_form": wave_form},
    )


@login_required
def results(request: HttpRequest, reference: str) -> HttpResponse:
    """Per indicator, the paired change between baseline and follow-up."""
    access = selectors.results_access(request.user, reference)
    return render(
        request,
        "impact/results.html",
        {
            "service": access.service,
            "results": selectors.indicator_results(access.service),
            "instruments": INSTRUMENTS,
        },
    )


def _service_form_page(
    request: HttpRequest, service: Service, form: Form, title: str
) -> HttpResponse:
    back_url = reverse("impact:framework", args=[service.reference])
    return form_page(request, form, title=title, caption=service.name, back_url=back_url)
