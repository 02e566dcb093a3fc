"""Who may see and run a service's forums: declared once, used by every page.

The provider's managers and staff run forums (``can_run_service_engagement``); bodies
that commission or fund the service read them (``can_view_service_data``). A person who
came to a meeting may raise a point at it. The "You said, we did" board is public.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from coproduce.accounts.models import Participant
from coproduce.forums.models import Attendance, Meeting
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import (
    can_run_service_engagement,
    can_view_service_data,
)

AnyUser = AbstractBaseUser | AnonymousUser


def can_view_forums(user: AnyUser, service: Service) -> bool:
    return can_view_service_data(user, service)


def can_run_forums(user: AnyUser | None, service: Service) -> bool:
    """``user=None`` is a trusted caller with no person behind it (a command, the demo)."""
    return can_run_service_engagement(user, service)


def attended(user: AnyUser, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    return Attendance.objects.filter(meeting=meeting, participant__user_id=user.pk).exists()


def can_raise_at(user: AnyUser, meeting: Meeting) -> bool:
    return can_run_forums(user, meeting.forum.service) or attended(user, meeting)


def own_participant(user: AnyUser) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(user_id=user.pk).first()
