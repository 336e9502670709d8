"""Reading the spreadsheets people bring (XLSX or CSV), for every import.

What real files look like, and what the reader does about it:
- XLSX or CSV, told apart by content, never by the file's name; the old binary .xls is refused with a message that
  says how to save the file.
- Title rows above the header (the Ministry's exports have a title block): the header is the first row, in the
  first `search_rows`, with a cell whose name is one of `header_names`, matched by `header_key` (case,
  diacritics, ş/ș, punctuation, hyphens and spacing do not matter). The user's columns are then found by name, in
  any order.
- CSV in UTF-8 with or without a byte-order mark, or Windows-1250 (what Excel writes on a Romanian Windows);
  separated by `,`, `;` (Excel with Romanian regional settings) or tabs, whichever the header row holds most.
- Codes stay text: `code_text` turns a numeric cell back into digits and pads the zeros it lost.
- Line numbers are the ones a person sees in the spreadsheet (title block and header included; blank rows count,
  and a CSV record whose quoted cell spans lines is numbered by its first line).
- An XLSX is a zip of XML: one that unpacks to more than `max_unpacked_bytes` is refused before it is parsed, so a
  small file cannot take the server's memory.

Problems with the file as a whole raise `SpreadsheetError` with one `RowError` on line 0; each import adds its own
row errors and raises them together, all rows or none.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _

from prezent.core.text import fold

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DEFAULT_SEARCH_ROWS = 50
DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class RowError:
    """One reason a row was refused. `line` is the file's line number; 0 for a problem with the whole file."""

    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return self.message
        return _("linia %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class SpreadsheetError(Exception):
    """The file was refused and nothing was written; `errors` holds every bad row, in file order."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__("\n".join(str(error) for error in self.errors))


def file_error(message: str) -> SpreadsheetError:
    return SpreadsheetError([RowError(0, message)])


def header_key(text: str) -> str:
    """A header cell for matching: folded (`fold`) and without punctuation ("Nr. crt." is "nr crt")."""
    return " ".join(re.sub(r"[^\w ]", " ", fold(text)).split())


def cell_text(value: Any) -> str:
    """A cell as text, stripped, with runs of white space made one space (a whole float shows without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return " ".join(str(value).split())


def code_text(value: Any, *, width: int = 0) -> str:
    """A code cell (SIIIR, SIRUTA, CNP, postal code) as text without spaces. A numeric cell lost its leading
    zeros: it is padded back to `width` digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(width) if value >= 0 else str(value)
    return "".join(cell_text(value).split())


_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what a spreadsheet cannot hold (openpyxl refuses it)


def cell_safe(value: object) -> object:
    """A value as it may be written into a spreadsheet or CSV that a person opens: control characters a workbook
    cannot hold are dropped (one in a name made the whole file fail), and a text starting with = + - @ tab or CR
    is prefixed with an apostrophe, so the spreadsheet shows it as text instead of running it as a formula
    (formula injection through a name typed in a form). Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = _UNWRITABLE.sub("", value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


UPLOAD_SUFFIXES = (".xlsx", ".csv")


def upload_read(file: IO[bytes] | Path, filename: str, *, max_bytes: int, too_big: str) -> bytes:
    """An uploaded spreadsheet's bytes (at most `max_bytes`), after checking its name: a .xlsx or .csv, not empty.
    A refusal is a `SpreadsheetError` with the reason in the user's language (`too_big` says what to do instead);
    each import re-raises it as its own error."""
    name = filename or getattr(file, "name", "") or ""
    if not str(name).lower().endswith(UPLOAD_SUFFIXES):
        raise file_error(_("Alegeți un fișier .xlsx sau .csv (foaia de calcul salvată din Excel sau LibreOffice)."))
    if isinstance(file, Path):
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise file_error(too_big)
    if not data.strip():
        raise file_error(_("Fișierul este gol."))
    return data


def is_blank(row: Sequence[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


@dataclass
class Sheet:
    """A table found in a file: its header (the cells as text) and the rows under it, each with its line number.

    `rows` yields every row after the header, blank ones too (`data_rows` skips them); `total` estimates the
    file's data rows, for a progress bar."""

    header_line: int
    header: tuple[str, ...]
    rows: Iterator[tuple[int, Sequence[Any]]]
    total: int

    def column(self, *names: str) -> int | None:
        """The index of the first header cell named like one of `names` (by `header_key`), or None."""
        wanted = {header_key(name) for name in names}
        return next((index for index, text in enumerate(self.header) if header_key(text) in wanted), None)

    def columns(self) -> dict[str, int]:
        """`header_key` of each header cell → its index, the first column of each name."""
        found: dict[str, int] = {}
        for index, text in enumerate(self.header):
            key = header_key(text)
            if key and key not in found:
                found[key] = index
        return found

    def data_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        return ((line, row) for line, row in self.rows if not is_blank(row))

    @staticmethod
    def cell(row: Sequence[Any], index: int | None) -> Any:
        if index is None or index >= len(row):
            return None
        return row[index]


def decode(raw: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else Windows-1250."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250", errors="replace")


@contextlib.contextmanager
def sheet_open(
    source: bytes | Path,
    *,
    header_names: Collection[str],
    header_label: str,
    search_rows: int = DEFAULT_SEARCH_ROWS,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> Iterator[Sheet]:
    """Open a CSV or XLSX file (bytes or a path) at its header row, or raise SpreadsheetError.

    `header_label` names the expected column(s) in the message shown when no header is found (for example
    "„Nume” sau „Elev”")."""
    wanted = frozenset(header_key(name) for name in header_names)
    if isinstance(source, Path):
        try:
            with source.open("rb") as handle:
                magic = handle.read(8)
        except OSError as exc:
            raise file_error(
                _("Fișierul „%(name)s” nu poate fi citit (%(error)s).") % {"name": source.name, "error": exc}
            ) from exc
    else:
        magic = source[:8]
    if magic.startswith(XLS_MAGIC):
        raise file_error(_("Formatul vechi .xls nu este acceptat: salvați fișierul ca .xlsx sau .csv."))
    if magic.startswith(XLSX_MAGIC):
        opened = _xlsx_sheet(source, wanted=wanted, search_rows=search_rows, max_unpacked_bytes=max_unpacked_bytes)
    else:
        opened = _csv_sheet(source, wanted=wanted, search_rows=search_rows)
    with opened as sheet:
        if sheet is None:
            raise file_error(
                _("Nu am găsit rândul de antet: niciunul din primele %(n)d rânduri nu are coloana %(column)s.")
                % {"n": search_rows, "column": header_label}
            )
        yield sheet


def _is_header(row: Sequence[Any], wanted: frozenset[str]) -> bool:
    return any(header_key(cell_text(value)) in wanted for value in row)


def _header_and_rest(
    rows: Iterator[tuple[int, Sequence[Any]]], *, wanted: frozenset[str], search_rows: int, estimate: int
) -> Sheet | None:
    for line, row in rows:
        if line > search_rows:
            return None
        if _is_header(row, wanted):
            header = tuple(cell_text(value) for value in row)
            return Sheet(header_line=line, header=header, rows=rows, total=max(estimate - line, 0))
    return None


def _csv_records(reader: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    """Each CSV record with the physical line it starts on (a quoted cell may span lines)."""
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


CHUNK_BYTES = 1 << 20


def _csv_survey(handle: IO[bytes]) -> tuple[bool, int, bytes]:
    """One pass over a CSV's bytes, a chunk at a time: (is it UTF-8, its number of lines, its first chunk). A NUL
    byte means it is not text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, newlines, last, first = True, 0, b"", b""
    while chunk := handle.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            raise file_error(_("Fișierul nu este un CSV (text): salvați foaia de calcul ca .csv sau .xlsx."))
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        first = first or chunk
        newlines += chunk.count(b"\n")
        last = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return utf8, newlines + (0 if last == b"\n" else 1), first


@contextlib.contextmanager
def _csv_sheet(source: bytes | Path, *, wanted: frozenset[str], search_rows: int) -> Iterator[Sheet | None]:
    """The file is read as a stream (a chunk at a time, twice: once to tell its encoding, then the rows), so a big
    export never sits whole in memory."""
    with source.open("rb") if isinstance(source, Path) else io.BytesIO(source) as handle:
        utf8, estimate, first = _csv_survey(handle)
        encoding = "utf-8-sig" if utf8 else "cp1250"
        delimiter = ","
        head = codecs.getincrementaldecoder(encoding)(errors="replace").decode(first)
        for line in head.splitlines()[:search_rows]:
            if _is_header(re.split(r"[,;\t]", line), wanted):
                delimiter = max(DELIMITERS, key=line.count)
                break
        handle.seek(0)
        with io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="") as text:
            reader = csv.reader(text, delimiter=delimiter)
            yield _header_and_rest(_csv_records(reader), wanted=wanted, search_rows=search_rows, estimate=estimate)


def _unpacked_size(source: bytes | Path) -> int:
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise file_error(_("Fișierul XLSX nu poate fi citit: salvați-l din nou ca .xlsx sau ca .csv.")) from exc


@contextlib.contextmanager
def _xlsx_sheet(
    source: bytes | Path, *, wanted: frozenset[str], search_rows: int, max_unpacked_bytes: int
) -> Iterator[Sheet | None]:
    if _unpacked_size(source) > max_unpacked_bytes:
        raise file_error(
            _("Fișierul XLSX se despachetează în peste %(mb)d MB: este prea mare pentru acest import.")
            % {"mb": max_unpacked_bytes // (1024 * 1024)}
        )
    try:
        workbook = openpyxl.load_workbook(
            source if isinstance(source, Path) else io.BytesIO(source), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises zipfile, XML and key errors for a damaged file
        raise file_error(_("Fișierul XLSX nu poate fi citit: salvați-l din nou ca .xlsx sau ca .csv.")) from exc
    try:
        for worksheet in workbook.worksheets:
            estimate = getattr(worksheet, "max_row", None) or 0
            # Some producers write a wrong <dimension>; without this openpyxl would silently read too few cells.
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
            rows = enumerate(worksheet.iter_rows(values_only=True), start=1)
            sheet = _header_and_rest(rows, wanted=wanted, search_rows=search_rows, estimate=estimate)
            if sheet is not None:
                yield sheet
                return
        yield None
    finally:
        workbook.close()
