"""Helpers shared by the tests of every app (kept in core so any app's tests may import them)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

# The suite's "today": Sunday 29 November 2026, 10:00 in Iași, inside the 2026-2027 school year's second module.
# Many rules depend on the day (school days, modules, "no future dates", the last 30 school days); the fixtures
# use the real calendar of 2026-2027, so the suite runs on the day it was written for, whatever the machine's date.
# `conftest.py` travels there for every test; a module that needs the day at import uses TEST_TODAY, never the clock.
TEST_NOW = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Europe/Bucharest"))
TEST_TODAY = TEST_NOW.date()

# Last names for the factories, drawn in turn and restarted for every test (conftest.py), so that the people of one
# test never share a last name and one name is never part of another or of a Faker first name: a test may then
# assert that a child's name is *not* on a page. Faker's ro_RO list has 44 last names, so two children of a test
# often shared one, and such an assertion failed at random.
_LAST_NAMES_TEXT = """
Popescu Munteanu Dumitrescu Gheorghiu Moldovan Lungu Mocanu Tudose Oprea Nistor Ardeleanu Cojocaru Bălan Tănase
Ciobanu Ungureanu Sârbu Mihăilescu Căpraru Dobre Enache Iordache Coman Preda Neagu Dragomir Chirilă Surdu Pîrvu
Dănilă Grigoraș Hrițcu Agavriloaie Butnaru Ciubotaru Cozma Doroftei Galan Huțanu Istrate Jitaru Leonte Mârza Onofrei
Pascaru Răileanu Rotariu Scutaru Tofan Vasiliu Zăvoianu Amariei Bârsan Cernat Diaconu Epure Frunză Gavriliu Hârțescu
Ichim Juncu Macovei Nastase Olaru Roșca Spiridon Timofte Ursache Bălăiță Cazacu Dascălu Fotea Grosu Hodoroabă Iftime
Lupașcu Mititelu Nedelcu Obreja Petrovici Rădulescu Tabără Văduva Aanei Boboc Cătină Drăgan
"""
TEST_LAST_NAMES = tuple(_LAST_NAMES_TEXT.split())
_next_name = itertools.count()


def distinct_last_name() -> str:
    return TEST_LAST_NAMES[next(_next_name) % len(TEST_LAST_NAMES)]


def restart_last_names() -> None:
    global _next_name
    _next_name = itertools.count()


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
