"""Settings, read from the environment.

Safe local defaults: an embedded SQLite file, DEBUG on, localhost only.
Production (FACTCHECK_ENV=production) refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS, and never runs with DEBUG on.

Environment variables:
    FACTCHECK_ENV   development (default) or production
    DATABASE_URL    e.g. postgres://user@127.0.0.1:5432/factcheck
                    (default: sqlite file db.sqlite3 next to manage.py)
    SECRET_KEY      required in production: 50+ random characters, refused
                    if predictable (factcheck.secret_key)
    DEBUG           true/false (default: true in development, false in production)
    ALLOWED_HOSTS   comma-separated host names
    LOG_LEVEL       INFO (default), WARNING, ERROR...: what goes to standard output
    SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD
                    production only: a year, true, true (see README, "Deploying")
    MEDIA_ROOT      where captures are stored by default (default: ./media)
    CAPTURE_MAX_BYTES, CAPTURE_FETCH_ENABLED, CAPTURE_FETCH_TIMEOUT
                    evidence captures: size cap (20 MiB), "capture this URL now"
                    (off), fetch timeout (20 s)
    CAPTURES_S3_BUCKET and CAPTURES_S3_*
                    captures in an S3-compatible store (factcheck/capture_storage.py)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from factcheck import secret_key
from factcheck.cache_url import parse_cache_url
from factcheck.capture_storage import capture_storage

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("FACTCHECK_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"FACTCHECK_ENV={ENVIRONMENT!r}: use 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when FACTCHECK_ENV=production.")

_DEV_SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    _weakness = secret_key.weakness(SECRET_KEY) if SECRET_KEY else "it is not set"
    if _weakness:
        raise ImproperlyConfigured(
            f"FACTCHECK_ENV=production needs a real SECRET_KEY of at least "
            f"{secret_key.MIN_LENGTH} random characters; this one will not do: {_weakness}. "
            "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
elif not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "FACTCHECK_ENV=production needs ALLOWED_HOSTS, e.g. factcheck.example.org."
    )

INSTALLED_APPS = [
    # Our app first, so its `loaddata` (which writes history) overrides Django's.
    "factcheck.apps.FactcheckConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
]

MIDDLEWARE = [
    # First: every log line of the request, and its answer, carry its id.
    "factcheck.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A null character in a search or filter would reach PostgreSQL: 400 first.
    "factcheck.middleware.RefuseNullCharacters",
    # Static files with hashed names, served with a year-long cache lifetime.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers a locked-out login with the lock page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.public.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60 if PRODUCTION else 0,
        conn_health_checks=PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so two concurrent workflow
    # steps queue up instead of failing with "database is locked" mid-way.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public answers, keyed by the public state (factcheck/cache_url.py).
CACHES = {"default": parse_cache_url(os.environ.get("CACHE_URL", ""))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` writes hashed, compressed copies; whitenoise serves them
    # with "Cache-Control: max-age=315360000, public, immutable".
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "captures": capture_storage(os.environ, MEDIA_ROOT),
}

# Evidence captures (factcheck.captures): the size cap of a captured page, and
# whether the desk may have the app fetch a URL now (off: uploads only). The
# fetch timeout is per connection and read; a whole fetch gets three times it.
CAPTURE_MAX_BYTES = env_int("CAPTURE_MAX_BYTES", 20 * 1024 * 1024)
CAPTURE_FETCH_ENABLED = env_bool("CAPTURE_FETCH_ENABLED", default=False)
CAPTURE_FETCH_TIMEOUT = env_int("CAPTURE_FETCH_TIMEOUT", 20)
# Only tests that start a local server turn this on: fetch from 127.0.0.1 / ::1.
CAPTURE_FETCH_ALLOW_LOOPBACK = False

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out login before any password is checked.
# Role accounts (factcheck.roles) may log in only in local development.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "factcheck.backends.RoleAccountBackend",
]

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for
# one username, that account cannot log in for LOGIN_LOCKOUT_MINUTES, right
# password or not. Counted per username, not per address: behind a proxy every
# reader shares one address. The counts live in the database, so every app
# server sees the same ones. README, "Logging in", says how to unlock someone.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lock without the address can be dodged by changing
# user agent or cookies; a lock on the username cannot. Locking addresses would
# lock out a whole newsroom behind one NAT, or every reader behind the proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = True
# The lock ends LOGIN_LOCKOUT_MINUTES after it began: more wrong guesses do not
# keep the real owner out for longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.locked_out"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")
# Where staff reach the site; used for links in assignment e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Who publishes the fact-checks: named as the author of every ClaimReview,
# annotation and feed. Never a staff member's name.
SITE_NAME = os.environ.get("SITE_NAME", "Fact-check tracker")
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", SITE_NAME)

# Importing an article (factcheck.articles): the largest file or pasted text read, in bytes.
ARTICLE_IMPORT_MAX_BYTES = int(os.environ.get("ARTICLE_IMPORT_MAX_BYTES", 5 * 1024 * 1024))

# The public JSON API is read-only and anonymous: no sessions, no browsable HTML.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} public API",
    "DESCRIPTION": (
        "Read-only access to published fact-checks: each claim as last published, "
        "its verdict on the rating scale, the evidence cited and the article it comes "
        "from. Nothing unpublished is ever returned."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "factcheck.models.claims.ClaimKind",
        "SourceKindEnum": "factcheck.models.sources.SourceKind",
        "VerdictEnum": "factcheck.public.api.VERDICT_CHOICES",
    },
}

# Logs go to standard output, where the platform (systemd, a container runtime)
# collects them: server errors (django.request) with their traceback, and
# warnings such as a locked-out login (axes). Django's own default sends them
# to the console only with DEBUG on, and by e-mail to ADMINS, which is empty.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r}: use DEBUG, INFO, WARNING or ERROR.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "{asctime} {levelname} [{request_id}] {name}: {message}",
            "style": "{",
        },
    },
    "filters": {"request_id": {"()": "factcheck.request_ids.RequestIdFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}

# Content-Security-Policy (django-csp), everywhere, in development too so that
# what is built is what runs: scripts, styles, images and fonts from this site
# only; no inline script, no inline style, no plugins, no framing; forms post
# here only. JSON-LD data blocks are not scripts and are unaffected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Run the pytest suite from `python3 manage.py test`.
TEST_RUNNER = "factcheck.testing.PytestTestRunner"

# History rows record the admin user, or say which command wrote them.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

_YEAR = 365 * 24 * 3600

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS: browsers use only HTTPS for this host and every subdomain, for a
    # year, and may ship that in their preload list. Turning either off is a
    # deliberate choice, so Django's deploy check is told not to warn about it.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(_YEAR)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if SECURE_HSTS_PRELOAD and (SECURE_HSTS_SECONDS < _YEAR or not SECURE_HSTS_INCLUDE_SUBDOMAINS):
        raise ImproperlyConfigured(
            f"SECURE_HSTS_PRELOAD needs SECURE_HSTS_SECONDS of at least {_YEAR} (a year) and "
            "SECURE_HSTS_INCLUDE_SUBDOMAINS=true, as the browsers' preload list requires; "
            "or set SECURE_HSTS_PRELOAD=false."
        )
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SECURE_CONTENT_TYPE_NOSNIFF = True
