"""Who may do what with an organisation's non-public data: declared once, used everywhere.

Organisations and their services are public. An organisation's dashboard is not: only
the people with a working role in it (managers, staff, and the commissioners and
analysts of that body) see it; volunteers do not. Only managers change its members. A
superuser may see everything.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from coproduce.organisations.models import Membership, Organisation, Role

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
