"""Request logging: one structured line per request, without personal data."""

import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = structlog.get_logger("coproduce.request")


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


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: browser features no page uses stay off, even
    for a script that got into a page (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
