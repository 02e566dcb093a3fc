"""`check --deploy` finds nothing to say about the production settings.

The database named is PostgreSQL (production refuses SQLite: coproduce.E001, in
tests/core/test_settings.py); the check does not connect to it.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

# The browser journeys allow Django's ORM in Playwright's event loop for the rest of the
# session (tests/e2e/conftest.py); a production process never does, and the check says so.
SAFE_ASYNC = {"DJANGO_ALLOW_ASYNC_UNSAFE": ""}


def deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    production = {
        "COPRODUCE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "coproduce.example.org",
        "DATABASE_URL": "postgres://coproduce@127.0.0.1:5432/coproduce",
        "COPRODUCE_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check", "--deploy"],
        capture_output=True,
        text=True,
        env={**os.environ, **production, **env} | SAFE_ASYNC,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stderr


def test_it_stays_clean_when_the_operator_opts_into_every_https_setting(tmp_path: Path) -> None:
    """Each silenced warning is silenced only while its setting is off."""
    result = deploy_check(
        tmp_path,
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stderr


def test_a_short_secret_key_is_reported(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, SECRET_KEY="short")
    assert "security.W009" in result.stderr


def test_the_embedded_default_checks_clean_against_its_own_database(tmp_path: Path) -> None:
    """What `make demo` prints on migrating: no warning that SQLite drops the covering
    index's extra columns (they are for PostgreSQL)."""
    result = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "check", "--database", "default"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"} | SAFE_ASYNC,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout, result.stderr
