"""Forum pages: thin views that parse input, call a service or selector, and render.

The board is public. Staff pages are for the provider's managers and staff, and read
only for the bodies that commission or fund the service (see permissions.py).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.selectors import signed_in_user
from coproduce.core.forms import new_submission_key
from coproduce.forums import recurrence, selectors, services
from coproduce.forums.forms import (
    ActionUpdateForm,
    BoardFilterForm,
    CheckInForm,
    ForumForm,
    MinutesForm,
    RaiseForm,
    ScheduleForm,
    StaffActionForm,
    UnregisteredForm,
)
from coproduce.forums.models import (
    ActionSource,
    ActionStatus,
    ForumKind,
    MeetingChannel,
    MeetingStatus,
)
from coproduce.forums.permissions import own_participant

PAGE_SIZE = 25


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's error on its field when the form has one, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status_filter(request: HttpRequest) -> tuple[BoardFilterForm, str]:
    form = BoardFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return form, status


def board(request: HttpRequest, reference: str) -> HttpResponse:
    """The public "You said, we did" board: published points, newest first."""
    service = selectors.service_public(reference)
    form, status = _status_filter(request)
    page = Paginator(selectors.board_points(service, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "forums/board.html",
        {"service": service, "form": form, "status": status, "page": page},
    )


@login_required
def service_forums(request: HttpRequest, reference: str) -> HttpResponse:
    service, access = selectors.service_for(request.user, reference)
    return render(
        request,
        "forums/service_forums.html",
        {
            "service": service,
            "access": access,
            "forums": selectors.service_forums(service),
            "counts": selectors.status_counts(service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest, reference: str) -> HttpResponse:
    service, _access = selectors.service_for(request.user, reference, write=True)
    form = ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.ForumPlan(
            name=data["name"],
            kind=ForumKind(data["kind"]),
            rule=recurrence.Rule(
                kind=data["recurrence"],
                interval=data["interval"],
                weekday=data["weekday"],
                week_of_month=data["week_of_month"],
            ),
            first_meeting_on=data["first_meeting_on"],
            meets_at=data["meets_at"],
            channel=MeetingChannel(data["channel"]),
            description=data["description"],
        )
        try:
            forum = services.forum_create(
                service=service, plan=plan, created_by=signed_in_user(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The forum is set up. Now plan its meetings."))
            return redirect("forums:forum", forum_id=forum.pk)
    return render(request, "forums/forum_form.html", {"service": service, "form": form})


def _render_forum(
    request: HttpRequest, forum_id: int, schedule_form: ScheduleForm | None = None
) -> HttpResponse:
    forum, access = selectors.forum_for(request.user, forum_id)
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "service": forum.service,
            "access": access,
            "meetings": selectors.forum_meetings(forum),
            "schedule_form": schedule_form or ScheduleForm(),
        },
    )


@login_required
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    return _render_forum(request, forum_id)


@login_required
@require_POST
def forum_schedule(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum, _access = selectors.forum_for(request.user, forum_id, write=True)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            created = services.meetings_schedule(
                forum=forum, until=form.cleaned_data["until"], scheduled_by=signed_in_user(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("%(count)s meetings added to the calendar.") % {"count": len(created)}
            )
            return redirect("forums:forum", forum_id=forum.pk)
    return _render_forum(request, forum_id, schedule_form=form)


def _render_meeting(request: HttpRequest, meeting_id: int, **forms: Any) -> HttpResponse:
    meeting, access = selectors.meeting_for(request.user, meeting_id)
    return render(
        request,
        "forums/meeting.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "service": meeting.forum.service,
            "access": access,
            "attendance": selectors.meeting_attendance(meeting),
            "points": selectors.meeting_points(meeting),
            "check_in_form": forms.get("check_in_form") or CheckInForm(),
            "unregistered_form": forms.get("unregistered_form")
            or UnregisteredForm(initial={"submission_key": new_submission_key()}),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _render_meeting(request, meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, _access = selectors.meeting_for(request.user, meeting_id, write=True)
    form = MinutesForm(
        request.POST or None,
        initial={"status": meeting.status, "agenda": meeting.agenda, "minutes": meeting.minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_minutes(
                meeting=meeting,
                agenda=form.cleaned_data["agenda"],
                minutes=form.cleaned_data["minutes"],
                status=MeetingStatus(form.cleaned_data["status"]),
                recorded_by=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The agenda and minutes are saved."))
            return redirect("forums:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "forums/minutes_form.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "service": meeting.forum.service,
            "form": form,
        },
    )


@login_required
@require_POST
def meeting_check_in(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, _access = selectors.meeting_for(request.user, meeting_id, write=True)
    form = CheckInForm(request.POST)
    if form.is_valid():
        participant = form.cleaned_data["person"]
        try:
            _attendance, created = services.meeting_check_in(
                meeting=meeting, participant=participant, checked_in_by=signed_in_user(request)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            message = (
                _("%(reference)s is checked in.")
                if created
                else _("%(reference)s was already checked in.")
            )
            messages.success(request, message % {"reference": participant.reference})
            return redirect("forums:meeting", meeting_id=meeting.pk)
    return _render_meeting(request, meeting_id, check_in_form=form)


@login_required
@require_POST
def meeting_unregistered(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, _access = selectors.meeting_for(request.user, meeting_id, write=True)
    form = UnregisteredForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_count_unregistered(
                meeting=meeting,
                people=form.cleaned_data["people"],
                submission_key=form.cleaned_data["submission_key"],
                recorded_by=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The count of people is saved."))
            return redirect("forums:meeting", meeting_id=meeting.pk)
    return _render_meeting(request, meeting_id, unregistered_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_raise(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A person who came to the meeting raises a point, anonymously if they choose."""
    meeting = selectors.meeting_to_raise_at(request.user, meeting_id)
    form = RaiseForm(request.POST or None, initial={"submission_key": new_submission_key()})
    if request.method == "POST" and form.is_valid():
        user = signed_in_user(request)
        try:
            services.action_raise(
                service=meeting.forum.service,
                point=services.RaisedPoint(
                    said=form.cleaned_data["said"],
                    meeting=meeting,
                    raised_by=own_participant(user),
                    anonymous=form.cleaned_data["anonymous"],
                    submission_key=form.cleaned_data["submission_key"],
                ),
                raised_by_user=user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your point is in the action log and staff will follow it up."),
            )
            return redirect("forums:meeting_raise", meeting_id=meeting.pk)
    return render(
        request,
        "forums/raise.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "service": meeting.forum.service,
            "form": form,
        },
    )


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings the signed-in person came to, to raise a point at one of them."""
    return render(
        request, "forums/my_meetings.html", {"meetings": selectors.meetings_attended(request.user)}
    )


@login_required
def action_log(request: HttpRequest, reference: str) -> HttpResponse:
    service, access = selectors.service_for(request.user, reference)
    form, status = _status_filter(request)
    page = Paginator(selectors.action_log(service, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "forums/action_log.html",
        {"service": service, "access": access, "form": form, "status": status, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, reference: str) -> HttpResponse:
    service, _access = selectors.service_for(request.user, reference, write=True)
    form = StaffActionForm(
        request.POST or None,
        initial={"submission_key": new_submission_key(), "source": ActionSource.FORUM},
        forums=service.forums.all(),
        owners=selectors.possible_owners(service),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action, _created = services.action_raise(
                service=service,
                point=services.RaisedPoint(
                    said=data["said"],
                    source=ActionSource(data["source"]),
                    forum=data["forum"],
                    source_detail=data["source_detail"],
                    raised_by=data["raised_by"],
                    anonymous=data["anonymous"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    submission_key=data["submission_key"],
                ),
                raised_by_user=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The point is in the action log."))
            return redirect("forums:action", action_id=action.pk)
    return render(request, "forums/action_form.html", {"service": service, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    """A point and its history; its owner, status and "we did" for the provider's staff."""
    action, access = selectors.action_for(request.user, action_id, write=request.method == "POST")
    form = ActionUpdateForm(
        request.POST or None,
        initial={
            "status": action.status,
            "outcome": action.outcome,
            "owner": action.owner_id,
            "due_on": action.due_on,
        },
        owners=selectors.possible_owners(action.service),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                action=action,
                status=ActionStatus(data["status"]),
                outcome=data["outcome"],
                owner=data["owner"],
                due_on=data["due_on"],
                note=data["note"],
                updated_by=signed_in_user(request),
            )
        except ValidationError as error:
            # The form keeps everything typed, so nothing is lost; the point is unchanged.
            _add_errors(form, error)
        else:
            messages.success(request, _("The action point is updated."))
            return redirect("forums:action", action_id=action.pk)
    return render(
        request,
        "forums/action.html",
        {
            "action": action,
            "service": action.service,
            "access": access,
            "form": form,
            "changes": list(action.changes.select_related("changed_by")),
        },
    )


@login_required
@require_POST
def action_publish(request: HttpRequest, action_id: int) -> HttpResponse:
    action, _access = selectors.action_for(request.user, action_id, write=True)
    publish = request.POST.get("published") == "1"
    services.action_publish(action=action, published=publish, published_by=signed_in_user(request))
    if publish:
        messages.success(request, _("The point is on the public board."))
    else:
        messages.success(request, _("The point is off the public board."))
    return redirect("forums:action", action_id=action.pk)
