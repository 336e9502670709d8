"""Shared pytest fixtures. Tests run in the Europe/Bucharest time zone (settings.TIME_ZONE), on a fixed day."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import translation


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


# The suite's "today": Sunday 29 November 2026, 10:00 in Iași, inside the 2026-2027 school year's second module.
# Many rules depend on the day (school days, modules, "no future dates", the last 30 school days); the fixtures
# use the real calendar of 2026-2027, so the suite runs on the day it was written for, whatever the machine's date.
# The clock still moves (tick), so timeouts and measured durations behave.
TEST_NOW = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Europe/Bucharest"))


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(TEST_NOW, tick=True):
        yield
