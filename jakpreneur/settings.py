"""JakPreneur portal settings.

Everything comes from the environment (see .env.example). With nothing set the portal runs
on an embedded SQLite database with Celery tasks executed eagerly, which is what `make run`
and a plain `make test` use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jakpreneur.media import media_origin, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "For local development set DJANGO_DEBUG=1 (make run does this)."
        )
    SECRET_KEY = "django-insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "jakpreneur.apps.JakpreneurAdminConfig",  # django.contrib.admin, login rate-limited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.contrib.postgres",
    "simple_history",
    "outbox",
    "facilities",
    "registrations",
    "growth",
    "marketing",
    "financing",
    "privacy",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "jakpreneur.urls"

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
                "jakpreneur.context_processors.navigation",
            ],
        },
    },
    # /me/ only (jakpreneur/jinja.py says why): views choose it with `using="jinja2"`.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "jinja_templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "jakpreneur.jinja.environment",
            "context_processors": [
                "jakpreneur.jinja.context",
                "django.contrib.messages.context_processors.messages",
                "jakpreneur.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "jakpreneur.wsgi.application"

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url reads) from
# DATABASE_URL. Persistent connections on PostgreSQL with health checks so a restarted
# server does not leave dead connections behind.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout lets concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registrations.User"

# Argon2id first (jakpreneur/hashers.py); the others only read hashes made before, which are
# re-hashed with Argon2id at the next login.
JAKPRENEUR_ARGON2_MEMORY_KIB = env_int("JAKPRENEUR_ARGON2_MEMORY_KIB", 19 * 1024)
JAKPRENEUR_ARGON2_TIME_COST = env_int("JAKPRENEUR_ARGON2_TIME_COST", 2)
JAKPRENEUR_ARGON2_PARALLELISM = env_int("JAKPRENEUR_ARGON2_PARALLELISM", 1)
PASSWORD_HASHERS = [
    "jakpreneur.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/me/"  # entrepreneurs; staff and officials: registrations.views.home_url_for
LOGOUT_REDIRECT_URL = "/"

# Internationalisation: Indonesian first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Product photos: MEDIA_ROOT, or an S3-compatible bucket when JAKPRENEUR_S3_BUCKET is set.
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files (product photos, through STORAGES["default"]). Local by default; `make
# backup` archives this folder. Served by the web server in front (by Django under `make run`).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
# `make backup` writes its timestamped folders here (git-ignored; see README "Backups").
JAKPRENEUR_BACKUP_DIR = Path(os.environ.get("JAKPRENEUR_BACKUP_DIR") or BASE_DIR / "backups")
# Tests and `make run` work without collectstatic; whitenoise then serves from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JakPreneur <noreply@jakpreneur.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. With no broker configured tasks run eagerly in-process (embedded mode).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL or env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The request path must never wait on the broker: fail fast when it does not answer.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
# The outbox (outbox/): jobs queued by requests are rows first, so a broker outage delays
# them instead of losing them. The relay (`manage.py outbox_relay`, Procfile `relay`) polls
# every OUTBOX_RELAY_INTERVAL_SECONDS for jobs not yet handed to the broker, and hands over
# again a job handed over OUTBOX_REDELIVER_AFTER_MINUTES ago that never ran (a broker that
# lost it). A run claims its job for OUTBOX_LEASE_MINUTES (longer than any task's time
# limit); a job whose runs failed OUTBOX_MAX_ATTEMPTS times is given up. Done and given-up
# jobs are deleted after OUTBOX_RETENTION_DAYS.
OUTBOX_RELAY_INTERVAL_SECONDS = env_int("OUTBOX_RELAY_INTERVAL_SECONDS", 2)
OUTBOX_REDELIVER_AFTER_MINUTES = env_int("OUTBOX_REDELIVER_AFTER_MINUTES", 60)
OUTBOX_LEASE_MINUTES = env_int("OUTBOX_LEASE_MINUTES", 30)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 30)
# Legacy imports run in the worker (registrations/services/import_jobs.py): a run may take
# IMPORT_TIME_LIMIT_SECONDS (Celery's soft limit; less than OUTBOX_LEASE_MINUTES), and one that
# has reported no progress for IMPORT_STALE_AFTER_MINUTES is shown as stale (its worker is
# gone, nothing was written) and may be run again.
IMPORT_TIME_LIMIT_SECONDS = env_int("IMPORT_TIME_LIMIT_SECONDS", 25 * 60)
IMPORT_STALE_AFTER_MINUTES = env_int("IMPORT_STALE_AFTER_MINUTES", 10)
# Uploaded import files hold many people's NIK, phone and address: a daily job deletes them
# this many days after their import (docs/PRIVACY.md); the job's counts and refusals stay.
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 30)

# Programme settings.
# Sequential (OK OCE) mode: a facility can be requested only after the previous one is
# completed. Off by default: JakPreneur (Pergub 2/2020) lets entrepreneurs choose freely.
JAKPRENEUR_SEQUENTIAL_FACILITIES = env_bool("JAKPRENEUR_SEQUENTIAL_FACILITIES", default=False)
JAKPRENEUR_MINIMUM_AGE = 17

# Security. Production (debug off) gets secure cookies, HSTS and an SSL redirect; each can
# be turned off for a plain-HTTP deployment behind a TLS-terminating proxy on localhost.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Cache: Redis when CACHE_URL is set (or, failing that, when the Celery broker is Redis),
# a per-process memory cache otherwise (the embedded default). It holds the rate-limit
# counters, so every gunicorn instance must share it in production. Short socket timeouts:
# with Redis down a request must not hang, and the rate limiter fails open (see below).
CACHE_URL = os.environ.get("CACHE_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "jakpreneur",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jakpreneur"}}

# Rate limits per client IP (django-ratelimit, counters in the default cache) on the
# unauthenticated POSTs: registration, login and password reset. "count/period", period in
# s, m, h or d with an optional multiplier ("20/10m" = 20 per 10 minutes).
RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "10/h")
RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "20/10m")
RATELIMIT_PASSWORD_RESET = os.environ.get("RATELIMIT_PASSWORD_RESET", "5/h")
RATELIMIT_USE_CACHE = "default"
# Fail open: when the cache cannot be read (Redis down) requests are let through and a
# warning is logged, so an outage of the cache never blocks registration.
RATELIMIT_FAIL_OPEN = True
# Behind a reverse proxy set this to the header carrying the client address, e.g.
# HTTP_X_REAL_IP; by default REMOTE_ADDR is used.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

# The public address of the portal, for links in emails sent by background tasks (which
# have no request to build them from).
JAKPRENEUR_SITE_URL = os.environ.get("JAKPRENEUR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Progress snapshots (reports app): Celery beat recomputes them every
# PROGRESS_INTERVAL_SECONDS; the dashboard warns when the latest is older than
# PROGRESS_STALE_AFTER_SECONDS. Old snapshots are pruned after PROGRESS_SNAPSHOT_RETENTION_DAYS.
PROGRESS_INTERVAL_SECONDS = env_int("PROGRESS_INTERVAL_SECONDS", 600)
PROGRESS_STALE_AFTER_SECONDS = env_int("PROGRESS_STALE_AFTER_SECONDS", 3 * PROGRESS_INTERVAL_SECONDS)
PROGRESS_SNAPSHOT_RETENTION_DAYS = env_int("PROGRESS_SNAPSHOT_RETENTION_DAYS", 30)
CELERY_BEAT_SCHEDULE = {
    "compute-progress": {
        "task": "reports.tasks.compute_progress",
        "schedule": PROGRESS_INTERVAL_SECONDS,
        # A run that waited longer than one interval in the queue is superseded by the next.
        "options": {"expires": PROGRESS_INTERVAL_SECONDS},
    },
    # Growth: on the 5th of each month, remind whoever has not reported the previous month
    # (entrepreneurs, and each mentor about their people). Safe to run twice (ReminderSent).
    "growth-monthly-reminders": {
        "task": "growth.tasks.queue_monthly_reminders",
        "schedule": crontab(minute=0, hour=9, day_of_month=env_int("GROWTH_REMINDER_DAY", 5)),
    },
    # Uploaded import files past IMPORT_FILE_RETENTION_DAYS are deleted (personal data).
    "purge-import-files": {
        "task": "registrations.tasks.purge_import_files",
        "schedule": crontab(minute=30, hour=2),
    },
}

# ---------------------------------------------------------------------------------------------
# Production stack: security headers, login lockout, rate limits, sessions, cache, logging.
# Kept in one block (issue 6) so the settings above stay the plain wiring.
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS += ["axes", "csp", "jakpreneur.apps.JakpreneurConfig"]

# Outermost: the request log sees the final status, including 500s made from exceptions.
MIDDLEWARE.insert(0, "jakpreneur.middleware.RequestLogMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "jakpreneur.middleware.RejectNulBytesMiddleware"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "jakpreneur.middleware.RejectLongUrlsMiddleware"
)
# Longer URLs get a friendly 414 page (gunicorn lets request lines up to 8190 bytes through).
MAX_URL_LENGTH = env_int("DJANGO_MAX_URL_LENGTH", 4096)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "jakpreneur.middleware.StaffSessionMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("jakpreneur.middleware.StaffSessionMiddleware") + 1, "jakpreneur.middleware.PrivatePagesMiddleware"
)
# Axes turns a locked-out login into its lockout page; it must come last.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# Content-Security-Policy: everything from our own origin, nothing inline. Bootstrap's icons
# in its CSS are data: SVGs; its JS sets styles through the CSSOM, which CSP allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [media_origin(STORAGES["default"])])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "jakpreneur.views.csrf_failure"

# Database sessions, read through a query compiled once (jakpreneur/sessions.py).
SESSION_ENGINE = "jakpreneur.sessions"
# Sessions: entrepreneurs and officials keep theirs for two weeks; back-office staff (who
# see personal data) get a browser-session cookie that also ends after
# STAFF_SESSION_IDLE_MINUTES without a request (jakpreneur.middleware.StaffSessionMiddleware).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 14 * 24 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 60)

# The shared cache (CACHE_URL above) fails soft: with Redis down, cache reads miss and
# writes are dropped instead of raising into the request (jakpreneur/cache.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "jakpreneur.cache.FailSoftRedisCache"
# Switch for the rate limits above (benchmarks/load.py turns them off: all its traffic
# comes from 127.0.0.1). The client address comes from jakpreneur.security.client_ip,
# which trusts X-Forwarded-For only as far as DJANGO_TRUSTED_PROXY_COUNT proxies, unless
# RATELIMIT_IP_META_KEY names a header set by the proxy.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_IP_META_KEY = RATELIMIT_IP_META_KEY or "jakpreneur.security.client_ip"
RATELIMIT_VIEW = "jakpreneur.views.ratelimited"
# Number of reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Lockouts and rate limits key on the address this yields.
DJANGO_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one address, that pair is locked for AXES_COOLOFF_MINUTES, on the site and the admin alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with its per-request read compiled once (jakpreneur/backends.py).
    *globals().get("AUTHENTICATION_BACKENDS", ["jakpreneur.backends.ModelBackend"]),
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "jakpreneur.security.login_username"
AXES_CLIENT_IP_CALLABLE = "jakpreneur.security.client_ip"
AXES_LOCKOUT_CALLABLE = "jakpreneur.views.locked_out"
AXES_VERBOSE = False

# Structured logs: one JSON object per line on stdout (requests, tasks, errors), read by
# whatever collects the container/systemd output. DJANGO_LOG_FORMAT=plain for a terminal.
LOGGING["formatters"]["json"] = {"()": "jakpreneur.logging.JsonFormatter"}
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING["loggers"].update(
    {
        # Request lines come from jakpreneur.request; Django's own would repeat 4xx/5xx lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    }
)
# Let the worker use the logging configured above instead of replacing the root handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# PostgreSQL in production: connections persist for DATABASE_CONN_MAX_AGE seconds (psycopg2,
# so Django's own pool, which needs psycopg 3, is not used; see README), are health-checked
# before reuse, and a database that does not answer fails the request (and /healthz) within
# seconds instead of hanging a gunicorn thread until its timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# The few reads on every request that jakpreneur/prepared.py compiles once are also prepared on
# the server (PREPARE/EXECUTE, per persistent connection). Off behind a PgBouncer in transaction
# mode, which does not keep a session's prepared statements with it.
JAKPRENEUR_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)

# Collected static files: hashed and compressed (see jakpreneur/storage.py for why ours).
if STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage":
    STORAGES["staticfiles"]["BACKEND"] = "jakpreneur.storage.StaticFilesStorage"
