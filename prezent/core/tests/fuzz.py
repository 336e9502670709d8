"""What the fuzz tests of every address and every form share: the richest test world the apps build, its real ids,
and the hostile values an address, a query string or a form field may carry.

The worlds are the fixtures of the authorization tests (`prezent/conftest.py` and each app's `tests/conftest.py`
or `*_fixtures.py`); they are imported by name at run time, so `core` keeps depending on no app above it."""

import datetime
import importlib
import re
from pathlib import Path
from types import SimpleNamespace

from django.db import models
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def fixture(module: str, name: str):  # type: ignore[no-untyped-def]
    """A fixture of an app's tests, for a test module of core to re-export under the same name."""
    return getattr(importlib.import_module(module), name)


def real_ids(*worlds: SimpleNamespace) -> list[int]:
    """Every primary key the worlds hold (models, lists and dicts of models, users): a fuzzed id drawn from these
    reaches a real object of some model, so a page's happy path is fuzzed too, not only its 404."""
    ids: set[int] = set()

    def add(value: object) -> None:
        if isinstance(value, models.Model) and isinstance(value.pk, int):
            ids.add(value.pk)
        elif isinstance(value, list | tuple | set):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, SimpleNamespace):
            for item in vars(value).values():
                add(item)

    for world in worlds:
        add(world)
    return sorted(ids)


# --- hostile values --------------------------------------------------------------------------------------------

CONTROL = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, 0x85, 0x2028, 0x2029, 0x200B, 0x202E, 0xFEFF])

BIG_INTS = st.one_of(
    st.sampled_from([0, 2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 10**100]),
    st.integers(min_value=2**63 - 3, max_value=2**70),
)


def day_texts() -> st.SearchStrategy[str]:
    """Days as an address or a field carries them: real, impossible (2026-02-30, 9999-99-99, 0000-00-00), in the
    Romanian order, with a time, or not a day at all."""
    impossible = st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 9999),
        st.integers(0, 99),
        st.integers(0, 99),
    )
    return st.one_of(
        st.sampled_from(["2026-02-30", "9999-99-99", "0000-00-00", "2026-11-31", "2026-13-01", "99999-01-01"]),
        st.sampled_from(["2026-11-23", "2026-11-29", "2026-09-01", "0001-01-01", "9999-12-31", "1900-02-29"]),
        st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
        st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
        impossible,
        st.sampled_from(["2026-11-23T10:00", "2026-11-23 25:61", "-2026-01-01", "+2026-01-01", "2026-W48"]),
    )


def hostile_text(*, alphabet: st.SearchStrategy[str] | None = None, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text a person does not type: control characters (NUL too), right-to-left marks, emoji, escapes, very long."""
    chars = alphabet if alphabet is not None else st.characters(codec="utf-8")
    return st.one_of(
        st.text(chars, max_size=max_size),
        st.text(st.sampled_from(CONTROL), min_size=1, max_size=5),
        st.builds(lambda a, b: a + b, st.text(chars, max_size=10), st.text(st.sampled_from(CONTROL), min_size=1)),
        st.sampled_from(["%00", "%2e%2e%2f", "../../etc/passwd", "' OR 1=1 --", "<script>x</script>", "{{ 7*7 }}"]),
        st.sampled_from(["Ș" * 3000, "a" * 10_000, "9" * 5000, "-1", "1e309", "NaN", "inf", "١٢٣", "１２"]),
        st.integers().map(str),
        BIG_INTS.map(str),
        day_texts(),
    )


def redirect_targets() -> st.SearchStrategy[str]:
    """`next` and `back` values: other sites, scheme tricks, header injection, and this site's own pages."""
    return st.one_of(
        st.sampled_from(
            [
                "https://phish.example/",
                "//phish.example/",
                "///phish.example",
                "/\\phish.example",
                "\\\\phish.example",
                "https:phish.example",
                "javascript:alert(1)",
                "data:text/html,x",
                "/copii/\r\nSet-Cookie: x=y",
                "/%0d%0aX:%20y",
                "/",
                "/copii/",
                "/scoli/?page=2",
                "",
            ]
        ),
        hostile_text(),
    )


# --- the names a view reads from a query string or a form without a Django form --------------------------------

_READ = re.compile(r"""request\.(GET|POST)(?:\.get|\.getlist|\.__contains__)?[\[(]\s*["']([\w-]+)["']""")


def read_parameters() -> dict[str, set[str]]:
    """{"GET": names, "POST": names}: every parameter a view of the project reads by hand (`request.GET.get("d")`),
    found in the sources, so a new one is fuzzed without editing the tests."""
    names: dict[str, set[str]] = {"GET": {"next", "back", "page"}, "POST": {"next", "back"}}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for method, name in _READ.findall(path.read_text(encoding="utf-8")):
            names[method].add(name)
    return names
