"""Backups: one encrypted file holding the database, the uploaded files (MEDIA_ROOT) and a manifest.

What is inside, once decrypted, is an uncompressed tar archive:

- `manifest.json` — the format (1), Prezent's version, the database vendor, when it was made, the rows of every
  model's table and the name, size and SHA-256 of the dump;
- the dump: `database.pgdump` (`pg_dump --format=custom`, taken in the same snapshot as the row counts) on
  PostgreSQL, `database.sqlite3` (a copy made by SQLite's backup API) on SQLite;
- `media/…` — every regular file under MEDIA_ROOT (symbolic links are left out).

The encrypted file is written as a stream, so memory stays bounded whatever the size of the database:

    b"PREZENT-BACKUP/1\\n"                      the magic line
    then frames, each: 4 bytes (big-endian)     the length of the token that follows
                       a Fernet token           of: 8 bytes sequence number (big-endian, from 0),
                                                    1 byte 1 on the last frame else 0,
                                                    up to CHUNK bytes of the tar stream

Fernet (AES-128-CBC with HMAC-SHA256) authenticates each token; the sequence number and the last-frame flag inside
the tokens make a reordered, repeated or truncated file fail too, and nothing may follow the last frame. The key
is `PREZENT_BACKUP_KEY` (several keys separated by commas: the first encrypts, any of them decrypts, for
rotation). There is no plaintext mode.
"""

import dataclasses
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.core.models import AuditEvent

FORMAT = 1
MAGIC = b"PREZENT-BACKUP/1\n"
CHUNK = 8 * 1024 * 1024
FRAME_LENGTH = struct.Struct(">I")
CHUNK_HEADER = struct.Struct(">QB")
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
COPY_BUFFER = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore refused, with the reason in words for the person at the terminal."""


# --- the key ---------------------------------------------------------------------------------------------------


def key_generate() -> str:
    return Fernet.generate_key().decode("ascii")


def backup_cipher() -> MultiFernet:
    """The cipher of `PREZENT_BACKUP_KEY`; no key, no backup (in production and in the demo alike)."""
    text = str(getattr(settings, "PREZENT_BACKUP_KEY", "") or "")
    keys = [part.strip() for part in text.split(",") if part.strip()]
    if not keys:
        raise BackupError(
            _(
                "Lipsește cheia copiilor de siguranță (PREZENT_BACKUP_KEY): Prezent nu scrie și nu citește copii "
                "necriptate. Generați o cheie cu „python manage.py backup --generate-key”, păstrați-o și în afara "
                "serverului (fără ea copia nu se poate citi) și setați-o în mediul procesului."
            )
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise BackupError(
            _(
                "PREZENT_BACKUP_KEY nu este o cheie validă (32 de octeți în base64 URL-safe, 44 de caractere); "
                "generați una cu „python manage.py backup --generate-key”."
            )
        ) from None


# --- the encrypted stream --------------------------------------------------------------------------------------


class EncryptingWriter:
    """A file-like object the tar archive is written into: every CHUNK bytes become one frame."""

    def __init__(self, out: BinaryIO, cipher: MultiFernet, chunk: int | None = None) -> None:
        self._out = out
        self._cipher = cipher
        self._chunk = chunk or CHUNK
        self._buffer = bytearray()
        self._sequence = 0
        out.write(MAGIC)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) >= self._chunk:
            self._frame(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def finish(self) -> None:
        """The rest (possibly nothing) as the last frame."""
        self._frame(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _frame(self, data: bytes, *, last: bool) -> None:
        token = self._cipher.encrypt(CHUNK_HEADER.pack(self._sequence, int(last)) + data)
        self._out.write(FRAME_LENGTH.pack(len(token)))
        self._out.write(token)
        self._sequence += 1


def _damaged() -> BackupError:
    return BackupError(_("Copia de siguranță este deteriorată sau a fost modificată: nu poate fi folosită."))


def decrypted_chunks(stream: BinaryIO, cipher: MultiFernet, chunk: int | None = None) -> Iterator[bytes]:
    """The plaintext of the frames in order, each verified; raises BackupError on any fault. A frame longer than
    one of `chunk` bytes (CHUNK, the size every backup is written with) is refused before it is decrypted."""
    if stream.read(len(MAGIC)) != MAGIC:
        raise BackupError(_("Fișierul nu este o copie de siguranță Prezent."))
    # A token of CHUNK bytes in base64 with Fernet's 57 bytes around it, with room to spare.
    longest = ((chunk or CHUNK) + CHUNK_HEADER.size + 128) * 4 // 3 + 64
    sequence = 0
    while True:
        head = stream.read(FRAME_LENGTH.size)
        if len(head) != FRAME_LENGTH.size:
            raise _damaged()
        (length,) = FRAME_LENGTH.unpack(head)
        if length > longest:
            raise _damaged()
        token = stream.read(length)
        if len(token) != length:
            raise _damaged()
        try:
            plain = cipher.decrypt(token)
        except InvalidToken:
            if sequence == 0:
                raise BackupError(
                    _(
                        "Copia nu se poate decripta: cheia (PREZENT_BACKUP_KEY) nu este cea cu care a fost scrisă, "
                        "sau fișierul a fost modificat."
                    )
                ) from None
            raise _damaged() from None
        if len(plain) < CHUNK_HEADER.size:
            raise _damaged()
        number, last = CHUNK_HEADER.unpack_from(plain)
        if number != sequence or last not in (0, 1):
            raise _damaged()
        yield plain[CHUNK_HEADER.size :]
        if last:
            if stream.read(1):
                raise _damaged()
            return
        sequence += 1


class DecryptingReader:
    """A file-like object over `decrypted_chunks`, for reading the tar archive as a stream."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


# --- the tables and their rows ---------------------------------------------------------------------------------


def model_tables() -> list[str]:
    """The tables of every installed model (many-to-many tables included), each once."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _counts(cursor: Any, quote: Any, tables: list[str], present: set[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names of the models' tables)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def database_counts() -> dict[str, int]:
    """Rows of every model's table that exists in the configured database."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        return _counts(cursor, connection.ops.quote_name, model_tables(), present)


def database_holds_data() -> bool:
    """Whether a restore would overwrite something: a user account or an audit event (every change Prezent makes
    writes one). Catalogues a migration loads do not count; a database not yet migrated is empty."""
    counts = database_counts()
    return any(counts.get(model._meta.db_table, 0) for model in (get_user_model(), AuditEvent))


# --- dump and restore of the database --------------------------------------------------------------------------


def _connection() -> BaseDatabaseWrapper:
    connection = connections["default"]
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(_("Baza de date %(vendor)s nu este suportată.") % {"vendor": connection.vendor})
    if connection.in_atomic_block:
        raise BackupError(_("Copia și restaurarea nu pot rula în interiorul unei tranzacții."))
    return connection


def postgresql_client(connection: BaseDatabaseWrapper, program: str) -> tuple[list[str], dict[str, str]]:
    """The command line (without the database name) and the environment of `pg_dump` or `pg_restore` for the
    configured database. The password goes through PGPASSWORD, never on the command line (which any local user
    can read in the process list); `--no-password` makes a missing one fail instead of waiting for a prompt."""
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(
            _("Programul %(program)s nu este instalat (pachetul postgresql-client).") % {"program": program}
        )
    conf = connection.settings_dict
    args = [binary, "--no-password"]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile"):
        if (conf.get("OPTIONS") or {}).get(option):
            env[f"PG{option.upper()}"] = str(conf["OPTIONS"][option])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        program = Path(args[0]).name
        raise BackupError(
            _("%(program)s a eșuat (cod %(code)d): %(error)s")
            % {"program": program, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


def _postgresql_dump(connection: BaseDatabaseWrapper, path: Path) -> dict[str, int]:
    """pg_dump in the snapshot the rows were counted in, so the manifest's counts are the dump's."""
    args, env = postgresql_client(connection, "pg_dump")
    connection.ensure_connection()
    tables = model_tables()
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor, connection.ops.quote_name, tables, present)
            _run(
                [
                    *args,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(path),
                    connection.settings_dict["NAME"],
                ],
                env,
            )
    finally:
        connection.rollback()
        connection.set_autocommit(True)
    return counts


def _sqlite_dump(connection: BaseDatabaseWrapper, path: Path) -> dict[str, int]:
    """A consistent copy through SQLite's backup API (pages copied while the database stays in use)."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        cursor = copy.cursor()
        counts = _counts(cursor, connection.ops.quote_name, model_tables(), present)
    finally:
        copy.close()
    return counts


def _postgresql_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    """pg_restore into the configured database, all or nothing: each object of the dump dropped (if it exists)
    and created again; ownership and grants are the restoring user's."""
    args, env = postgresql_client(connection, "pg_restore")
    name = connection.settings_dict["NAME"]
    connection.close()  # our own session must hold no lock on the tables pg_restore drops
    _run(
        [
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            name,
            str(path),
        ],
        env,
    )


def _sqlite_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    """The copy written over the configured database by the same backup API, page by page."""
    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


# --- the archive -----------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(COPY_BUFFER):
            digest.update(block)
    return digest.hexdigest()


@cache
def prezent_version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "necunoscută"


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        files.append((path, path.relative_to(root).as_posix()))
    return files


@dataclasses.dataclass(frozen=True)
class Written:
    manifest: dict[str, Any]
    path: Path
    size: int


def backup_write(*, path: Path) -> Written:
    """Dump the database, add MEDIA_ROOT and the manifest, encrypt; the file appears only when complete."""
    cipher = backup_cipher()
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(_("Dosarul %(folder)s nu există.") % {"folder": path.parent})
    if path.parent.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(
            _("Copia nu se scrie în MEDIA_ROOT (%(folder)s): ar intra în copiile următoare.")
            % {"folder": settings.MEDIA_ROOT}
        )
    connection = _connection()
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="prezent-backup-") as scratch:
        dump = Path(scratch) / DUMP_NAMES[connection.vendor]
        if connection.vendor == "postgresql":
            counts = _postgresql_dump(connection, dump)
        else:
            counts = _sqlite_dump(connection, dump)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "prezent_version": prezent_version(),
            "database_vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "tables": counts,
            "dump": {"name": dump.name, "size": dump.stat().st_size, "sha256": file_sha256(dump)},
            "media": {"files": len(media), "bytes": sum(file.stat().st_size for file, _name in media)},
        }
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                writer = EncryptingWriter(out, cipher)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    info.mtime = int(timezone.now().timestamp())
                    archive.addfile(info, io.BytesIO(data))
                    archive.add(dump, arcname=dump.name, recursive=False)
                    for file, name in media:
                        try:
                            archive.add(file, arcname=f"{MEDIA}/{name}", recursive=False)
                        except FileNotFoundError:  # deleted since the listing
                            continue
                writer.finish()
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        except OSError as exc:
            raise BackupError(
                _("Copia nu s-a putut scrie în %(file)s: %(error)s") % {"file": path, "error": exc}
            ) from exc
        finally:
            partial.unlink(missing_ok=True)
    return Written(manifest=manifest, path=path, size=path.stat().st_size)


def _unpack(path: Path, into: Path, cipher: MultiFernet) -> dict[str, Any]:
    """Decrypt and unpack the whole file into `into`, then check the manifest and the dump's SHA-256: nothing in
    the database changes before all of it holds."""
    if not Path(path).is_file():
        raise BackupError(_("Fișierul %(file)s nu există.") % {"file": path})
    with Path(path).open("rb") as source:
        try:
            reader = DecryptingReader(decrypted_chunks(source, cipher))
            with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
                archive.extractall(into, filter="data")
            while reader.read(COPY_BUFFER):  # to the last frame: a file cut after the tar's end is refused too
                pass
        except tarfile.TarError:
            raise _damaged() from None
        except OSError as exc:
            raise BackupError(
                _("Copia nu s-a putut despacheta în %(folder)s: %(error)s") % {"folder": into, "error": exc}
            ) from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        dump = into / manifest["dump"]["name"]
        expected = manifest["dump"]["sha256"]
        vendor = manifest["database_vendor"]
    except (OSError, ValueError, KeyError, TypeError):
        raise _damaged() from None
    if manifest.get("format") != FORMAT or dump.name not in DUMP_NAMES.values() or not dump.is_file():
        raise _damaged()
    if file_sha256(dump) != expected:
        raise BackupError(_("Amprenta SHA-256 a bazei de date din copie nu se potrivește cu manifestul."))
    if vendor != connections["default"].vendor:
        raise BackupError(
            _("Copia este a unei baze %(backup)s, iar baza configurată este %(current)s.")
            % {"backup": vendor, "current": connections["default"].vendor}
        )
    return dict(manifest)


@dataclasses.dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    differences: list[tuple[str, int, int | None]]  # table, rows in the manifest, rows now (None: no table)
    media_files: int
    media_left: int  # files in MEDIA_ROOT that the backup does not hold, left in place


def backup_read(*, path: Path, overwrite: bool) -> Restored:
    """Restore the database and MEDIA_ROOT from a backup, after checking all of it; a database that holds data is
    overwritten only with `overwrite`. The row counts are compared with the manifest afterwards."""
    cipher = backup_cipher()
    with tempfile.TemporaryDirectory(prefix="prezent-restore-") as scratch:
        into = Path(scratch)
        manifest = _unpack(path, into, cipher)
        connection = _connection()
        if not overwrite and database_holds_data():
            raise BackupError(
                _(
                    "Baza de date configurată nu este goală (are conturi sau evenimente în jurnal): restaurarea ar "
                    "suprascrie-o. Repetați comanda cu --yes dacă asta vreți."
                )
            )
        dump = into / manifest["dump"]["name"]
        if connection.vendor == "postgresql":
            _postgresql_restore(connection, dump)
        else:
            _sqlite_restore(connection, dump)
        restored, left = _media_restore(into / MEDIA)
    counts = database_counts()
    differences = [
        (table, int(rows), counts.get(table))
        for table, rows in sorted(manifest["tables"].items())
        if counts.get(table) != rows
    ]
    return Restored(manifest=manifest, counts=counts, differences=differences, media_files=restored, media_left=left)


def _media_restore(unpacked: Path) -> tuple[int, int]:
    """Every file of the backup back in MEDIA_ROOT (over the current one of the same name); files the backup does
    not hold stay where they are, counted."""
    root = Path(settings.MEDIA_ROOT)
    names = set()
    if unpacked.is_dir():
        for file in sorted(unpacked.rglob("*")):
            if not file.is_file():
                continue
            name = file.relative_to(unpacked).as_posix()
            names.add(name)
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(file, target)
    left = 0
    if root.is_dir():
        left = sum(1 for file in root.rglob("*") if file.is_file() and file.relative_to(root).as_posix() not in names)
    return len(names), left
