"""Two-factor sign-in, enforced in one place for every page."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from coproduce.accounts.models import User
from coproduce.accounts.selectors import two_factor_on, two_factor_required

# The pages a signed-in person reaches before giving a code: to give it, or to leave.
OPEN_BEFORE_CODE = frozenset(
    {
        "accounts:logout",
        "accounts:two_factor_enrol",
        "accounts:two_factor_verify",
        "choose_language",
    }
)


class TwoFactorMiddleware:
    """After the passphrase, a code: sends a signed-in person who has not given one yet
    to enter it (if they have an authenticator app) or to set one up (if their role
    requires it and ``COPRODUCE_TWO_FACTOR_REQUIRED`` is on). Runs after django-otp's
    OTPMiddleware, which tells whether this session has given a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = _step_needed(request)
        if step is not None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(step)}?{query}")
        return self.get_response(request)


def _step_needed(request: HttpRequest) -> str | None:
    """The URL name of the two-factor step this request must go through first, if any."""
    user = request.user
    # OTPMiddleware gives the signed-in user ``is_verified``.
    verified = isinstance(user, User) and user.is_verified()  # type: ignore[attr-defined]
    if not isinstance(user, User) or verified or _open_before_code(request):
        return None
    if two_factor_on(user):
        return "accounts:two_factor_verify"
    if settings.COPRODUCE_TWO_FACTOR_REQUIRED and two_factor_required(user):
        return "accounts:two_factor_enrol"
    return None


def _open_before_code(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_BEFORE_CODE
