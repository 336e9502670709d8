"""The interface is written in Romanian; English comes from prezent/locale/en/LC_MESSAGES/django.po (and its .mo)."""

import ast
import gettext as stdlib_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

CATALOGUE_DIR = Path(settings.BASE_DIR) / "prezent" / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-+ #0-9.]*[sdifr]|\{\{[^}]*\}\}")


def parse_po(path: Path) -> list[dict]:
    """A small .po reader (stdlib only): entries are blocks separated by blank lines.

    Each entry is a dict with 'flags' (a set), 'msgid', optionally 'msgctxt' and 'msgid_plural', and 'msgstr' (a
    list of forms).
    Obsolete entries (#~) are skipped.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set(), "msgstr": {}}
        field: str | int | None = None
        for line in (raw.strip() for raw in block.splitlines()):
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(field, int):
                    entry["msgstr"][field] += value
                elif field is not None:
                    entry[field] += value
            else:
                keyword, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if keyword in ("msgctxt", "msgid", "msgid_plural"):
                    field = keyword
                    entry[field] = value
                elif keyword == "msgstr":
                    field = 0
                    entry["msgstr"][0] = value
                elif keyword.startswith("msgstr["):
                    field = int(keyword[len("msgstr[") : -1])
                    entry["msgstr"][field] = value
        if "msgid" in entry:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    entries = parse_po(PO_FILE)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_known_strings_translate_to_english():
    with translation.override("en"):
        assert gettext("Salvează condica") == "Save the register"
        assert gettext("Autentificare") == "Sign in"
        assert gettext("Coordonator județean") == "County coordinator"
        assert gettext("Condica din %(day)s") % {"day": "1 December"} == "Register for 1 December"
        assert ngettext("%(n)s copil", "%(n)s copii", 1) % {"n": 1} == "1 child"
        assert ngettext("%(n)s copil", "%(n)s copii", 3) % {"n": 3} == "3 children"
        # one Romanian word, two meanings: told apart by a context
        assert pgettext("paginare", "Înainte") == "Next" and gettext("Înainte") == "Before"
        assert pgettext("numele complet", "Nume") == "Name" and gettext("Nume") == "Surname"


def test_romanian_is_the_source_language():
    with translation.override("ro"):
        assert gettext("Salvează condica") == "Salvează condica"


def test_catalogue_is_complete_and_not_fuzzy(po_entries):
    assert len(po_entries) > 100
    empty = [e["msgid"] for e in po_entries if not e["msgstr"] or not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    assert empty == []
    assert fuzzy == []
    plural_without_two_forms = [e["msgid"] for e in po_entries if "msgid_plural" in e and len(e["msgstr"]) != 2]
    assert plural_without_two_forms == []


def test_translations_keep_the_placeholders(po_entries):
    wrong = []
    for e in po_entries:
        wanted = set(PLACEHOLDER.findall(e["msgid"] + " " + e.get("msgid_plural", "")))
        for translated in e["msgstr"]:
            if set(PLACEHOLDER.findall(translated)) != wanted:
                wrong.append((e["msgid"], translated))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The .mo is committed (machines without gettext still show English), so it must not lag behind the .po."""
    with MO_FILE.open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)
    stale = []
    for e in po_entries:
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            forms = [
                compiled.npgettext(context, e["msgid"], e["msgid_plural"], n)
                if context
                else compiled.ngettext(e["msgid"], e["msgid_plural"], n)
                for n in (1, 2)
            ]
        else:
            forms = [compiled.pgettext(context, e["msgid"]) if context else compiled.gettext(e["msgid"])]
        if forms != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []


@pytest.mark.django_db
def test_login_page_follows_the_session_language(client):
    session = client.session
    session["prezent_language"] = "en"
    session.save()
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Sign in" in content
    assert "Password" in content
    assert "Autentificare" not in content


@pytest.mark.django_db
def test_login_page_is_romanian_by_default(client):
    response = client.get(reverse("login"), headers={"accept-language": "en"})
    content = response.content.decode()
    assert '<html lang="ro">' in content
    assert "Autentificare" in content
