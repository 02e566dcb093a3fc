"""Misconfiguration fails at start-up with a message naming the variable."""

import os
import subprocess
import sys

import pytest


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root@localhost/x", "scheme 'mysql' is not supported"),
        ("nonsense", "scheme '(none)' is not supported"),
        ("postgres://user@localhost:notaport/db", "DATABASE_URL"),
        ("postgres://user@localhost:5432/", "it names no database"),
    ],
)
def test_a_bad_database_url_is_refused_with_a_clear_message(url: str, says: str) -> None:
    result = run_check(DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert says in result.stderr
    assert url in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_check(COPRODUCE_ENV="production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_field_encryption_keys() -> None:
    result = run_check(COPRODUCE_ENV="production", SECRET_KEY="x" * 60, FIELD_ENCRYPTION_KEYS="")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_the_production_deploy_check_refuses_sqlite() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check", "--deploy", "--fail-level", "ERROR"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "COPRODUCE_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "FIELD_ENCRYPTION_KEYS": "f" * 40,
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": "sqlite:////tmp/coproduce-check.sqlite3",
        },
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "coproduce.E001" in result.stderr


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with Coproduce's settings and ``env``."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "coproduce.settings", **env},
        timeout=120,
        check=True,
    )


def database_options(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    return run_python(code, **env).stdout.strip()


def test_postgresql_prepares_the_public_statements_unless_told_not_to() -> None:
    url = "postgres://coproduce@db.internal:5432/coproduce"
    assert database_options(DATABASE_URL=url) == "{'prepare_threshold': 5}"
    assert database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false") == "None"
