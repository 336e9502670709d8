"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "prezent.core",
    "prezent.accounts",
    "prezent.schools",
    "prezent.children",
    "prezent.attendance",
    "prezent.risk",
    "prezent.programme",
    "prezent.cases",
    "prezent.activities",
    "prezent.results",
    "prezent.reports",
    "prezent.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "prezent.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "prezent.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "prezent.accounts.middleware.TwoFactorMiddleware",
    "prezent.core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "prezent" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prezent.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# SQLite (the demo and development run on it): a page cache of 64 MB a connection (a negative cache_size is in
# KiB) instead of SQLite's default 2 MB, with which reading a county's 100,000 pupils (the SIIIR import's second
# run, the child list) fetched almost every page from the file again; the cache grows only as pages are read.
SQLITE_CACHE_KIB = 65536
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{SQLITE_CACHE_KIB};"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Two-factor sign-in (django-otp: an authenticator app's TOTP codes, ten single-use recovery codes). When on, every
# person whose roles see children, and every administrator, confirms each sign-in with a code
# (prezent/accounts/twofactor/). On in production (config/settings/production.py); off in development and the
# demo unless PREZENT_2FA=1.
PREZENT_2FA = env.bool("PREZENT_2FA", default=False)
OTP_TOTP_ISSUER = "Prezent"
# A wrong code makes the device wait 1, 2, 4, … seconds before it checks another (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's admin pages are not registered (prezent/accounts/admin.py); should they ever be, no key is shown.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures (django-axes), for AXES_COOLOFF_TIME: a name from one client address (the
# person's own, read through PREZENT_TRUSTED_PROXIES). Not a name alone: anyone who knows a teacher's user name could
# then keep the teacher locked out from anywhere; password guessing from many addresses meets two-factor sign-in in
# production. Not an address alone, nor an address and browser: a school's staff share one public address, often
# with the same browser.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address behind a reverse proxy: set PREZENT_TRUSTED_PROXIES to the proxy's address(es), e.g.
# "127.0.0.1,10.0.0.0/8"; X-Forwarded-For is believed only when it comes from one of them.
PREZENT_TRUSTED_PROXIES = env.list("PREZENT_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "prezent.core.services.client_ip"

# Sessions end after 30 minutes without activity and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): nothing from outside the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Română")), ("en", _("English"))]
# Letters, certificates and lists for families and participants (prezent/core/languages.py).
PREZENT_DOCUMENT_LANGUAGE = "ro"
LOCALE_PATHS = [BASE_DIR / "prezent" / "locale"]
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes (PREZENT_STATIC_ROOT: a directory the web server process may read).
STATIC_ROOT = Path(env("PREZENT_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "prezent" / "static"]
MEDIA_ROOT = env.path("PREZENT_MEDIA_ROOT", default=BASE_DIR / "private-media")

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The nightly recompute is a chord per county (its batches, then its ladder): a chord needs a result backend, the
# broker's Redis by default. Results are counts only, kept a day.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = 24 * 3600
# Periodic jobs (celery beat, in CELERY_TIMEZONE): every child's risk score is recomputed each night (which
# opens and closes alerts), then overdue alerts escalate.
CELERY_BEAT_SCHEDULE = {
    "risk-recompute-nightly": {
        "task": "prezent.risk.recompute_risk",
        "schedule": crontab(hour=2, minute=30),
    },
    "alerts-escalate-nightly": {
        "task": "prezent.risk.escalate_alerts",
        "schedule": crontab(hour=4, minute=0),
    },
    # Scores older than PREZENT_RISK_SCORES_KEEP_DAYS are thinned (prezent/risk/retention.py), on Sunday mornings.
    "risk-scores-prune-weekly": {
        "task": "prezent.risk.prune_scores",
        "schedule": crontab(day_of_week=0, hour=5, minute=0),
    },
    # The retention schedule (prezent/reports/privacy/retention.py): anonymise and delete what is past its time.
    "privacy-retention-weekly": {
        "task": "prezent.reports.apply_retention",
        "schedule": crontab(day_of_week=0, hour=5, minute=30),
    },
}
# The retention schedule, in years (docs/architecture.md decision 99; `manage.py apply_retention`, weekly in beat).
# A child whose cases all closed, who left school and has no record outside school, this many years before, is
# anonymised (names, CNP, contact details and the free text of the cases).
PREZENT_RETENTION_CLOSED_CASE_YEARS = env.int("PREZENT_RETENTION_CLOSED_CASE_YEARS", default=5)
# Reads of a child's record (AccessLog) older than this are deleted.
PREZENT_RETENTION_ACCESS_LOG_YEARS = env.int("PREZENT_RETENTION_ACCESS_LOG_YEARS", default=3)
# Audit events older than this lose who acted, on what and the details; the action, kind and date stay.
PREZENT_RETENTION_AUDIT_YEARS = env.int("PREZENT_RETENTION_AUDIT_YEARS", default=5)
# Days of daily risk scores kept whole; older ones keep changes and one complete day a month.
PREZENT_RISK_SCORES_KEEP_DAYS = env.int("PREZENT_RISK_SCORES_KEEP_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The county this installation serves by default (the Iași pilot).
PREZENT_DEFAULT_COUNTY = env("PREZENT_DEFAULT_COUNTY", default="IS")

# Notices to parents by SMS / e-mail: the backend, chosen by dotted path (prezent/risk/messaging.py). The console
# and file backends send nothing out; a real SMS gateway is a class with the same `send(message)` method.
PREZENT_MESSAGING_BACKEND = env("PREZENT_MESSAGING_BACKEND", default="prezent.risk.messaging.ConsoleBackend")
# Where the file backend writes one file per message (default: MEDIA_ROOT/outbox).
PREZENT_MESSAGING_OUTBOX = env("PREZENT_MESSAGING_OUTBOX", default="")
# After a follow-up (or an escalation, or a dismissal) the same ladder step reopens for the child only after this
# many days, and only if its trigger still holds: no new task the next night for the cause just followed up.
PREZENT_ALERT_REOPEN_DAYS = env.int("PREZENT_ALERT_REOPEN_DAYS", default=30)

# The key of the encrypted backups (`manage.py backup FILE`, `manage.py restore FILE`; prezent/core/backups.py): a
# Fernet key from `manage.py backup --generate-key`, kept off the server too. Several keys separated by commas: the
# first encrypts, any decrypts (rotation). Without it no backup is written or read, in the demo too.
PREZENT_BACKUP_KEY = env("PREZENT_BACKUP_KEY", default="")

# The key of the evaluators' pseudonyms (HMAC-SHA256 of a child's id, prezent/results/exports.py): the same key
# gives the same pseudonym in every export. Empty: outside production the SECRET_KEY stands in (changing it changes
# the pseudonyms); production refuses to start without it (config/settings/production.py).
PREZENT_PSEUDONYM_KEY = env("PREZENT_PSEUDONYM_KEY", default="")

# E-mail: invitations and password resets. The console backend prints the messages (development, the demo); in
# production EMAIL_BACKEND is Django's SMTP backend with EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER /
# EMAIL_HOST_PASSWORD / EMAIL_USE_TLS from the environment.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Prezent <prezent@localhost>")
# An invitation (and a "forgotten password" link) is a set-password link valid this many days.
PREZENT_INVITATION_DAYS = env.int("PREZENT_INVITATION_DAYS", default=7)
PASSWORD_RESET_TIMEOUT = PREZENT_INVITATION_DAYS * 24 * 60 * 60
# The address of the site in links sent from management commands (a web request knows its own address).
PREZENT_SITE_URL = env("PREZENT_SITE_URL", default="http://localhost:8000")
