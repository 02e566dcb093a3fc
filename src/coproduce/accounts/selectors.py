"""Reads about logins and participants."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from coproduce.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The request's login, for views behind ``login_required``; typed as our User."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
