"""The security headers' middleware: the Content Security Policy built once, the same
header django-csp builds on every response, for pages with a nonce, responses without,
and the cases left to the library; the Permissions-Policy on every response. The
policies themselves are tested in test_security_headers.py."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.decorators import csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory, override_settings

from coproduce.core.middleware import SecurityHeadersMiddleware

FACTORY = RequestFactory()


def page_asking_for_a_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')  # type: ignore[attr-defined]


def redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=302, headers={"Location": "/done/"})


@csp_update({"img-src": ["https://tiles.example.org"]})
def view_with_its_own_policy(request: HttpRequest) -> HttpResponse:
    return page_asking_for_a_nonce(request)


def served(middleware: type[CSPMiddleware], view: object, path: str = "/") -> HttpResponseBase:
    request = FACTORY.get(path)
    return middleware(view)(request)  # type: ignore[arg-type]


def nonce_of(response: HttpResponseBase) -> str:
    return response.content.decode().split('nonce="')[1].split('"')[0]


@pytest.mark.parametrize("view", [page_asking_for_a_nonce, redirect, view_with_its_own_policy])
def test_the_header_is_the_librarys_with_the_same_nonce(view: object) -> None:
    ours = served(SecurityHeadersMiddleware, view)
    theirs = served(CSPMiddleware, view)
    if view is redirect:
        assert ours[HEADER] == theirs[HEADER]
        assert "nonce" not in ours[HEADER]
    else:
        assert ours[HEADER] == theirs[HEADER].replace(nonce_of(theirs), nonce_of(ours))
        assert f"'nonce-{nonce_of(ours)}'" in ours[HEADER]
    if view is view_with_its_own_policy:
        assert "https://tiles.example.org" in ours[HEADER]
    assert ours["Permissions-Policy"] == settings.PERMISSIONS_POLICY


def test_every_page_gets_its_own_nonce_in_its_header() -> None:
    first, second = (served(SecurityHeadersMiddleware, page_asking_for_a_nonce) for _ in "ab")
    assert nonce_of(first) != nonce_of(second)
    assert nonce_of(second) in second[HEADER]
    assert nonce_of(first) not in second[HEADER]


def test_a_nonce_asked_for_after_the_header_is_refused() -> None:
    request = FACTORY.get("/")
    SecurityHeadersMiddleware(redirect)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]


def test_a_changed_setting_changes_the_header() -> None:
    before = served(SecurityHeadersMiddleware, redirect)[HEADER]
    policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE], "img-src": ["*"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        changed = served(SecurityHeadersMiddleware, redirect)[HEADER]
    assert "img-src *" in changed
    assert served(SecurityHeadersMiddleware, redirect)[HEADER] == before


def test_a_report_only_policy_and_excluded_paths_are_the_librarys() -> None:
    report_only = {"DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-reports/"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        response = served(SecurityHeadersMiddleware, redirect)
    assert "report-uri /csp-reports/" in response[HEADER_REPORT_ONLY]
    excluded = {"EXCLUDE_URL_PREFIXES": ["/exports/"], "DIRECTIVES": {"default-src": [SELF]}}
    with override_settings(CONTENT_SECURITY_POLICY=excluded):
        assert HEADER not in served(SecurityHeadersMiddleware, redirect, "/exports/x")
        assert HEADER in served(SecurityHeadersMiddleware, redirect, "/other/")
