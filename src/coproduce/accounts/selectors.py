"""Reads about logins and participants."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.models import User
from coproduce.core.encryption import digests
from coproduce.organisations.permissions import STAFF_ROLES


def logins_with_email(email: str) -> list[User]:
    """The active logins whose address is ``email`` (case aside), found by its digest
    under any key in force, then compared in the clear."""
    wanted = email.strip().casefold()
    found = User.objects.filter(email_digest__in=digests(email), is_active=True)
    return [user for user in found if user.email.strip().casefold() == wanted]


def signed_in_user(request: HttpRequest) -> User:
    """The request's login, for views behind ``login_required``; typed as our User."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def two_factor_required(user: User) -> bool:
    """Whether this login must use two-factor sign-in: superusers and every staff role."""
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=STAFF_ROLES).exists()


def two_factor_on(user: User) -> bool:
    """Whether this login has an authenticator app set up (confirmed)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
