"""Settings, read from the environment so one build serves the demo, the tests and production.

LANTOA_DATABASE_URL  database (default: SQLite under LANTOA_DATA_DIR)
LANTOA_DATA_DIR      where the SQLite file and uploads live (default: ./var)
LANTOA_SECRET_KEY    required when LANTOA_DEBUG is off
LANTOA_DEBUG         "1" for development and the demo
LANTOA_ALLOWED_HOSTS comma-separated host names
LANTOA_EMAIL_URL     "console" (default in debug), "smtp://host:port", "locmem"
LANTOA_CACHE_URL     the cache that holds rate limits: "redis://127.0.0.1:6379/0" in production
                     (shared by every worker process), "locmem://" (default, one process)
LANTOA_TRUSTED_PROXIES  how many reverse proxies stand in front (0, the default: none; the
                     client's address is then the Nth from the right of X-Forwarded-For)
LANTOA_HTTPS         "1" (default outside debug): HSTS, redirect to https, secure cookies
LANTOA_CSP           "1" (default outside debug): a Content-Security-Policy on every page
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LANTOA_DATA_DIR") or Path.cwd() / "var").resolve()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name} must not be negative")
    return number


DEBUG = os.environ.get("LANTOA_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("LANTOA_SECRET_KEY", "")
if not SECRET_KEY:
    # Command-line use (import-plan, ask ...) signs nothing that outlives the process, so an
    # ephemeral key serves; the web server refuses to start without a real one (wsgi.py).
    SECRET_KEY = (
        "lantoa-insecure-development-key-never-use-in-production"  # noqa: S105
        if DEBUG
        else secrets.token_urlsafe(50)
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("LANTOA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "auditlog",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_prose_editor",
    "lantoa.core",
    "lantoa.orgs",
    "lantoa.indicators",
    "lantoa.plans",
    "lantoa.media",
    "lantoa.activities",
    "lantoa.content",
    "lantoa.channels",
    "lantoa.programme",
    "lantoa.analytics",
    "lantoa.reports",
    "lantoa.evaluation",
    "lantoa.assistant",
    "lantoa.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lantoa.core.middleware.SecurityHeadersMiddleware",
    "lantoa.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantoa.core.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantoa.urls"
WSGI_APPLICATION = "lantoa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Lantoa's own pages first: the admin app's registration templates (password change
        # and reset, logged out) would otherwise win over Lantoa's, being installed earlier.
        "DIRS": [PACKAGE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lantoa.orgs.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("LANTOA_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'lantoa.sqlite3'}",
        conn_max_age=int(os.environ.get("LANTOA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a loader writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # The same backend, making the data directory on the first connection (a fresh server).
    DATABASES["default"]["ENGINE"] = "lantoa.core.db.sqlite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account after repeated failures, per (username, address) so one attacker cannot
# lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("LANTOA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lantoa.core.views.lockout"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "old_password"]
# The failures are counted in the database, which every worker process shares.
AXES_CLIENT_IP_CALLABLE = "lantoa.core.clientip.client_ip"

# The client's address behind reverse proxies (lantoa.core.clientip): the lockout, the token
# throttle, the assistant's rate limit and the audit log all use it.
LANTOA_TRUSTED_PROXIES = _env_int("LANTOA_TRUSTED_PROXIES", 0)

# Rate limits (the assistant's questions, the token endpoint) are counted in the default cache:
# one process's memory by default, Redis in production so every worker counts together.
_cache = os.environ.get("LANTOA_CACHE_URL", "").strip() or "locmem://"
if _cache.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache,
            "KEY_PREFIX": os.environ.get("LANTOA_CACHE_PREFIX", "lantoa"),
        }
    }
elif _cache.startswith("locmem://"):
    # Outside debug this is warned by the system check lantoa.W001 (lantoa.core.checks).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"LANTOA_CACHE_URL must start with redis://, rediss://, unix:// or locmem://, not {_cache!r}"
    )

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

_email = os.environ.get("LANTOA_EMAIL_URL", "console" if DEBUG else "smtp://127.0.0.1:25")
if _email == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    _host, _, _port = _email.removeprefix("smtp://").partition(":")
    EMAIL_HOST, EMAIL_PORT = _host, int(_port or 25)
# A slow or unreachable mail server must not hold a request (mail is sent after the commit).
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("LANTOA_FROM_EMAIL", "Lantoa <no-reply@lantoa.local>")

SESSION_COOKIE_HTTPONLY = True
# Outside debug Lantoa is served over https (by the proxy in front): HSTS for a year, plain http
# redirected, cookies never sent over http. LANTOA_HTTPS=0 turns this off for an http-only
# intranet test server.
# (The test suite's client speaks plain http: off there unless asked for.)
_TESTING = os.environ.get("LANTOA_TESTING") == "1"
HTTPS = not DEBUG and os.environ.get("LANTOA_HTTPS", "0" if _TESTING else "1") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the province's other sites are not ours to pin
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS and LANTOA_TRUSTED_PROXIES:
    # The proxy terminates TLS and says so; without a proxy the header is not trusted.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
LANTOA_CSP = os.environ.get("LANTOA_CSP", "0" if DEBUG else "1") == "1"

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lantoa.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lantoa.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("LANTOA_TOKEN_TTL_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lantoa API",
    "DESCRIPTION": "Org tree, memberships and (later) plans, reports and content of Lantoa.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_numbers": {"()": "lantoa.core.logging.MaskNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LANTOA_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The development server's request log: no phone or ID number in a logged address.
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "filters": ["mask_numbers"],
            "propagate": False,
        },
    },
}

if os.environ.get("LANTOA_TESTING") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background work (OCR of scanned plans, later publishing and reminders) through the Django
# tasks API: a database-backed queue by default, run by `lantoa db_worker`; the tests run tasks
# in-process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "LANTOA_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("LANTOA_TESTING") == "1"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Uploads. Each kind has its largest size, checked from the upload's recorded size before a
# byte of it is read (core.uploads.LimitedFileField, read_upload). Django keeps files up to
# FILE_UPLOAD_MAX_MEMORY_SIZE in memory and streams larger ones to a temporary file; a request
# body other than files over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400. The proxy in front must let
# the largest upload through and no more (docs/operations.md: client_max_body_size 60m).
MB = 1024 * 1024
PLAN_MAX_BYTES = int(os.environ.get("LANTOA_PLAN_MAX_MB", "50")) * MB
EVIDENCE_MAX_BYTES = int(os.environ.get("LANTOA_EVIDENCE_MAX_MB", "20")) * MB
SHEET_MAX_BYTES = int(os.environ.get("LANTOA_SHEET_MAX_MB", "10")) * MB
ASSISTANT_DOCUMENT_MAX_BYTES = int(os.environ.get("LANTOA_ASSISTANT_DOCUMENT_MAX_MB", "30")) * MB
# The resource library: the largest file of each kind, and the largest picture decoded (a
# decompression bomb, a small PNG of a billion pixels, is refused from its header).
LIBRARY_IMAGE_MAX_BYTES = int(os.environ.get("LANTOA_LIBRARY_IMAGE_MAX_MB", "30")) * MB
LIBRARY_VIDEO_MAX_BYTES = int(os.environ.get("LANTOA_LIBRARY_VIDEO_MAX_MB", "200")) * MB
LIBRARY_AUDIO_MAX_BYTES = int(os.environ.get("LANTOA_LIBRARY_AUDIO_MAX_MB", "100")) * MB
LIBRARY_DOCUMENT_MAX_BYTES = int(os.environ.get("LANTOA_LIBRARY_DOCUMENT_MAX_MB", "50")) * MB
LIBRARY_SOURCE_MAX_BYTES = int(os.environ.get("LANTOA_LIBRARY_SOURCE_MAX_MB", "200")) * MB
LIBRARY_MAX_PIXELS = int(os.environ.get("LANTOA_LIBRARY_MAX_MEGAPIXELS", "60")) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * MB
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# A plan's review posts about ten fields per task: 2,000 fields would refuse a plan of ~95
# tasks and lose the reviewer's work; the bound still stops a flood of fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
# OCR of scanned PDFs.
OCR_LANGUAGE = os.environ.get("LANTOA_OCR_LANGUAGE", "vie")

# The Q&A assistant: questions per client per minute on the public endpoints, and the Zalo
# Official Account it answers through (empty: the webhook refuses every call).
ASSISTANT_RATE_PER_MINUTE = int(os.environ.get("LANTOA_ASSISTANT_RATE", "20"))
# Imported plans are indexed for the assistant in the background (off in the test suite, where
# plans are imported by the hundred; the assistant's own tests turn it on).
ASSISTANT_INDEX_PLANS = os.environ.get("LANTOA_TESTING") != "1"
# The site's public address, for links sent to the social platforms (no request to build it from).
PUBLIC_BASE_URL = os.environ.get("LANTOA_PUBLIC_URL", "http://localhost:8000").rstrip("/")
ZALO_APP_ID = os.environ.get("LANTOA_ZALO_APP_ID", "")
ZALO_OA_SECRET = os.environ.get("LANTOA_ZALO_OA_SECRET", "")
ZALO_ACCESS_TOKEN = os.environ.get("LANTOA_ZALO_ACCESS_TOKEN", "")
ZALO_API_URL = os.environ.get("LANTOA_ZALO_API_URL", "https://openapi.zalo.me")
ZALO_TIMEOUT = float(os.environ.get("LANTOA_ZALO_TIMEOUT", "5"))

# Channels (Facebook Pages, Zalo OAs, YouTube channels): their tokens are encrypted with the
# Fernet keys in LANTOA_CHANNEL_KEYS (comma-separated; the first encrypts, all decrypt:
# docs/operations.md "Channel tokens"); without keys a development key is derived in DEBUG and
# the tests only. Each platform's address is a setting so the tests point it at a fake.
LANTOA_CHANNEL_KEYS = os.environ.get("LANTOA_CHANNEL_KEYS", "")
CHANNEL_DEVELOPMENT_KEY = DEBUG or _TESTING
LANTOA_CHANNEL_TIMEOUT = float(os.environ.get("LANTOA_CHANNEL_TIMEOUT", "20"))
LANTOA_FACEBOOK_GRAPH_URL = os.environ.get(
    "LANTOA_FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v26.0"
)
LANTOA_ZALO_OPENAPI_URL = os.environ.get("LANTOA_ZALO_OPENAPI_URL", ZALO_API_URL)
LANTOA_ZALO_OAUTH_URL = os.environ.get("LANTOA_ZALO_OAUTH_URL", "https://oauth.zaloapp.com")
# The Zalo app's secret key (the OAuth "secret_key" header of a token refresh); not the OA
# secret key ZALO_OA_SECRET that signs webhook calls.
ZALO_APP_SECRET = os.environ.get("LANTOA_ZALO_APP_SECRET", "")
# A Zalo article needs a cover photo address when the post brings none.
LANTOA_ZALO_DEFAULT_COVER_URL = os.environ.get("LANTOA_ZALO_DEFAULT_COVER_URL", "")
LANTOA_YOUTUBE_UPLOAD_URL = os.environ.get(
    "LANTOA_YOUTUBE_UPLOAD_URL", "https://www.googleapis.com/upload/youtube/v3"
)
LANTOA_YOUTUBE_API_URL = os.environ.get(
    "LANTOA_YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3"
)
LANTOA_GOOGLE_TOKEN_URL = os.environ.get(
    "LANTOA_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"
)
LANTOA_YOUTUBE_CLIENT_ID = os.environ.get("LANTOA_YOUTUBE_CLIENT_ID", "")
LANTOA_YOUTUBE_CLIENT_SECRET = os.environ.get("LANTOA_YOUTUBE_CLIENT_SECRET", "")
LANTOA_YOUTUBE_CHUNK_BYTES = int(os.environ.get("LANTOA_YOUTUBE_CHUNK_MB", "8")) * MB
# Tokens are refreshed this long before they lapse (lantoa refresh-channel-tokens, from cron).
CHANNEL_REFRESH_AHEAD = int(os.environ.get("LANTOA_CHANNEL_REFRESH_AHEAD_HOURS", "6")) * 3600
