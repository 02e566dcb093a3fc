"""Rate limits on the public write endpoints: a bot flooding a consultation, a vote
stuffer guessing voting codes or a script creating accounts is slowed to what a person
could do, with a page saying when to try again.

Each limit is a number of POSTs in a window of seconds (``settings.RATE_LIMITS``, one
table, each entry overridden by ``RATE_LIMIT_<NAME>``), counted for the signed-in person
or, for a visitor, for their client address (an IPv6 address by its /64 network, which
one household or phone holds). Only POSTs count: reading is never limited. Staff typing
in paper answers or paper votes use their own pages, which carry no limit.

The count is a fixed window in the cache: one ``incr`` a POST (an ``add`` as well for
the first in a window). With several web processes the cache must be shared between them
(``CACHE_URL``, docs/public-input-integrity.md), or each counts on its own.
"""

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"30/600"``: 30 POSTs in 600 seconds."""
    count, _slash, seconds = text.partition("/")
    if not (count.isdecimal() and seconds.isdecimal() and int(seconds) > 0):
        raise ImproperlyConfigured(
            f"A rate limit is written <requests>/<seconds>, such as 30/600, not {text!r}."
        )
    return Rate(int(count), int(seconds))


def client_address(request: HttpRequest) -> str:
    """The address the request came from; behind ``RATE_LIMIT_PROXIES`` reverse proxies,
    the one the nearest of them was asked by (the proxies append to X-Forwarded-For, so
    the entries left of theirs are the client's to forge)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.RATE_LIMIT_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return _network(address)


def _network(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _who(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def seconds_to_wait(name: str, request: HttpRequest) -> int:
    """Count this POST against the limit ``name``: 0 if it may go on, otherwise the
    seconds until the window ends."""
    rate = parse_rate(settings.RATE_LIMITS[name])
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{name}:{_who(request)}:{window}"
    try:
        sent = cache.incr(key)
    except ValueError:  # the first POST of the window
        sent = 1 if cache.add(key, 1, rate.seconds) else cache.incr(key)
    if sent <= rate.count:
        return 0
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The 429 page: when to try again, and that nothing saved before is lost."""
    minutes = math.ceil(wait / 60)
    response = render(request, "core/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limited(name: str) -> Callable[[View], View]:
    """Limit a view's POSTs by ``settings.RATE_LIMITS[name]``; usable in urls.py too:
    ``rate_limited("sign_in")(LoginView.as_view())``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                wait = seconds_to_wait(name, request)
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return cast(View, limited)

    return decorate
