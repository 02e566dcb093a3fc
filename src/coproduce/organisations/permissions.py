"""Who may do what with an organisation's non-public data: declared once, used everywhere.

Organisations and their services are public. An organisation's dashboard is not: only
the people with a working role in it (managers, staff, and the commissioners and
analysts of that body) see it; volunteers do not. Only managers change its members. A
superuser may see everything.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from coproduce.organisations.models import Membership, Organisation, Role, Service

STAFF_ROLES = frozenset({Role.MANAGER, Role.STAFF, Role.COMMISSIONER, Role.ANALYST})


def role_in(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> Role | None:
    if not user.is_authenticated:
        return None
    role = (
        Membership.objects.filter(user_id=user.pk, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def can_view_dashboard(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return role_in(user, organisation) in STAFF_ROLES


def can_manage_members(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return role_in(user, organisation) == Role.MANAGER


def require_manager(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise PermissionDenied


# Bodies that commission or fund a service judge what they pay for (co-assessment).
BACKER_ROLES = frozenset({Role.COMMISSIONER, Role.ANALYST})
# People who run a service's engagement day to day.
DELIVERY_ROLES = frozenset({Role.MANAGER, Role.STAFF})


def can_view_service_data(user: AbstractBaseUser | AnonymousUser, service: Service) -> bool:
    """Non-public data about a service: its provider's staff and its backers' officers.

    One query: a membership with a staff role in the provider, or with a backer role in
    a body that commissions or funds the service.
    """
    if getattr(user, "is_superuser", False):
        return True
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.filter(user_id=user.pk)
        .filter(
            Q(organisation_id=service.provider_id, role__in=STAFF_ROLES)
            | Q(organisation__backings__service_id=service.pk, role__in=BACKER_ROLES)
        )
        .exists()
    )


def can_run_service_engagement(
    user: AbstractBaseUser | AnonymousUser | None, service: Service
) -> bool:
    """Planning activities and recording participation: the provider's managers and staff.

    ``user=None`` is a trusted caller with no person behind it (a command, the demo).
    """
    if user is None or getattr(user, "is_superuser", False):
        return True
    return role_in(user, service.provider) in DELIVERY_ROLES


def require_service_runner(user: AbstractBaseUser | AnonymousUser | None, service: Service) -> None:
    """Refuse anyone but the people who run the service's engagement (no one for None)."""
    if user is None or not can_run_service_engagement(user, service):
        raise PermissionDenied
