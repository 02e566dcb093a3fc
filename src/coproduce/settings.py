"""Coproduce settings: safe defaults, overlaid by environment variables (12-factor).

Every variable is documented in docs/configuration.md. Misconfiguration fails loudly at
start-up with a message that names the variable, never later with a 500.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from coproduce.core.logging import logging_config

# Lets typed generics such as admin.ModelAdmin[Area] work at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("COPRODUCE_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The embedded default (SQLite, in-process tasks) is for a laptop and the demo; the
# production shape sets COPRODUCE_ENV=production, which makes every secret mandatory.
PRODUCTION = env.str("COPRODUCE_ENV", default="development") == "production"

_DEV_SECRET = "coproduce-development-only-not-secret"  # noqa: S105 - refused in production below # nosec B105
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when COPRODUCE_ENV=production.")
# Earlier secret keys, still accepted (signatures, and decrypting fields until re-encrypted).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# Keys of the fields encrypted at rest (coproduce.core.encryption), newest first: the
# first encrypts, every one decrypts. django-fernet-encrypted-fields reads SALT_KEY.
# A fixed, public default for development and tests only: refused in production below.
_DEV_FIELD_KEY = "coproduce-development-field-key-not-secret"
SALT_KEY = env.list("FIELD_ENCRYPTION_KEYS", default=[] if PRODUCTION else [_DEV_FIELD_KEY])
if not SALT_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when COPRODUCE_ENV=production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _database_from_url(url: str) -> dict[str, object]:
    """Parse DATABASE_URL, refusing anything but SQLite and PostgreSQL with a clear message."""
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL {url!r} is not usable: scheme {scheme or '(none)'!r} is not "
            "supported; use sqlite:///path/to/file.sqlite3 or "
            "postgres://user:password@host:5432/name."
        )
    try:
        config: dict[str, object] = environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several kinds; name the variable
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} is not usable: {error}") from error
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL {url!r} is not usable: it names no database.")
    config["ATOMIC_REQUESTS"] = False
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if scheme == "sqlite" else 60)
    if scheme == "sqlite":
        # WAL lets the web server read while the task worker writes.
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    elif env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # The statements run on every public POST are prepared from their fifth run on a
        # connection (coproduce.core.statements); Django's own queries never are.
        given = config.get("OPTIONS")
        options: dict[str, object] = dict(given) if isinstance(given, dict) else {}
        options.setdefault("prepare_threshold", 5)
        config["OPTIONS"] = options
    return config


DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    # The embedded default: one SQLite file under var/ (git-ignored).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'coproduce.sqlite3'}"
DATABASES = {"default": _database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # htmx.js for progressive enhancement; its middleware (request.htmx) is left out
    # until a view reads it: every request paid for it.
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "coproduce.core",
    "coproduce.accounts",
    "coproduce.places",
    "coproduce.organisations",
    "coproduce.engagement",
    "coproduce.campaigns",
    "coproduce.events",
    "coproduce.forums",
    "coproduce.consultations",
    "coproduce.votes",
    "coproduce.deliberation",
    "coproduce.volunteering",
    "coproduce.measurement",
    "coproduce.impact",
    "coproduce.reports",
    "coproduce.demo",
    "simple_history",
    "coproduce.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: pages get the Content Security Policy and Permissions-Policy.
    "coproduce.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: history rows record the signed-in person who made a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "coproduce.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coproduce.core.middleware.RequestLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coproduce.urls"
WSGI_APPLICATION = "coproduce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisations:dashboard_home"
LOGOUT_REDIRECT_URL = "organisations:home"
# The lockout backend first: it refuses a locked-out sign-in before any password check.
AUTHENTICATION_BACKENDS = [
    "coproduce.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): after this many failed sign-ins for one username from one
# address, that pair is refused for the cooling-off period. See docs/accounts.md.
AXES_FAILURE_LIMIT = env.int("COPRODUCE_SIGN_IN_ATTEMPTS", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("COPRODUCE_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coproduce.accounts.lockout.locked_out"
# The client's address, read past RATE_LIMIT_PROXIES reverse proxies as the rate limits do.
AXES_CLIENT_IP_CALLABLE = "coproduce.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "coproduce.accounts.lockout.sign_in_username"
# Two-factor sign-in for everyone with a staff role and for superusers (django-otp).
COPRODUCE_TWO_FACTOR_REQUIRED = env.bool("COPRODUCE_TWO_FACTOR_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "Coproduce"

# Argon2 first: new passwords are hashed with it; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # A passphrase: long beats complex (NCSC "three random words").
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic's target; in development static files come straight from the apps.
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static") if PRODUCTION else "") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Tasks: run in-process by default; COPRODUCE_TASKS=database queues them for db_worker
# processes, any number on any machine sharing the database.
TASKS_BACKEND = env.str("COPRODUCE_TASKS", default="database" if PRODUCTION else "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured(
        f"COPRODUCE_TASKS {TASKS_BACKEND!r} is not usable: choose 'immediate' or 'database'."
    )
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
# A working day: after it, sign in again.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
CSRF_COOKIE_SECURE = PRODUCTION
# The language chosen with the switcher's links (core.views.choose_language).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)

# --- Hardening (docs/security-hardening.md) -------------------------------------------
# HSTS: browsers that reached the site over https keep to https for a year. Subdomains
# and the browsers' preload list are the operator's choice: both outlive a change of mind.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features no page of Coproduce uses (coproduce.core.middleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Scripts and styles only from Coproduce's own files, never inline, never `eval`; every
# <script> tag carries the request's nonce besides. Charts draw with Vega's interpreter.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Checks silenced, each for a reason:
SILENCED_SYSTEM_CHECKS = [
    # models.W040 (an index's INCLUDE columns): the covering index of the participation
    # ledger is for PostgreSQL; SQLite builds the same index without them, as it should.
    *(["models.W040"] if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3") else []),
    # `check --deploy`:
    # W008 (SECURE_SSL_REDIRECT off): the TLS-terminating reverse proxy redirects http to
    # https (docs/deploy.md); the app itself answers the proxy's plain-http health checks.
    *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    # W005 (HSTS without subdomains): other services may live on the domain's subdomains;
    # SECURE_HSTS_INCLUDE_SUBDOMAINS=true opts in where every one of them is on https.
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
    # W021 (no HSTS preload): being in the browsers' preload list is near-irreversible;
    # SECURE_HSTS_PRELOAD=true opts in once the whole domain is on https for good.
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
]

LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "console")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)

# The area the home page shows (an Area code); empty: the county with most organisations.
COPRODUCE_HOME_AREA = env.str("COPRODUCE_HOME_AREA", default="")

# What an hour of volunteering is worth, for the impact work: by default the UK National
# Living Wage from April 2025 (£12.21 an hour, aged 21 and over; GOV.UK, "National
# Minimum Wage and National Living Wage rates"). Organisations set their own.
COPRODUCE_VOLUNTEER_HOUR_VALUE = env.str("COPRODUCE_VOLUNTEER_HOUR_VALUE", default="12.21")

# The address people reach Coproduce at, for links in emails.
COPRODUCE_BASE_URL = env.str("COPRODUCE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Where the quick-exit button of a sensitive service's pages leads: a neutral site that
# says nothing about the page the person was on.
COPRODUCE_QUICK_EXIT_URL = env.str(
    "COPRODUCE_QUICK_EXIT_URL", default="https://www.bbc.co.uk/weather"
)
if not COPRODUCE_QUICK_EXIT_URL.startswith("https://"):
    raise ImproperlyConfigured("COPRODUCE_QUICK_EXIT_URL must be an https:// address.")

# Check each chart's Vega-Lite spec against the schema as it is built: the test suite
# does; pages need not, since the specs come from the code, not from users.
CHART_VALIDATE = env.bool("CHART_VALIDATE", default=False)

# The cache: each process's own memory unless CACHE_URL names a shared one. Rate limits
# count in it, so a production with several web processes shares one: the database's
# (dbcache://coproduce_cache, made by `coproduce createcachetable`) or Redis
# (docs/public-input-integrity.md).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Rate limits of public writes: "<POSTs>/<seconds>" for each signed-in person or client
# address; RATE_LIMIT_<NAME> overrides one (core/ratelimit.py). RATE_LIMIT_PROXIES: how
# many reverse proxies stand in front, so the client's address is read past them.
RATE_LIMITS = {
    name: env.str(f"RATE_LIMIT_{name.upper()}", default=default)
    for name, default in {
        "answer": "60/600",
        "comment": "20/600",
        "proposal": "10/600",
        "support": "60/600",
        "ballot": "30/600",
        "rsvp": "20/600",
        "sign_up": "10/3600",
        "sign_in": "30/600",
    }.items()
}
RATE_LIMIT_PROXIES = env.int("RATE_LIMIT_PROXIES", default=0)

# Bots kept out of public forms (core/antispam.py): a form sent sooner than this after
# it was shown, or later, is refused; ANTISPAM_TIMING=false keeps only the honeypot.
ANTISPAM_TIMING = env.bool("ANTISPAM_TIMING", default=True)
ANTISPAM_MIN_SECONDS = env.float("ANTISPAM_MIN_SECONDS", default=3.0)
ANTISPAM_MAX_AGE_HOURS = env.float("ANTISPAM_MAX_AGE_HOURS", default=24.0)

# Email (reminders, notifications): printed to the console unless an SMTP server is set.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Coproduce <no-reply@localhost>")
