"""Every read of forums and action points: fetch, check permission and join in one call."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.forums.models import ActionPoint, ActionStatus, Attendance, Forum, Meeting
from coproduce.forums.permissions import can_raise_at, can_run_forums, can_view_forums
from coproduce.organisations.models import Membership, Service
from coproduce.organisations.permissions import DELIVERY_ROLES

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Access:
    """What the person may do on a staff page: ``run`` to change, otherwise read only."""

    run: bool


def _access(user: AnyUser, service: Service, *, write: bool) -> Access:
    run = can_run_forums(user, service)
    if write and not run:
        raise PermissionDenied
    if not run and not can_view_forums(user, service):
        raise PermissionDenied
    return Access(run=run)


def service_public(reference: str) -> Service:
    return get_object_or_404(Service, reference=reference)


def service_for(user: AnyUser, reference: str, *, write: bool = False) -> tuple[Service, Access]:
    service = get_object_or_404(Service.objects.select_related("provider"), reference=reference)
    return service, _access(user, service, write=write)


def forum_for(user: AnyUser, forum_id: int, *, write: bool = False) -> tuple[Forum, Access]:
    forum = get_object_or_404(
        Forum.objects.select_related("service__provider", "activity"), pk=forum_id
    )
    return forum, _access(user, forum.service, write=write)


def meeting_for(user: AnyUser, meeting_id: int, *, write: bool = False) -> tuple[Meeting, Access]:
    meeting = _meeting(meeting_id)
    return meeting, _access(user, meeting.forum.service, write=write)


def _meeting(meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("forum__service__provider", "forum__activity"),
        pk=meeting_id,
    )


def meeting_to_raise_at(user: AnyUser, meeting_id: int) -> Meeting:
    """A meeting the person may raise a point at: they came to it, or they run it."""
    meeting = _meeting(meeting_id)
    if not can_raise_at(user, meeting):
        raise PermissionDenied
    return meeting


def action_for(user: AnyUser, action_id: int, *, write: bool = False) -> tuple[ActionPoint, Access]:
    action = get_object_or_404(
        ActionPoint.objects.select_related(
            "service__provider", "forum", "meeting", "owner", "raised_by"
        ),
        pk=action_id,
    )
    return action, _access(user, action.service, write=write)


def service_forums(service: Service) -> list[Forum]:
    now = timezone.now()
    return list(
        Forum.objects.filter(service=service).annotate(
            meeting_count=Count("meetings", distinct=True),
            next_meeting=Min("meetings__starts_at", filter=Q(meetings__starts_at__gte=now)),
            last_meeting=Max("meetings__starts_at", filter=Q(meetings__starts_at__lt=now)),
        )
    )


def forum_meetings(forum: Forum) -> list[Meeting]:
    return list(
        forum.meetings.annotate(
            known_attendees=Count("attendances", distinct=True),
            points=Count("action_points", distinct=True),
        ).order_by("-starts_at")
    )


def meeting_attendance(meeting: Meeting) -> list[Attendance]:
    return list(
        meeting.attendances.select_related("participant").order_by("participant__reference")
    )


def meeting_points(meeting: Meeting) -> list[ActionPoint]:
    return list(meeting.action_points.select_related("raised_by", "owner"))


def meetings_attended(user: AnyUser) -> list[Meeting]:
    """The meetings a person came to, newest first, where they may raise a point."""
    if not user.is_authenticated:
        return []
    return list(
        Meeting.objects.filter(attendances__participant__user_id=user.pk)
        .select_related("forum__service")
        .order_by("-starts_at")
    )


def board_points(service: Service, status: str = "") -> QuerySet[ActionPoint]:
    """The published points of the public board, newest first. Never the raiser."""
    points = ActionPoint.objects.filter(service=service, published=True).only(
        "said", "source", "status", "outcome", "raised_on", "closed_on", "service_id"
    )
    if status:
        points = points.filter(status=status)
    return points.order_by("-raised_on", "-pk")


def action_log(service: Service, status: str = "") -> QuerySet[ActionPoint]:
    points = ActionPoint.objects.filter(service=service).select_related(
        "forum", "meeting", "owner", "raised_by"
    )
    if status:
        points = points.filter(status=status)
    return points.order_by("-raised_on", "-pk")


def status_counts(service: Service) -> dict[str, int]:
    counts = dict(
        ActionPoint.objects.filter(service=service)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ActionStatus.values}


def possible_owners(service: Service) -> QuerySet[User]:
    """The provider's managers and staff, who can own an action point."""
    user_ids = Membership.objects.filter(
        organisation_id=service.provider_id, role__in=DELIVERY_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("username")
