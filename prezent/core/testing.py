"""Helpers shared by the tests of every app (kept in core so any app's tests may import them)."""

import datetime
from zoneinfo import ZoneInfo

# The suite's "today": Sunday 29 November 2026, 10:00 in Iași, inside the 2026-2027 school year's second module.
# Many rules depend on the day (school days, modules, "no future dates", the last 30 school days); the fixtures
# use the real calendar of 2026-2027, so the suite runs on the day it was written for, whatever the machine's date.
# `conftest.py` travels there for every test; a module that needs the day at import uses TEST_TODAY, never the clock.
TEST_NOW = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Europe/Bucharest"))
TEST_TODAY = TEST_NOW.date()

ROLES = [
    "anon",
    "county",
    "caseworker",
    "school_coord",
    "teacher",
    "mediator",
    "trainer",
    "me_viewer",
    "admin",
    "norole",
]


def _row(*statuses: int) -> dict[str, int]:
    """Expected statuses in ROLES order."""
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))
