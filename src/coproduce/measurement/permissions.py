"""Who may run survey waves and who may see their results: declared once, used everywhere.

Results are about an area's residents and are not public. They may be seen by:

- members with a staff role (manager, staff, commissioner, analyst) of the organisation
  that runs the wave (the same people who see its dashboard);
- commissioners and analysts of a body that commissions or funds the wave's service,
  because judging what they pay for is their job (DOMAIN.md, "co-assessment"), unless
  the service is sensitive (a refuge): its respondents' answers and their breakdown by
  group stay with its provider, as its participation does (docs/survivor-safe.md);
- superusers.

Nobody else: not anonymous visitors, volunteers, residents or other organisations.
Running a wave (creating it, importing its files) is for the owner's managers, staff and
analysts: commissioners decide, they do not do the fieldwork.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from coproduce.organisations.models import Membership, Organisation, Role
from coproduce.organisations.permissions import BACKER_ROLES, STAFF_ROLES, role_in

from .models import SurveyWave

WAVE_RUNNER_ROLES = frozenset({Role.MANAGER, Role.STAFF, Role.ANALYST})

User = AbstractBaseUser | AnonymousUser


def can_run_waves(user: User | None, organisation: Organisation) -> bool:
    """``user=None`` is a trusted caller with no person behind it (a command, the demo)."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    return role_in(user, organisation) in WAVE_RUNNER_ROLES


def require_wave_runner(user: User | None, organisation: Organisation) -> None:
    if not can_run_waves(user, organisation):
        raise PermissionDenied


def visible_waves(user: User) -> Q:
    """A filter on SurveyWave for the waves whose results ``user`` may see.

    Callers must handle superusers (everything) and anonymous users (nothing) first.
    """
    return Q(
        owner__memberships__user_id=user.pk,
        owner__memberships__role__in=STAFF_ROLES,
    ) | Q(
        service__backings__organisation__memberships__user_id=user.pk,
        service__backings__organisation__memberships__role__in=BACKER_ROLES,
        service__sensitive=False,
    )


def can_view_results(user: User, wave: SurveyWave) -> bool:
    """One query: a membership as staff of the owner, or as a backer of the service."""
    if getattr(user, "is_superuser", False):
        return True
    if not user.is_authenticated:
        return False
    backer = (
        Q(
            organisation__backings__service_id=wave.service_id,
            organisation__backings__service__sensitive=False,
            role__in=BACKER_ROLES,
        )
        if wave.service_id
        else Q(pk__in=[])
    )
    return (
        Membership.objects.filter(user_id=user.pk)
        .filter(Q(organisation_id=wave.owner_id, role__in=STAFF_ROLES) | backer)
        .exists()
    )


def require_results_viewer(user: User, wave: SurveyWave) -> None:
    if not can_view_results(user, wave):
        raise PermissionDenied
