"""Shared pytest fixtures. Tests run in the Europe/Bucharest time zone (settings.TIME_ZONE), on a fixed day."""

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from prezent.core.testing import TEST_NOW, restart_last_names

# Property tests are about correctness, never speed (speed is measured in bench/): no deadline and no "too slow"
# check, which fail on a busy machine; the same examples on every run (derandomized), so a red run is reproducible
# and a green one stays green; no example database written into the working tree.
hypothesis_settings.register_profile(
    "prezent", deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("prezent")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware does not undo it): every test
    starts, and ends, in the default language, whatever ran before it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _distinct_names():
    """Every test draws its people's last names from the start of the list (prezent/core/testing.py)."""
    restart_last_names()


@pytest.fixture(autouse=True)
def _fixed_today():
    """Every test runs on TEST_NOW (prezent/core/testing.py); the clock still moves (tick), so timeouts and measured
    durations behave."""
    with time_machine.travel(TEST_NOW, tick=True):
        yield
