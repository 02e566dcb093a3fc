"""Volunteering pages: thin; selectors and services check permission and rules."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.models import Participant
from coproduce.accounts.selectors import signed_in_user
from coproduce.accounts.services import participant_for
from coproduce.core.charts import ChartTable, csv_response
from coproduce.core.forms import add_service_errors
from coproduce.core.views import form_page
from coproduce.engagement import selectors as engagement
from coproduce.organisations.models import Service

from . import selectors, services
from .forms import (
    ApplicationForm,
    CapabilityRecordForm,
    ClosureForm,
    HoursForm,
    OpportunityForm,
    PatternForm,
    SwapForm,
    TrainingSessionForm,
)
from .models import (
    Application,
    ApplicationSource,
    ApplicationStatus,
    HoursEntry,
    HoursStatus,
    Opportunity,
    Shift,
    Signup,
    SignupStatus,
)

ROTA_WEEKS = 12

# ---------------------------------------------------------------------------------------
# Volunteers


def roles(request: HttpRequest, reference: str) -> HttpResponse:
    """A service's roles open to applications (public)."""
    service = get_object_or_404(Service, reference=reference)
    return render(
        request,
        "volunteering/roles.html",
        {
            "service": service,
            "roles": Opportunity.objects.filter(service=service, open=True).prefetch_related(
                "wanted", "checks"
            ),
        },
    )


def _me(request: HttpRequest) -> Participant:
    return participant_for(signed_in_user(request))


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(Opportunity.objects.select_related("service"), pk=pk, open=True)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                opportunity=role,
                participant=_me(request),
                source=ApplicationSource(form.cleaned_data["source"]),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the service will reply to your application."))
            return redirect("volunteering:my_shifts")
    return render(request, "volunteering/apply.html", {"role": role, "form": form})


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    accepted = Application.objects.filter(participant=me, status=ApplicationStatus.ACCEPTED)
    now = timezone.now()
    shifts = list(
        selectors.with_booked(
            Shift.objects.filter(
                opportunity__in=accepted.values("opportunity"),
                cancelled=False,
                starts_at__gt=now,
                starts_at__lt=now + timedelta(weeks=selectors.GAP_WEEKS),
            )
        )
        .select_related("opportunity__service")
        .order_by("starts_at")
    )
    mine = {
        signup.shift_id: signup
        for signup in Signup.objects.filter(
            participant=me, shift__in=shifts, status=SignupStatus.BOOKED
        )
    }
    roles = [
        (a.opportunity_id, f"{a.opportunity.title} – {a.opportunity.service.name}")
        for a in accepted.select_related("opportunity__service")
    ]
    return render(
        request,
        "volunteering/my_shifts.html",
        {
            "rows": [(shift, mine.get(shift.pk)) for shift in shifts],
            "applications": Application.objects.filter(participant=me)
            .exclude(status=ApplicationStatus.ACCEPTED)
            .select_related("opportunity__service"),
            "hours": HoursEntry.objects.filter(participant=me).select_related("opportunity")[:20],
            "hours_form": HoursForm(roles=roles) if roles else None,
            "reference": me.reference,
        },
    )


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=pk)
    try:
        services.shift_book(shift=shift, participant=_me(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The shift is booked. Thank you."))
    return redirect("volunteering:my_shifts")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(Signup, pk=pk, participant=_me(request))
    try:
        services.shift_cancel(signup=signup)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The booking is cancelled: the place is free for someone else.")
        )
    return redirect("volunteering:my_shifts")


@login_required
@require_http_methods(["GET", "POST"])
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand one of your bookings to another volunteer of the role."""
    signup = get_object_or_404(
        Signup.objects.select_related("shift__opportunity__service"),
        pk=pk,
        participant=_me(request),
        status=SignupStatus.BOOKED,
    )
    form = SwapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        other = Participant.objects.filter(reference=reference).first()
        if other is None:
            form.add_error("reference", _("No volunteer has that reference."))
        else:
            try:
                services.shift_swap(signup=signup, to=other)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The shift is now %(reference)s's.") % {"reference": reference}
                )
                return redirect("volunteering:my_shifts")
    return render(request, "volunteering/swap.html", {"signup": signup, "form": form})


@login_required
@require_POST
def log_hours(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    roles = [
        (a.opportunity_id, a.opportunity.title)
        for a in Application.objects.filter(
            participant=me, status=ApplicationStatus.ACCEPTED
        ).select_related("opportunity")
    ]
    form = HoursForm(request.POST, roles=roles)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.hours_log(
                participant=me,
                opportunity=Opportunity.objects.get(pk=data["role"]),
                worked_on=data["worked_on"],
                hours=data["hours"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your hours are sent for approval."))
            return redirect("volunteering:my_shifts")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("volunteering:my_shifts")


# ---------------------------------------------------------------------------------------
# Managers


def _runner_service(request: HttpRequest, reference: str) -> Service:
    return engagement.service_for_runner(request.user, reference)


@login_required
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    service = _runner_service(request, reference)
    week_ago = timezone.now() - timedelta(days=7)
    return render(
        request,
        "volunteering/manage.html",
        {
            "service": service,
            "gaps": selectors.staffing_gaps(service),
            "year": selectors.hours_value(service),
            "roles": Opportunity.objects.filter(service=service).annotate(
                n_volunteers=Count(
                    "applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED)
                )
            ),
            "applications": Application.objects.filter(
                opportunity__service=service, status=ApplicationStatus.APPLIED
            ).select_related("opportunity", "participant"),
            "hours": HoursEntry.objects.filter(
                opportunity__service=service, status=HoursStatus.PENDING
            ).select_related("opportunity", "participant"),
            "to_mark": Signup.objects.filter(
                shift__opportunity__service=service,
                shift__starts_at__gte=week_ago,
                shift__starts_at__lte=timezone.now(),
                status=SignupStatus.BOOKED,
            ).select_related("shift__opportunity", "participant"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest, reference: str) -> HttpResponse:
    service = _runner_service(request, reference)
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_create(
                service=service, details=form.details(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The role is open to applications."))
            return redirect("volunteering:manage", reference=service.reference)
    return _service_form_page(request, service, form, _("Add a volunteer role"))


@login_required
@require_http_methods(["GET", "POST"])
def pattern_new(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(Opportunity.objects.select_related("service"), pk=pk)
    service = _runner_service(request, role.service.reference)
    form = PatternForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            pattern = services.pattern_create(
                opportunity=role, details=form.details(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            services.shifts_generate(
                pattern=pattern, until=timezone.localdate() + timedelta(weeks=ROTA_WEEKS)
            )
            messages.success(request, _("The weekly shift is on the rota."))
            return redirect("volunteering:manage", reference=service.reference)
    return _service_form_page(
        request, service, form, _("Add a weekly shift: %(role)s") % {"role": role.title}
    )


def _yes(request: HttpRequest) -> bool:
    return request.POST.get("answer") == "yes"


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("opportunity__service"), pk=pk
    )
    service = _runner_service(request, application.opportunity.service.reference)
    try:
        services.application_review(
            application=application, accept=_yes(request), reviewed_by=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("volunteering:manage", reference=service.reference)


@login_required
@require_POST
def hours_review(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(HoursEntry.objects.select_related("opportunity__service"), pk=pk)
    service = _runner_service(request, entry.opportunity.service.reference)
    try:
        services.hours_review(
            entry=entry, approve=_yes(request), reviewed_by=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("volunteering:manage", reference=service.reference)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_object_or_404(Signup.objects.select_related("shift__opportunity__service"), pk=pk)
    service = _runner_service(request, signup.shift.opportunity.service.reference)
    try:
        services.shift_attended(
            signup=signup, came=_yes(request), recorded_by=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("volunteering:manage", reference=service.reference)


@login_required
@require_http_methods(["GET", "POST"])
def capability(request: HttpRequest, reference: str) -> HttpResponse:
    service = _runner_service(request, reference)
    form = CapabilityRecordForm(request.POST if "reference" in request.POST else None)
    session_form = TrainingSessionForm(request.POST if "references" in request.POST else None)
    if session_form.is_bound and session_form.is_valid():
        data = session_form.cleaned_data
        try:
            services.training_session_record(
                service=service,
                capability=data["capability"],
                held_on=data["held_on"],
                provider=data["provider"],
                valid_for_months=data["valid_for_months"],
                references=data["references"],
                recorded_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(session_form, error)
        else:
            messages.success(request, _("The session is recorded for everyone who came."))
            return redirect("volunteering:capability", reference=service.reference)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        person = Participant.objects.filter(reference=data["reference"].strip().upper()).first()
        if person is None or person not in selectors.service_people(service):
            form.add_error(
                "reference", _("No volunteer or staff member of this service has that reference.")
            )
        else:
            try:
                services.capability_record(
                    participant=person,
                    capability=data["capability"],
                    obtained_on=data["obtained_on"],
                    expires_on=data["expires_on"],
                    provider=data["provider"],
                    recorded_by=signed_in_user(request),
                    service=service,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The record is saved."))
                return redirect("volunteering:capability", reference=service.reference)
    return render(
        request,
        "volunteering/capability.html",
        {
            "service": service,
            "covers": selectors.capability_overview(service),
            "form": form,
            "session_form": session_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest, reference: str) -> HttpResponse:
    service = _runner_service(request, reference)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_record(
                service=service,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
                recorded_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The closure is recorded and that day's shifts cancelled."))
            return redirect("volunteering:closures", reference=service.reference)
    return render(
        request,
        "volunteering/closures.html",
        {"service": service, "closures": selectors.closures(service), "form": form},
    )


def _closures_table(service: Service) -> ChartTable:
    return ChartTable(
        columns=[_("Day"), _("Why")],
        rows=[[c.day.isoformat(), c.reason] for c in selectors.closures(service)],
        numeric=[False, False],
    )


@login_required
def closures_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """The closure schedule for the commissioner: the service's runners and backers."""
    access = engagement.service_for_viewer(request.user, reference)
    return csv_response(
        _closures_table(access.service), filename=f"closures-{access.service.reference}.csv"
    )


def _service_form_page(
    request: HttpRequest, service: Service, form: Form, title: str
) -> HttpResponse:
    back_url = reverse("volunteering:manage", args=[service.reference])
    return form_page(request, form, title=title, caption=service.name, back_url=back_url)
