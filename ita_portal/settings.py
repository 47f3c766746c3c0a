"""Settings for ITA Portal, read from the environment (in the manner of healthchecks' hc/settings.py).

Every value has a development default so that `python manage.py runserver` works on a fresh clone with
SQLite; production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def envbool(name: str, default: str) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case); unset or empty means the default.

    Anything else stops the start with an error naming the variable, so that a typo such as DEBUG=flase
    never silently means one or the other.
    """
    raw = os.getenv(name, "").strip() or default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use one of {', '.join(TRUE_WORDS + FALSE_WORDS)}"
    )


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "ita_portal",
    "units",
    "notifications",
    "assessments",
    "measures",
    "reports",
    "interchange",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

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
                "ita_portal.context_processors.portal",
            ],
            "builtins": ["ita_portal.templatetags.thai"],
        },
    }
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

# Default: an SQLite file under var/ (./dev.sh start creates the folder; settings write nothing).
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'ita_portal.sqlite3'}",
        conn_max_age=int(os.getenv("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite holds connections per thread; keep-alive buys nothing there.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Thai first.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Static files: everything local, served by whitenoise (no CDN at run time).
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from static/ without collectstatic

# Uploads (evidence files, published report versions) live in a configurable storage, never in static/,
# so that several stateless app servers can share them.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"  # never served directly: views check permissions and stream files
STORAGES = {
    "default": {"BACKEND": os.getenv("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
EVIDENCE_MAX_BYTES = int(os.getenv("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_BYTES = int(os.getenv("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))

# Sessions in the database (or the cache, when one is configured) keep app servers stateless.
SESSION_ENGINE = os.getenv("SESSION_ENGINE", "django.contrib.sessions.backends.db")

CACHE_URL = os.getenv("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: SMTP when EMAIL_HOST is set (notifications, reminders, password resets), else printed.
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_PORT = int(os.getenv("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "1")
EMAIL_TIMEOUT = int(os.getenv("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "ita-portal@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The portal's own address, for links in e-mails (which have no request to take it from).
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Notifications to a unit's reviewers about submitted entries: at most one e-mail per reviewer per period.
NOTIFY_BATCH_SECONDS = int(os.getenv("NOTIFY_BATCH_SECONDS", "3600"))

# Celery (ita_portal/celery.py): a broker runs tasks on workers; without one they run in the process.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False  # an eager task fails like a queued one: recorded, not raised
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the database (reports.PublishJob, notifications)
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it queued for another (tasks are idempotent)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Reminders of rounds due in 7 days and tomorrow, and yesterday's overdue lists: once a day, 07:00.
    "send-reminders": {"task": "measures.tasks.send_reminders_task", "schedule": crontab(hour=7, minute=0)},
    # Reviewers' batched notices whose hour has passed.
    "flush-batched-notices": {"task": "notifications.tasks.flush_batches", "schedule": 300.0},
}

# Security: on whenever DEBUG is off, so that `check --deploy` is clean in production.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
# The blank choice of every filter's select reads "ทั้งหมด", not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

# --- hardening: login throttling, CSP, security headers, logging ---------------------------------------
# Kept in one block (and the lists above extended here) so that the settings' other parts stay apart.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["ita_portal.apps.AxesConfig", "csp"]
# django-csp writes the site-wide policy on every response; SecurityHeadersMiddleware (inside it) sets the
# sandboxing policy of report documents and `Cache-Control: private, no-store` on every staff response;
# RequestContextMiddleware gives log lines their request; AxesMiddleware (last) turns a lockout into the
# Thai page.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "ita_portal.middleware.SecurityHeadersMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, "ita_portal.logs.RequestContextMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# WhiteNoise would otherwise read DEBUG again when its middleware starts: under pytest (DEBUG forced off
# after the settings were read) it then indexed every static file through the finders for each test
# client, about 0.18 s apiece. Development looks files up on request, as it does with runserver.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons (select arrows, the menu button) as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): failures counted per username and per client address; at the limit the
# login (the portal's and the admin's) answers 429 with a Thai page until the cool-off has passed, or a
# superuser runs `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset`.
AUTHENTICATION_BACKENDS = [
    "ita_portal.security.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.getenv("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.getenv("LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ita_portal.security.lockout_response"  # 429, registration/locked_out.html
AXES_CLIENT_IP_CALLABLE = "ita_portal.security.client_ip"
# How many proxies in front append to X-Forwarded-For (0: the client connects directly).
TRUSTED_PROXY_COUNT = int(os.getenv("TRUSTED_PROXY_COUNT", "1" if not DEBUG else "0"))

# Logging: one JSON line per record on stderr (time, level, logger, request path, user id). Server errors
# (django.request), security warnings and the portal's own warnings; e-mail to ADMINS when they are set
# ("Name <mail>,other@example.org") and DEBUG is off.
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">").strip())
    for address in envlist("ADMINS")
]
SERVER_EMAIL = os.getenv("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_APP_LOGGERS = ["ita_portal", "units", "assessments", "measures", "reports", "interchange", "dashboards", "axes"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"json": {"()": "ita_portal.logs.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "stderr": {"()": "ita_portal.logs.StderrHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        "weasyprint": {"handlers": ["console"], "level": "ERROR"},
        "django.request": {"handlers": ["stderr", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr", "mail_admins"], "level": "WARNING", "propagate": False},
        **{name: {"handlers": ["stderr"], "level": "WARNING", "propagate": False} for name in _APP_LOGGERS},
    },
}
