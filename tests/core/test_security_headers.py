"""Hardening headers: the Content Security Policy with its nonce, HSTS, cookies and the
rest (docs/security-hardening.md). The browser side is tests/e2e/test_csp_journeys.py."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from coproduce.accounts.models import User
from tests.conftest import World
from tests.deliberation.conftest import make_consultation

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "coproduce" / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>")
NONCE_ATTRIBUTE = re.compile(r'\snonce="([^"]*)"')
INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),  # a <script> without src: inline code
    re.compile(r"<style\b"),
    re.compile(r"""\sstyle=["']"""),
    re.compile(r"""\son[a-z]+=["']"""),  # onclick= and the other event handlers
]


def directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def script_nonces(html: str) -> list[str]:
    """The nonce of every executable <script> tag (a JSON data block runs nothing)."""
    tags = [a for a in SCRIPT_TAG.findall(html) if 'type="application/json"' not in a]
    return [match.group(1) if (match := NONCE_ATTRIBUTE.search(a)) else "" for a in tags]


@pytest.mark.django_db
def test_a_page_gets_the_policy_with_no_inline_or_eval_and_a_nonce_on_every_script() -> None:
    response = Client().get("/")
    policy = directives(response.headers["Content-Security-Policy"])
    nonce = policy["script-src"][1]
    assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{20,}'", nonce)
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", nonce],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    nonces = script_nonces(response.content.decode())
    assert len(nonces) >= 3  # js-enabled, GOV.UK Frontend and its initialisation
    assert set(nonces) == {nonce[len("'nonce-") : -1]}


@pytest.mark.django_db
def test_each_response_gets_a_nonce_of_its_own() -> None:
    first, second = (Client().get("/").headers["Content-Security-Policy"] for _ in range(2))
    assert directives(first)["script-src"][1] != directives(second)["script-src"][1]


def test_no_template_has_inline_script_style_or_event_handler() -> None:
    """The policy would block them: code and styles live in static files."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for pattern in INLINE_CODE
        for match in pattern.finditer(path.read_text())
    ]
    assert not found


def test_every_script_tag_of_the_templates_carries_the_nonce() -> None:
    missing = [
        f"{path.relative_to(TEMPLATES)}: <script{attributes}>"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for attributes in SCRIPT_TAG.findall(path.read_text())
        if 'nonce="{{ request.csp_nonce }}"' not in attributes
    ]
    assert not missing


def test_a_cached_page_names_no_stale_nonce_in_its_policy(world: World) -> None:
    """The anonymous consultation page is kept whole in the cache, nonce attributes and
    all. A later visitor's policy names no nonce (none was asked for), so the page's
    scripts, all files of this site, run by 'self': the browser journey proves it."""
    url = f"/have-your-say/{make_consultation(world).code}/"
    first = Client().get(url)
    again = Client().get(url)
    assert again.content == first.content  # from the cache, the first nonce inside
    assert directives(again.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_other_hardening_headers() -> None:
    headers = Client().get("/").headers
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_hsts_is_sent_over_https_only() -> None:
    assert "Strict-Transport-Security" not in Client().get("/").headers
    secure = Client().get("/", secure=True).headers
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def production_settings(**env: str) -> dict[str, object]:
    """Settings as the production shape reads them, in a fresh interpreter."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **production_environment(), **env},
        timeout=120,
        check=True,
    )
    values: dict[str, object] = json.loads(result.stdout)
    return values


def production_environment() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "coproduce.settings",
        "COPRODUCE_ENV": "production",
        "SECRET_KEY": "a-production-secret-key-for-the-tests-" + "k" * 30,
        "FIELD_ENCRYPTION_KEYS": "a-production-field-key-for-the-tests",
        "ALLOWED_HOSTS": "coproduce.example.org",
        "DATABASE_URL": "postgres://coproduce@127.0.0.1:5432/coproduce",
    }


def test_production_sends_hsts_for_a_year_and_secures_every_cookie() -> None:
    assert production_settings() == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
    }


def test_hsts_subdomains_and_preload_are_opted_into() -> None:
    chosen = production_settings(SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")
    assert chosen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert chosen["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.django_db
def test_a_post_without_its_csrf_token_is_refused_and_writes_nothing() -> None:
    """Another site cannot make a visitor's browser sign up, reply or comment for them."""

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/account/create/",
        {
            "username": "forged",
            "password": "a long passphrase",
            "password_again": "a long passphrase",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="forged").exists()
