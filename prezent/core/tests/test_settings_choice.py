"""Which settings run is chosen by the entry point, never by importing `config`: gunicorn (wsgi/asgi) runs production
by default, a Celery worker without DJANGO_SETTINGS_MODULE refuses to start, `manage.py` runs the local settings.

Before, `config/__init__.py` imported `config.celery`, which set the local (DEBUG, public key) settings as a side
effect, before `wsgi.py`'s production default could apply."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_importing_config_chooses_no_settings_module():
    result = _run("import os, config; print(os.environ.get('DJANGO_SETTINGS_MODULE'))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


@pytest.mark.parametrize("entry", ["config.wsgi", "config.asgi"])
def test_the_web_entry_points_run_production_by_default(entry):
    refused = _run(f"import {entry}")
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in refused.stderr

    started = _run(
        f"import {entry}; from django.conf import settings; print(settings.DEBUG, settings.SETTINGS_MODULE)",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="prezent.example.ro",
        PREZENT_PSEUDONYM_KEY="y" * 40,
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["False", "config.settings.production"]


def test_a_celery_app_without_a_settings_module_refuses_to_configure():
    result = _run("from config.celery import app; app.loader.import_default_modules(); print(app.conf.broker_url)")
    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE" in result.stderr
