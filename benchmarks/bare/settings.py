"""Settings of the bare app: the minimum Django needs to route, render and insert.

``BARE_DATABASE_URL`` names its PostgreSQL database (default ``bare_bench`` on the local
server); connections are kept 60 s, as Coproduce's are on PostgreSQL.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

_url = urlsplit(
    os.environ.get("BARE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bare_bench")
)

DEBUG = False
SECRET_KEY = "bare-benchmark-only-not-secret"  # noqa: S105 - a loopback benchmark
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.bare.urls"
WSGI_APPLICATION = "benchmarks.bare.wsgi.application"
INSTALLED_APPS = ["benchmarks.bare"]
MIDDLEWARE: list[str] = []
USE_TZ = True
USE_I18N = False
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": _url.username or "postgres",
        "PASSWORD": _url.password or "",
        "HOST": _url.hostname or "127.0.0.1",
        "PORT": str(_url.port or 5432),
        "CONN_MAX_AGE": 60,
    }
}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
