"""Helpers shared by the tests of every app (kept in core so any app's tests may import them)."""

import datetime
import itertools
import re
import zlib
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


def pdf_streams(pdf: bytes) -> list[bytes]:
    """The inflated streams of a PDF. Each is inflated from its `stream` keyword until zlib says it ended, never
    cut at an `endstream` found by a pattern: compressed bytes that end in a carriage return (1 in 256) lost it to
    the pattern's line break, the stream failed to inflate and a test saw no text at all."""
    streams = []
    for match in re.finditer(rb"(?<!end)stream\r?\n", pdf):
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(pdf[match.end() :])
        except zlib.error:
            continue
        if inflater.eof:
            streams.append(data)
    return streams


def pdf_text(pdf: bytes) -> str:
    """The text of a WeasyPrint PDF, without a PDF library: the ToUnicode maps of the embedded fonts decode the
    glyph codes of the TJ/Tj operators. Enough to prove the diacritics survived."""
    streams = pdf_streams(pdf)
    cmap: dict[str, str] = {}
    for data in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for code, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[code.decode().lower()] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    text: list[str] = []
    for data in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", data, re.S):
            for chunk in re.findall(rb"<([0-9a-fA-F]+)>", b"".join(array) if array[0] else b"<" + array[1] + b">"):
                hexes = chunk.decode().lower()
                text.extend(cmap.get(hexes[i : i + 4], "") for i in range(0, len(hexes), 4))
        text.append("\n")
    return "".join(text)
