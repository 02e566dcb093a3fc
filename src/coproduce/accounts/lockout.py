"""How a locked-out sign-in is answered, and which address a sign-in comes from."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from coproduce.accounts.forms import SignInForm
from coproduce.accounts.models import User

LOCKED_OUT_STATUS = 429
USERNAME_LENGTH = User._meta.get_field("username").max_length


def client_address(request: HttpRequest) -> str | None:
    """The address a request comes from, for counting failed sign-ins.

    ``REMOTE_ADDR`` unless ``RATE_LIMIT_PROXIES`` (the one setting for both rate limits
    and lockout) says how many proxies of our own stand in front: then the address the
    outermost of them saw, read from the right of ``X-Forwarded-For`` (each proxy
    appends; anything further left is the client's claim and could be forged). A whole
    address, never a network: the lockout keeps it in an IP address column.
    """
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies: int = settings.RATE_LIMIT_PROXIES
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies <= 0 or len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username a sign-in tried, as the lockout counts it: cut to the longest a login
    may have. A longer one names no account, and the lockout's column is shorter than
    what a visitor may type (PostgreSQL would refuse it: a 500 instead of a message)."""
    given = credentials.get("username") if credentials else request.POST.get("username")
    return None if given is None else str(given)[:USERNAME_LENGTH]


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, saying to wait; the same whether or not the account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    problem = _(
        "Too many attempts to sign in. Wait %(minutes)s minutes, then try again. If you "
        "need to sign in sooner, an administrator of Coproduce can lift the wait."
    ) % {"minutes": minutes}
    context = {"form": SignInForm(request), "problem": problem}
    return render(request, "accounts/sign_in.html", context, status=LOCKED_OUT_STATUS)
