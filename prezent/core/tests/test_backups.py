"""The backup file's format and its refusals (prezent/core/backups.py). The round trips with a county's records
are in tests/test_backups.py, where the factories of every app may be imported."""

import hashlib
import io
import json
import tarfile
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.management import call_command
from django.core.management.base import CommandError

from prezent.core import backups
from prezent.core.backups import (
    MAGIC,
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    decrypted_chunks,
    postgresql_client,
)
from prezent.core.models import AuditEvent


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(Fernet.generate_key())])


def _encrypt(data: bytes, cipher: MultiFernet, chunk: int = 10) -> bytes:
    out = io.BytesIO()
    writer = EncryptingWriter(out, cipher, chunk=chunk)
    writer.write(data)
    writer.finish()
    return out.getvalue()


def _frames(blob: bytes) -> list[bytes]:
    """The frames of an encrypted blob, each with its length prefix."""
    frames, at = [], len(MAGIC)
    while at < len(blob):
        length = int.from_bytes(blob[at : at + 4], "big")
        frames.append(blob[at : at + 4 + length])
        at += 4 + length
    return frames


def _decrypt(blob: bytes, cipher: MultiFernet, chunk: int = 10) -> bytes:
    return b"".join(decrypted_chunks(io.BytesIO(blob), cipher, chunk=chunk))


def test_the_stream_is_split_into_frames_and_read_back_whole():
    cipher = _cipher()
    data = bytes(range(256)) * 3
    blob = _encrypt(data, cipher)
    assert blob.startswith(MAGIC)
    assert len(_frames(blob)) == len(data) // 10 + 1
    assert data not in blob
    assert _decrypt(blob, cipher) == data
    assert DecryptingReader(decrypted_chunks(io.BytesIO(blob), cipher, chunk=10)).read(7) == data[:7]


def test_an_empty_stream_is_one_last_frame():
    cipher = _cipher()
    assert _decrypt(_encrypt(b"", cipher), cipher) == b""


def test_another_key_is_refused_with_a_word_about_the_key():
    blob = _encrypt(b"x" * 50, _cipher())
    with pytest.raises(BackupError, match="cheia"):
        _decrypt(blob, _cipher())


def test_a_second_key_decrypts_for_rotation():
    old = Fernet.generate_key()
    blob = _encrypt(b"x" * 50, MultiFernet([Fernet(old)]))
    assert _decrypt(blob, MultiFernet([Fernet(Fernet.generate_key()), Fernet(old)])) == b"x" * 50


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda frames: [frames[0], frames[2], frames[1], *frames[3:]], id="reordered"),
        pytest.param(lambda frames: frames[:-1], id="truncated"),
        pytest.param(lambda frames: [*frames, frames[-1]], id="last-frame-repeated"),
        pytest.param(lambda frames: [frames[0], frames[0], *frames[1:]], id="frame-repeated"),
        pytest.param(
            lambda frames: [frames[0], frames[1][:30] + bytes([frames[1][30] ^ 1]) + frames[1][31:], *frames[2:]],
            id="byte-flipped",
        ),
    ],
)
def test_an_altered_file_is_refused(alter):
    cipher = _cipher()
    blob = _encrypt(b"0123456789" * 5, cipher)
    altered = MAGIC + b"".join(alter(_frames(blob)))
    with pytest.raises(BackupError, match="deteriorată sau a fost modificată"):
        _decrypt(altered, cipher)


def test_a_file_that_is_no_backup_is_refused():
    with pytest.raises(BackupError, match="nu este o copie"):
        _decrypt(b"SQLite format 3\x00" + b"\x00" * 100, _cipher())


def test_generate_key_prints_a_fernet_key():
    out = io.StringIO()
    call_command("backup", "--generate-key", stdout=out)
    Fernet(out.getvalue().strip())


@pytest.mark.parametrize("key", ["", "  ", "not-a-key"])
def test_no_backup_without_a_valid_key(settings, tmp_path, key):
    settings.PREZENT_BACKUP_KEY = key
    with pytest.raises(CommandError, match="PREZENT_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "copie.backup"))
    with pytest.raises(CommandError, match="PREZENT_BACKUP_KEY"):
        call_command("restore", str(tmp_path / "copie.backup"))
    assert list(tmp_path.iterdir()) == []


def test_the_postgresql_password_goes_through_the_environment_never_the_command_line(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda program: f"/usr/bin/{program}")
    connection = SimpleNamespace(
        settings_dict={
            "NAME": "prezent",
            "USER": "prezent",
            "PASSWORD": "parola-secreta",
            "HOST": "db.example",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    args, env = postgresql_client(connection, "pg_dump")
    assert args == [
        "/usr/bin/pg_dump",
        "--no-password",
        "--host",
        "db.example",
        "--port",
        "5433",
        "--username",
        "prezent",
    ]
    assert not any("parola-secreta" in arg for arg in args)
    assert env["PGPASSWORD"] == "parola-secreta"
    assert env["PGSSLMODE"] == "require"


def _backup_file(path, key: bytes, *, sha256: str, dump: bytes, chunk: int | None = None) -> None:
    """A backup file written by hand: a manifest naming a SQLite dump with `sha256`, and the dump."""
    manifest = {
        "format": 1,
        "prezent_version": "0.1.0",
        "database_vendor": "sqlite",
        "created_at": "2026-11-29T08:00:00+00:00",
        "tables": {},
        "dump": {"name": "database.sqlite3", "size": len(dump), "sha256": sha256},
        "media": {"files": 0, "bytes": 0},
    }
    with path.open("wb") as out:
        writer = EncryptingWriter(out, MultiFernet([Fernet(key)]), chunk=chunk)
        with tarfile.open(fileobj=writer, mode="w|") as archive:
            for name, data in (("manifest.json", json.dumps(manifest).encode()), ("database.sqlite3", dump)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        writer.finish()


@pytest.mark.django_db
def test_a_dump_that_does_not_match_its_manifest_is_refused_before_the_database_is_touched(settings, tmp_path):
    """A file encrypted with the right key whose dump is not the one its manifest names (a fault in whatever
    wrote it): the database stays as it is."""
    key = Fernet.generate_key()
    settings.PREZENT_BACKUP_KEY = key.decode()
    AuditEvent.objects.create(action="test.before", target_type="test")
    path = tmp_path / "copie.backup"
    _backup_file(path, key, sha256="0" * 64, dump=b"not the dump the manifest describes")

    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(path), "--yes")

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.before"]


@pytest.mark.django_db
def test_a_backup_cut_after_the_end_of_its_archive_is_refused(settings, tmp_path, monkeypatch):
    """The last frames hold only the archive's closing blocks: a file without them still unpacks whole, and is
    refused all the same, since it is not the file that was written."""
    monkeypatch.setattr(backups, "CHUNK", 512)
    key = Fernet.generate_key()
    settings.PREZENT_BACKUP_KEY = key.decode()
    AuditEvent.objects.create(action="test.before", target_type="test")
    dump = b"a dump"
    path = tmp_path / "copie.backup"
    _backup_file(path, key, sha256=hashlib.sha256(dump).hexdigest(), dump=dump)
    blob = path.read_bytes()
    path.write_bytes(MAGIC + b"".join(_frames(blob)[:-1]))

    with pytest.raises(CommandError, match="deteriorată sau a fost modificată"):
        call_command("restore", str(path), "--yes")

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.before"]


@pytest.mark.django_db
def test_a_backup_is_not_written_into_media_root(settings, tmp_path):
    settings.PREZENT_BACKUP_KEY = Fernet.generate_key().decode()
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "copii").mkdir(parents=True)
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("backup", str(tmp_path / "media" / "copii" / "prezent.backup"))
    assert list((tmp_path / "media" / "copii").iterdir()) == []
