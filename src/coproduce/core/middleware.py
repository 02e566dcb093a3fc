"""Middleware of every request: its log line without personal data, and the security
headers that django-csp and Django do not send, or send slowly."""

import functools
import time
import uuid
from collections.abc import Callable
from typing import Any

import structlog
from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

# structlog writes its lines itself (core/logging.py): the logger's name is a field.
logger = structlog.get_logger().bind(logger="coproduce.request")


class RequestLogMiddleware:
    """Bind a request id for every log line of the request and log its outcome.

    The path is logged, the query string is not (it may carry search terms or codes),
    and neither is the user's name: only whether they are signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=uuid.uuid4().hex[:12])
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            signed_in=request.user.is_authenticated,
        )
        return response


# Where the request's nonce goes in the policy built once (no policy holds a NUL).
_NONCE_MARK = "\x00"
# What django-csp's decorators leave on a response whose view has a policy of its own.
_VIEW_POLICY = tuple(
    f"_csp_{part}{ro}" for part in ("config", "update", "replace") for ro in ("", "_ro")
)


class SecurityHeadersMiddleware(CSPMiddleware):
    """The security headers Django's own middleware does not send: the Permissions-Policy
    (browser features no page uses stay off, even for a script that got into a page:
    settings.PERMISSIONS_POLICY) and the Content Security Policy, by django-csp's
    middleware with the policy built once rather than on every response (a tenth of a
    small request's time went on building it twice, with a report-only policy never set).

    The policy of settings.CONTENT_SECURITY_POLICY depends on the request's nonce alone:
    each response gets the one built with a mark where the nonce goes, with its own nonce
    in it, or the one without a nonce if the page asked for none. A view with a policy of
    its own, a report-only policy, and DEBUG's error pages take the library's way.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or any(getattr(response, name, None) is not None for name in _VIEW_POLICY)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            excluded = settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(excluded)):
                response[HEADER] = _policy(nonce)
        if nonce is None:  # a nonce asked for after this would be in no header
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _policy(nonce: str | None) -> str:
    return (
        _built(with_nonce=True).replace(_NONCE_MARK, nonce) if nonce else _built(with_nonce=False)
    )


@functools.cache
def _built(*, with_nonce: bool) -> str:
    return build_policy(nonce=_NONCE_MARK if with_nonce else None)


@receiver(setting_changed)
def _forget_built_policy(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.cache_clear()
