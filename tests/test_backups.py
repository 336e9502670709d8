"""Backup and restore round trips (prezent/core/backups.py) on the database the suite runs on: SQLite's backup API
on SQLite (the test database is in memory there; the API copies it from Django's own connection and back into it),
pg_dump and pg_restore into the test database itself on PostgreSQL. Django's test transaction would hold locks and
hide the rows from pg_dump, so these tests commit (`transaction=True`). Here, outside the apps, the factories of
every app may be imported."""

import io
import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from prezent.children.models import Child, Enrolment
from prezent.children.tests.factories import ChildFactory, enrol
from prezent.core.backups import database_counts
from prezent.core.models import AuditEvent
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(settings) -> str:
    settings.PREZENT_BACKUP_KEY = Fernet.generate_key().decode()
    return settings.PREZENT_BACKUP_KEY


@pytest.fixture
def county(settings) -> list[Child]:
    """A class of five pupils and an evidence file."""
    children = enrol(ClassGroupFactory(), n=5)
    evidence = Path(settings.MEDIA_ROOT) / "campanie" / "dovada.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 the original")
    return children


def _names() -> dict[int, tuple[str, str]]:
    return {pk: (first, last) for pk, first, last in Child.objects.values_list("pk", "first_name", "last_name")}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def _changed(children: list[Child]) -> dict[int, tuple[str, str]]:
    """Delete one pupil, rename another and add a third, after the backup."""
    Enrolment.objects.filter(child=children[0]).delete()
    children[0].delete()
    Child.objects.filter(pk=children[1].pk).update(first_name="Schimbat")
    ChildFactory()
    return _names()


def test_a_backup_restores_every_row_and_the_files(settings, tmp_path, key, county):
    names, counts = _names(), database_counts()
    path = tmp_path / "copii" / "prezent.backup"
    path.parent.mkdir()

    said = _run("backup", str(path))

    assert f"{len(counts)} tabele și {sum(counts.values())} rânduri, 1 fișiere" in said
    written = AuditEvent.objects.get(action="backup.create")
    assert written.details["via"] == "command"
    assert written.details["vendor"] == connection.vendor
    assert written.details["rows"] == sum(counts.values())
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    blob = path.read_bytes()
    assert b"dovada" not in blob and b"the original" not in blob

    _changed(county)
    evidence = Path(settings.MEDIA_ROOT) / "campanie" / "dovada.pdf"
    evidence.write_bytes(b"%PDF-1.4 changed")
    (evidence.parent / "noua.pdf").write_bytes(b"%PDF-1.4 added after")

    said = _run("restore", str(path), "--yes")

    assert _names() == names
    assert database_counts() == {**counts, "core_auditevent": counts["core_auditevent"] + 1}
    assert "Numărul de rânduri al fiecărui tabel este cel din manifestul copiei" in said
    assert "1 fișiere din MEDIA_ROOT nu sunt în copie" in said
    assert evidence.read_bytes() == b"%PDF-1.4 the original"
    assert (evidence.parent / "noua.pdf").exists()
    restored = AuditEvent.objects.get(action="backup.restore")
    assert restored.details["via"] == "command"
    assert restored.details["tables_differing"] == 0
    assert restored.details["sha256"] == written.details["sha256"]
    printed = said + json.dumps(restored.details) + json.dumps(written.details)
    assert not [name for pair in names.values() for name in pair if name in printed]


def test_a_backup_restores_into_an_empty_database_without_asking(tmp_path, key, county):
    names, counts = _names(), database_counts()
    path = tmp_path / "prezent.backup"
    _run("backup", str(path))
    call_command("flush", "--no-input")
    assert database_counts()["children_child"] == 0

    _run("restore", str(path))

    assert _names() == names
    assert database_counts()["children_child"] == counts["children_child"]


def test_a_database_with_data_is_overwritten_only_with_yes(tmp_path, key, county):
    path = tmp_path / "prezent.backup"
    _run("backup", str(path))
    now = _changed(county)

    with pytest.raises(CommandError, match="--yes"):
        _run("restore", str(path))

    assert _names() == now
    assert not AuditEvent.objects.filter(action="backup.restore").exists()


def test_another_key_is_refused_before_the_database_is_touched(settings, tmp_path, key, county):
    path = tmp_path / "prezent.backup"
    _run("backup", str(path))
    now = _changed(county)
    settings.PREZENT_BACKUP_KEY = Fernet.generate_key().decode()

    with pytest.raises(CommandError, match="cheia"):
        _run("restore", str(path), "--yes")

    assert _names() == now


def test_a_tampered_backup_is_refused_before_the_database_is_touched(tmp_path, key, county, monkeypatch):
    monkeypatch.setattr("prezent.core.backups.CHUNK", 4096)  # several frames; one in the middle is altered
    path = tmp_path / "prezent.backup"
    _run("backup", str(path))
    now = _changed(county)
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    path.write_bytes(bytes(blob))

    with pytest.raises(CommandError, match="deteriorată sau a fost modificată"):
        _run("restore", str(path), "--yes")

    assert _names() == now


def test_no_backup_is_written_without_a_key(settings, tmp_path, county):
    settings.PREZENT_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="PREZENT_BACKUP_KEY"):
        _run("backup", str(tmp_path / "prezent.backup"))
    assert list(tmp_path.glob("*prezent.backup*")) == []
    assert not AuditEvent.objects.filter(action="backup.create").exists()
