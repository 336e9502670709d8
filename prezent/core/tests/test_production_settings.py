"""Production settings, as the inspectorate's server runs them: `check --deploy` has nothing to say, there is no
default secret key, database connections are kept and checked, static files are compressed."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REQUIRED = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "prezent.isjis.ro",
    "DATABASE_URL": "postgres://prezent:secret@db.internal:5432/prezent",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "PREZENT_PSEUDONYM_KEY": secrets.token_urlsafe(32),
}


def _clean_env(**env: str) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "PREZENT_", "CONN_"))
        and k not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    return {**keep, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        env=_clean_env(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", code], env=_clean_env(**env), cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_with_the_required_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **REQUIRED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_speaks_when_https_is_switched_off():
    """The test above could fail: the same check with the redirect and HSTS switched off warns."""
    result = _manage("check", "--deploy", **REQUIRED, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    without_key = {k: v for k, v in REQUIRED.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", **without_key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr

    empty_key = _manage("check", **REQUIRED | {"DJANGO_SECRET_KEY": ""})
    assert empty_key.returncode != 0


def test_production_refuses_to_start_without_the_pseudonym_key():
    """The evaluators' pseudonyms are keyed by PREZENT_PSEUDONYM_KEY: production stops at start without it, like
    without the secret key, instead of at the first export."""
    code = "import django; django.setup(); from django.conf import settings; print(len(settings.PREZENT_PSEUDONYM_KEY))"
    without_key = {k: v for k, v in REQUIRED.items() if k != "PREZENT_PSEUDONYM_KEY"}
    for env in (without_key, REQUIRED | {"PREZENT_PSEUDONYM_KEY": ""}):
        refused = _python(code, **env)
        assert refused.returncode != 0
        assert "ImproperlyConfigured" in refused.stderr
        assert "PREZENT_PSEUDONYM_KEY must be set in production" in refused.stderr
    started = _python(code, **REQUIRED)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == str(len(REQUIRED["PREZENT_PSEUDONYM_KEY"]))


def test_production_keeps_database_connections_checks_them_and_compresses_static_files():
    code = (
        "import django; django.setup(); from django.conf import settings as s; db = s.DATABASES['default']; "
        "print(db['ENGINE'], db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], s.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE, s.SECURE_PROXY_SSL_HEADER)"
    )
    default = _python(code, **REQUIRED)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == [
        "django.db.backends.postgresql",
        "60",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]

    tuned = _python(code, **REQUIRED, CONN_MAX_AGE="300", PREZENT_TLS_PROXY="false")
    assert tuned.returncode == 0, tuned.stderr
    assert tuned.stdout.split()[1] == "300"
    assert tuned.stdout.split()[-1] == "None"


def test_serve_refuses_to_start_without_its_variables():
    """`make serve` (scripts/serve) names what is missing before it migrates anything."""
    result = subprocess.run(
        ["bash", "scripts/serve"],  # noqa: S607 - bash from PATH
        env=_clean_env(DJANGO_SECRET_KEY="x" * 50),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 2
    assert "DJANGO_ALLOWED_HOSTS DATABASE_URL CELERY_BROKER_URL PREZENT_PSEUDONYM_KEY" in result.stderr
    assert "DJANGO_SECRET_KEY" not in result.stderr
