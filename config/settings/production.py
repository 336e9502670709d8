"""Production: refuses to start without a secret key, allowed hosts and the key of the evaluators' pseudonyms;
`manage.py check --deploy` is clean.

Behind a TLS-terminating proxy (nginx, Caddy, the institution's load balancer) that sets X-Forwarded-Proto: the
proxy is the only way in, gunicorn listens on 127.0.0.1. Every value below can be set in the environment.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
# The key of the evaluators' pseudonyms (HMAC-SHA256, prezent/results/exports.py): without it an installation would
# find out only at the first export, and a key set later than some exports would make pseudonyms that cannot be
# told apart from a new key's. Keep it apart from the secret key, which is rotated for other reasons.
PREZENT_PSEUDONYM_KEY = env("PREZENT_PSEUDONYM_KEY", default="")
if not PREZENT_PSEUDONYM_KEY:
    raise ImproperlyConfigured("PREZENT_PSEUDONYM_KEY must be set in production.")

# HTTPS only: plain HTTP is redirected, cookies never leave over it, browsers remember (HSTS) for a year.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A load balancer's health probe may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any value the client sent). Off
# (PREZENT_TLS_PROXY=false) when gunicorn itself is reached over TLS, or when nothing sets the header.
if env.bool("PREZENT_TLS_PROXY", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# The subdomains of Prezent's own host (prezent.isj….ro), never the institution's other sites; "preload" in the
# header only allows the domain's owner to submit it to the browsers' list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# One connection per process kept for a minute and checked before reuse (PostgreSQL restarts, a proxy that drops
# idle connections), instead of a new connection for every request and every task.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files: `collectstatic` writes each file under a name with its content's hash, with a .br and a .gz copy
# beside it; WhiteNoise (its middleware is in base) serves them compressed and cached for a year.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PREZENT_PRODUCTION = True
# Two-factor sign-in is required of every role that sees children and of administrators (PREZENT_2FA=0 only to
# recover from a lost phone on a test installation).
PREZENT_2FA = env.bool("PREZENT_2FA", default=True)
# Passwords of at least 12 characters, not a common one, not like the person's name, never the demo's password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "prezent.accounts.passwords.DemoPasswordValidator"},
]
# Invitations and "Am uitat parola" leave by SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS, DEFAULT_FROM_EMAIL); PREZENT_SITE_URL is the address the import command writes in its links.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
