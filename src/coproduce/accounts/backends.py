"""The sign-in lockout: django-axes, asked only about sign-ins that come with a request."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

from coproduce.accounts.models import User


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out sign-in; checks no password itself (ModelBackend does).

    Every sign-in page passes its request, so every sign-in a person makes is counted.
    A call with no request (the test client's ``login``, a shell) has no address to
    count against: it is left to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
