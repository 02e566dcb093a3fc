"""The events pages: thin; selectors check permission, services decide and write.

Public: a service's coming events, its calendar feed, an event's page and the reply
to it (with or without an account), a private page to see or cancel a reply.
Staff of the provider: the events of a service, creating, editing, publishing and
cancelling them, the attendee list with check-in and walk-ins.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.selectors import signed_in_user
from coproduce.accounts.services import participant_for
from coproduce.consultations.selectors import feedback_form_for_event
from coproduce.core.ratelimit import rate_limited
from coproduce.engagement.ladder import EngagementForm
from coproduce.organisations.permissions import can_run_service_engagement

from . import selectors, services
from .calendar import calendar_for
from .forms import CheckInForm, EventCreateForm, EventForm, RsvpForm, WalkInForm
from .models import Event, Rsvp
from .selectors import EventPage

SESSION_PARTICIPANT = "events_participant"

View = Callable[..., HttpResponse]


def clear_403(view: View) -> View:
    """Answer a refusal with a 403 page that says why, rather than the generic one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            message = str(error) or _(
                "Only the staff of the organisation that provides this service can do this."
            )
            return render(request, "events/forbidden.html", {"message": message}, status=403)

    return wrapper


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Public pages


def service_events(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_public(reference)
    return render(
        request,
        "events/service_events.html",
        {
            "service": service,
            "events": selectors.upcoming_events(service),
            "can_run": can_run_service_engagement(request.user, service),
        },
    )


def service_calendar(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_public(reference)
    body = calendar_for(service, selectors.feed_events(service), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def _render_event(
    request: HttpRequest, page: EventPage, form: RsvpForm | None = None, status: int = 200
) -> HttpResponse:
    if form is None:
        initial = {}
        user = request.user
        if user.is_authenticated:
            initial = {"nickname": user.get_username(), "email": getattr(user, "email", "")}
        form = RsvpForm(initial=initial)
    event = page.event
    open_for_replies = event.status == "published" and not event.is_past
    return render(
        request,
        "events/event.html",
        {
            "page": page,
            "event": event,
            "service": page.service,
            "form": form,
            "open_for_replies": open_for_replies,
            "position": selectors.waiting_position(page.my_rsvp) if page.my_rsvp else None,
            # After a session, its feedback form (Case 2 asks after every session).
            "feedback": feedback_form_for_event(event),
        },
        status=status,
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_event(request, selectors.event_page(request.user, pk))


@require_POST
@rate_limited("rsvp")
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.event_page(request.user, pk)
    if page.my_rsvp is not None:
        messages.error(request, services.already_replied_message(page.my_rsvp))
        return redirect("events:event", pk=pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return _render_event(request, page, form)
    try:
        if request.user.is_authenticated:
            receipt = services.rsvp_create(
                event=page.event,
                participant=participant_for(signed_in_user(request)),
                contact=form.contact(),
            )
        else:
            receipt = services.rsvp_create_anonymous(
                event=page.event,
                contact=form.contact(),
                participant_reference=request.session.get(SESSION_PARTICIPANT),
            )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _render_event(request, page, form)
    _say_what_happened(request, receipt.rsvp)
    if request.user.is_authenticated:
        return redirect("events:event", pk=page.event.pk)
    request.session[SESSION_PARTICIPANT] = receipt.rsvp.participant.reference
    return redirect("events:rsvp_manage", token=receipt.token)


def _say_what_happened(request: HttpRequest, rsvp: Rsvp) -> None:
    if rsvp.status == "accepted":
        messages.success(request, _("You have a place."))
    else:
        messages.success(
            request,
            _(
                "The event is full, so you are on the waiting list. If a place comes free "
                "it is yours, in the order people replied."
            ),
        )


def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.rsvp_by_token(token)
    return render(
        request,
        "events/rsvp.html",
        {
            "rsvp": found,
            "event": found.event,
            "service": found.event.activity.service,
            "token": token,
            "position": selectors.waiting_position(found),
            "manage_url": request.build_absolute_uri(
                reverse("events:rsvp_manage", kwargs={"token": token})
            ),
        },
    )


@require_POST
def rsvp_cancel(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.rsvp_by_token(token)
    _cancel(request, found)
    return redirect("events:rsvp_manage", token=token)


@login_required
@require_POST
def my_rsvp_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.event_page(request.user, pk)
    if page.my_rsvp is None:
        messages.error(request, _("You have no reply to this event to cancel."))
    else:
        _cancel(request, page.my_rsvp)
    return redirect("events:event", pk=pk)


def _cancel(request: HttpRequest, found: Rsvp) -> None:
    try:
        services.rsvp_cancel(rsvp=found)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your reply is cancelled. Thank you for letting us know."))


# Staff pages


@login_required
@clear_403
def manage_service(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    return render(
        request,
        "events/manage_service.html",
        {"service": service, "events": selectors.service_events_for_staff(service)},
    )


@login_required
@clear_403
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    form = EventCreateForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create_for_service(
                service=service,
                activity=form.cleaned_data["activity"],
                engagement_form=EngagementForm(form.cleaned_data["engagement_form"]),
                details=form.details(),
                created_by=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The event is saved as a draft. Publish it when ready."))
            return redirect("events:attendees", pk=event.pk)
    return render(
        request, "events/event_form.html", {"service": service, "form": form, "event": None}
    )


def _add_errors(form: EventForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@clear_403
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_runner(request.user, pk)
    form = EventForm(request.POST or None, is_new=False, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event, details=form.details(), updated_by=signed_in_user(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:attendees", pk=event.pk)
    return render(
        request,
        "events/event_form.html",
        {"service": event.activity.service, "form": form, "event": event},
    )


def _staff_action(
    request: HttpRequest, pk: int, action: Callable[[Event], object], done: str
) -> HttpResponse:
    event = selectors.event_for_runner(request.user, pk)
    try:
        action(event)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("events:attendees", pk=pk)


@login_required
@clear_403
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _staff_action(
        request,
        pk,
        lambda event: services.event_publish(event=event, published_by=user),
        _("The event is published."),
    )


@login_required
@clear_403
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    return _staff_action(
        request,
        pk,
        lambda event: services.event_cancel(event=event, cancelled_by=user),
        _("The event is cancelled. People who asked for news will get an email."),
    )


def _render_attendees(
    request: HttpRequest,
    event: Event,
    check_in_form: CheckInForm | None = None,
    walk_in_form: WalkInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if walk_in_form is None:
        walk_in_form = WalkInForm(initial={"form_token": WalkInForm.fresh_token()})
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "service": event.activity.service,
            "attendance": selectors.event_attendance(event),
            "check_in_form": check_in_form,
            "walk_in_form": walk_in_form,
        },
        status=status,
    )


@login_required
@clear_403
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_attendees(request, selectors.event_for_runner(request.user, pk))


@login_required
@clear_403
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_runner(request.user, pk)
    form = CheckInForm(request.POST, event=event)
    if not form.is_valid():
        return _render_attendees(request, event, check_in_form=form)
    try:
        new = services.attendance_check_in(
            event=event, rsvps=form.cleaned_data["rsvps"], checked_in_by=signed_in_user(request)
        )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _render_attendees(request, event, check_in_form=form)
    messages.success(
        request,
        _("%(count)s checked in. People already checked in are counted once.") % {"count": new},
    )
    return redirect("events:attendees", pk=pk)


@login_required
@clear_403
@require_POST
def walk_ins(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_runner(request.user, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _render_attendees(request, event, walk_in_form=form)
    try:
        created = services.walk_ins_record(
            event=event,
            people=form.cleaned_data["people"],
            form_token=form.cleaned_data["form_token"],
            recorded_by=signed_in_user(request),
        )
    except ValidationError as error:
        form.add_error(None, _error_text(error))
        return _render_attendees(request, event, walk_in_form=form)
    if created:
        messages.success(request, _("The walk-ins are counted."))
    else:
        messages.info(request, _("These walk-ins were already counted: nothing was added."))
    return redirect("events:attendees", pk=pk)
