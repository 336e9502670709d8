"""Importing the school network (SIIIR) and the localities (SIRUTA) into the registry.

Localities: `localities_import`
    The SIRUTA layout of `data/iasi_siruta_localities.csv`: a header row, then one row per unit with `siruta`,
    `name`, `level` (`county`, `uat`, or `village`; `locality`, the word the shipped file uses for villages and
    component localities, counts as `village`), `mediu` (`urban`/`rural`, empty for the county), `postal_code`,
    `uat_siruta` (the UAT a village belongs to; a UAT names itself), `lat`, `lon` and `population_2011`.
    Other columns (`name_ascii`, `tip`, sources of the coordinates, …) are ignored. A file holds one county;
    SIRUTA numbers counties (Iași is 225) instead of naming them, so the two-letter code comes from the
    `county_code` argument (`IS` by default) and is given to every row. Names are written with ș ț (comma below)
    where the file has ş ţ (cedilla).

School network: `school_network_import`
    The Ministry of Education's "Export complet rețea școlară", one row per unit (`Statut unitate` PJ for a
    legal entity, AR for one of its satellite structures). The columns used, matched by name (case, diacritics
    and spacing do not matter, order does not matter): An, Judet PJ, Cod SIIIR PJ, Localitate unitate,
    Cod SIRUTA unitate, Mediu loc. unitate, Cod SIRUES, Cod SIIIR unitate, Denumire scurta unitate,
    Denumire lunga unitate, Tip unitate, Statut unitate, Cod fiscal, Strada, Numar, Cod postal. They are all
    required, so that a file with a column missing cannot blank that field on every school. Any other column
    (Localitate PJ, Mod functionare, Telefon, Fax, Email, …) is ignored.

    - The file is read by the shared reader (`prezent/core/spreadsheets.py`): XLSX as the Ministry publishes it
      (the whole country on one sheet, a title block of a few rows above the header) or CSV in UTF-8 or
      Windows-1250, with `,` or `;`. The header row is the first row, in the first 50, that has a
      "Cod SIIIR unitate" cell.
    - Codes are text. A SIIIR code has 10 digits, the first two the county's number (01 Alba … 22 Iași … 52
      Giurgiu), so the codes of nine counties start with 0. A spreadsheet cell that holds the code as a number
      has lost that zero: numeric cells are turned back into text and SIIIR codes padded to 10 digits (a
      9-digit code in a CSV saved from Excel gets its zero back too). Numeric postal-code cells are padded to 6.
    - Names and other text (unit, locality, street, type) are written with ș ț Ș Ț (comma below) where the
      Ministry's export has ş ţ Ş Ţ (cedilla): `romanian_commas` (prezent/core/text.py). Each school's
      `search_name` (its name and short name folded, which the school list searches) is filled here too, since
      bulk writes skip `School.save()`.
    - `Cod fiscal` sometimes carries the legal form after the number ("33997840 (asociaţie)"); only the
      number is kept.
    - `--county IS` keeps the rows whose `Judet PJ` is IS; the others are counted as skipped and not checked.
    - Each unit's locality is found by `Cod SIRUTA unitate`. When it is not in the database (another county,
      or no localities file loaded), a minimal village is created from `Localitate unitate`, `Judet PJ` and
      `Mediu loc. unitate`, so a national file imports on its own; a later `localities_import` completes it.
    - An AR's parent is the PJ with the same `Cod SIIIR PJ`, in the file (before or after the AR) or already
      in the database. PJs are written first, then ARs.

Both imports are all-or-nothing: every row is read and checked first, and if any row is wrong nothing is
written and `NetworkImportError` lists each bad row with the line number a person sees in the file (header
and title block included; blank rows count, as they do in a spreadsheet) and the reason in Romanian. They are
idempotent: fields are compared and only changed rows are written, so a second run of the same file changes
nothing. Writes are bulk (a few queries per thousand rows, never one per row) inside one transaction, and one
audit event per run holds the counts only.
"""

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError, Sheet, SpreadsheetError, header_key, sheet_open
from prezent.core.spreadsheets import cell_text as _clean
from prezent.core.spreadsheets import code_text as _code
from prezent.core.text import romanian_commas
from prezent.schools.models import Environment, Locality, School, school_search_name

DATA_DIR = Path(__file__).resolve().parent / "data"
IASI_LOCALITIES_FILE = DATA_DIR / "iasi_siruta_localities.csv"
IASI_SCHOOL_NETWORK_FILE = DATA_DIR / "iasi_schools_retea_scolara_2024_2025.csv"

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 1000
BATCH_SIZE = 1000
# Keys per `IN (...)` query: under SQLite's historical limit of 999 bound parameters.
LOOKUP_CHUNK = 900
HEADER_SEARCH_ROWS = 50

SIIIR_DIGITS = 10
POSTAL_DIGITS = 6


class NetworkImportError(SpreadsheetError):
    """The file was refused and nothing was written; `errors` holds every bad row, in file order."""


@dataclass
class ImportReport:
    """What an import did (or, with `dry_run`, would do). `rows` counts the data rows kept from the file."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    localities_created: int = 0
    county: str = ""
    dry_run: bool = False

    def as_details(self) -> dict[str, Any]:
        return asdict(self)


# Reading tables (CSV or XLSX) ---------------------------------------------------------------------------------


@dataclass
class _Table:
    """The file's table under its header, with its columns by `header_key` (prezent/core/spreadsheets.py)."""

    sheet: Sheet
    columns: dict[str, int]

    def cell(self, row: Sequence[Any], name: str) -> Any:
        return Sheet.cell(row, self.columns[header_key(name)])


@contextlib.contextmanager
def _open_table(path: Path, *, marker: str, required: Sequence[str]) -> Iterator[_Table]:
    """Open a CSV or XLSX file at its header row (the first with a `marker` cell); every `required` column must
    be in it, so that a file with a column missing cannot blank that field on every row."""
    try:
        with sheet_open(
            path, header_names={marker}, header_label=f"„{marker}”", search_rows=HEADER_SEARCH_ROWS
        ) as sheet:
            columns = sheet.columns()
            missing = [name for name in required if header_key(name) not in columns]
            if missing:
                names = ", ".join(f"„{name}”" for name in missing)
                raise NetworkImportError(
                    [
                        RowError(
                            sheet.header_line,
                            _("antetul nu are coloanele obligatorii %(columns)s") % {"columns": names},
                        )
                    ]
                )
            yield _Table(sheet=sheet, columns=columns)
    except NetworkImportError:
        raise
    except SpreadsheetError as refused:
        raise NetworkImportError(refused.errors) from refused


def _data_rows(table: _Table, progress: Progress | None) -> Iterator[tuple[int, Sequence[Any]]]:
    """The non-blank rows after the header, reporting progress every `PROGRESS_EVERY` rows."""
    done = 0
    for line, row in table.sheet.data_rows():
        yield line, row
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, max(table.sheet.total, done))
    if progress is not None:
        progress(done, done)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def _too_long(label: str, value: str, limit: int) -> str | None:
    if len(value) <= limit:
        return None
    return _("valoarea din „%(field)s” are %(length)d caractere, peste lungimea maximă (%(limit)d)") % {
        "field": label,
        "length": len(value),
        "limit": limit,
    }


@functools.cache
def _max_length(model: type[Locality] | type[School], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", None) or 0)


DIGITS = re.compile(r"[0-9]+")

# Localities -----------------------------------------------------------------------------------------------------

LOCALITY_COLUMNS = ("siruta", "name", "level", "mediu", "postal_code", "uat_siruta", "lat", "lon", "population_2011")
LOCALITY_LEVELS = {
    "county": Locality.Level.COUNTY,
    "uat": Locality.Level.UAT,
    "village": Locality.Level.VILLAGE,
    "locality": Locality.Level.VILLAGE,
}
LOCALITY_FIELDS = ("name", "level", "county_code", "environment", "postal_code", "latitude", "longitude", "population")
ENVIRONMENTS = {"urban": Environment.URBAN, "rural": Environment.RURAL}


@dataclass
class _LocalityRow:
    line: int
    siruta: str
    uat_siruta: str | None
    values: dict[str, Any] = field(default_factory=dict)

    def wanted(self) -> dict[str, Any]:
        return {**self.values, "uat__siruta": self.uat_siruta}


def _number(value: Any, *, label: str, kind: type[float] | type[int], errors: list[str]) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number: float = float(value)
    else:
        try:
            number = float(_clean(value).replace(",", "."))
        except ValueError:
            errors.append(_("„%(field)s” nu este un număr: „%(value)s”") % {"field": label, "value": _clean(value)})
            return None
    if kind is int:
        if not number.is_integer() or number < 0:
            errors.append(
                _("„%(field)s” nu este un număr întreg pozitiv: „%(value)s”") % {"field": label, "value": _clean(value)}
            )
            return None
        return int(number)
    return number


def _siruta(value: Any, *, label: str, errors: list[str]) -> str:
    code = _code(value)
    if not code:
        errors.append(_("codul SIRUTA lipsește („%(field)s”)") % {"field": label})
    elif not DIGITS.fullmatch(code) or len(code) > _max_length(Locality, "siruta"):
        errors.append(_("codul SIRUTA „%(code)s” nu este valid („%(field)s”)") % {"code": code, "field": label})
    return code


def _parse_locality(table: _Table, line: int, row: Sequence[Any], county_code: str) -> tuple[_LocalityRow, list[str]]:
    errors: list[str] = []
    siruta = _siruta(table.cell(row, "siruta"), label="siruta", errors=errors)
    name = romanian_commas(_clean(table.cell(row, "name")))
    if not name:
        errors.append(_("denumirea localității lipsește"))
    elif problem := _too_long("name", name, _max_length(Locality, "name")):
        errors.append(problem)
    level_text = _clean(table.cell(row, "level")).casefold()
    level = LOCALITY_LEVELS.get(level_text)
    if level is None:
        errors.append(_("nivelul „%(level)s” nu este county, uat sau village") % {"level": level_text})
    mediu = _clean(table.cell(row, "mediu")).casefold()
    environment = ENVIRONMENTS.get(mediu, "")
    if mediu and not environment:
        errors.append(_("mediul „%(value)s” nu este urban sau rural") % {"value": mediu})
    postal_code = _code(table.cell(row, "postal_code"), width=POSTAL_DIGITS)
    if problem := _too_long("postal_code", postal_code, _max_length(Locality, "postal_code")):
        errors.append(problem)
    latitude = _number(table.cell(row, "lat"), label="lat", kind=float, errors=errors)
    longitude = _number(table.cell(row, "lon"), label="lon", kind=float, errors=errors)
    if latitude is not None and not -90 <= latitude <= 90:
        errors.append(_("latitudinea %(value)s nu este între -90 și 90") % {"value": latitude})
    if longitude is not None and not -180 <= longitude <= 180:
        errors.append(_("longitudinea %(value)s nu este între -180 și 180") % {"value": longitude})
    population = _number(table.cell(row, "population_2011"), label="population_2011", kind=int, errors=errors)
    uat_siruta: str | None = None
    if level == Locality.Level.VILLAGE:
        uat_siruta = _siruta(table.cell(row, "uat_siruta"), label="uat_siruta", errors=errors)
        if uat_siruta == siruta:
            uat_siruta = None
    values = {
        "name": name,
        "level": level,
        "county_code": county_code,
        "environment": environment,
        "postal_code": postal_code,
        "latitude": latitude,
        "longitude": longitude,
        "population": population,
    }
    return _LocalityRow(line=line, siruta=siruta, uat_siruta=uat_siruta, values=values), errors


def _localities_existing(sirutas: Sequence[str]) -> dict[str, dict[str, Any]]:
    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sirutas):
        for values in Locality.objects.filter(siruta__in=chunk).values("id", "siruta", *LOCALITY_FIELDS, "uat__siruta"):
            existing[values["siruta"]] = values
    return existing


def _locality_ids(sirutas: Iterable[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(set(sirutas))):
        ids.update(Locality.objects.filter(siruta__in=chunk).values_list("siruta", "id"))
    return ids


def localities_import(
    *,
    path: Path,
    county_code: str = "IS",
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update a county's SIRUTA localities from a file in the SIRUTA layout. All-or-nothing, idempotent.

    Raises `NetworkImportError` (nothing written) when any row is wrong.
    """
    county_code = county_code.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}", county_code):
        raise NetworkImportError(
            [RowError(0, _("Codul județului „%(code)s” nu este valid (ex. IS, B).") % {"code": county_code})]
        )
    rows: list[_LocalityRow] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    with _open_table(path, marker="siruta", required=LOCALITY_COLUMNS) as table:
        for line, raw in _data_rows(table, progress):
            parsed, problems = _parse_locality(table, line, raw, county_code)
            if parsed.siruta in first_line and not problems:
                problems.append(
                    _("codul SIRUTA „%(code)s” apare de mai multe ori în fișier (prima dată pe linia %(first)d)")
                    % {"code": parsed.siruta, "first": first_line[parsed.siruta]}
                )
            first_line.setdefault(parsed.siruta, line)
            errors.extend(RowError(line, problem) for problem in problems)
            if not problems:
                rows.append(parsed)

    levels_in_file = {row.siruta: row.values["level"] for row in rows}
    existing = _localities_existing(sorted({row.siruta for row in rows} | {r.uat_siruta for r in rows if r.uat_siruta}))
    for row in rows:
        if row.uat_siruta is None:
            continue
        level = levels_in_file.get(row.uat_siruta) or existing.get(row.uat_siruta, {}).get("level")
        if level != Locality.Level.UAT:
            errors.append(
                RowError(
                    row.line,
                    _("UAT-ul „%(code)s” al localității nu este nici în fișier, nici în baza de date")
                    % {"code": row.uat_siruta},
                )
            )
    if errors:
        raise NetworkImportError(errors)

    report = ImportReport(rows=len(rows), county=county_code, dry_run=dry_run)
    new_rows: list[_LocalityRow] = []
    changed_rows: list[_LocalityRow] = []
    for row in rows:
        current = existing.get(row.siruta)
        if current is None:
            new_rows.append(row)
        elif any(current[key] != value for key, value in row.wanted().items()):
            changed_rows.append(row)
    report.created, report.updated = len(new_rows), len(changed_rows)
    report.unchanged = len(rows) - report.created - report.updated
    if dry_run:
        return report

    with transaction.atomic():
        # UATs and the county first, so that villages can point at their UAT.
        for villages in (False, True):
            ids = _locality_ids(r.uat_siruta for r in rows if r.uat_siruta) if villages else {}
            Locality.objects.bulk_create(
                [
                    Locality(siruta=r.siruta, uat_id=ids.get(r.uat_siruta or ""), **r.values)
                    for r in new_rows
                    if (r.uat_siruta is not None) == villages
                ],
                batch_size=BATCH_SIZE,
            )
            Locality.objects.bulk_update(
                [
                    Locality(id=existing[r.siruta]["id"], uat_id=ids.get(r.uat_siruta or ""), **r.values)
                    for r in changed_rows
                    if (r.uat_siruta is not None) == villages
                ],
                fields=[*LOCALITY_FIELDS, "uat"],
                batch_size=BATCH_SIZE,
            )
        audit_record(actor=actor, action="locality.import", target_type="schools.locality", details=report.as_details())
    return report


# School network ------------------------------------------------------------------------------------------------

COL_YEAR = "An"
COL_COUNTY = "Judet PJ"
COL_PJ_CODE = "Cod SIIIR PJ"
COL_LOCALITY = "Localitate unitate"
COL_SIRUTA = "Cod SIRUTA unitate"
COL_ENVIRONMENT = "Mediu loc. unitate"
COL_SIRUES = "Cod SIRUES"
COL_CODE = "Cod SIIIR unitate"
COL_SHORT_NAME = "Denumire scurta unitate"
COL_NAME = "Denumire lunga unitate"
COL_TYPE = "Tip unitate"
COL_STATUS = "Statut unitate"
COL_FISCAL = "Cod fiscal"
COL_STREET = "Strada"
COL_NUMBER = "Numar"
COL_POSTAL = "Cod postal"
SCHOOL_COLUMNS = (
    COL_YEAR,
    COL_COUNTY,
    COL_PJ_CODE,
    COL_LOCALITY,
    COL_SIRUTA,
    COL_ENVIRONMENT,
    COL_SIRUES,
    COL_CODE,
    COL_SHORT_NAME,
    COL_NAME,
    COL_TYPE,
    COL_STATUS,
    COL_FISCAL,
    COL_STREET,
    COL_NUMBER,
    COL_POSTAL,
)
# Model field ← column, for the plain text fields checked only for length.
SCHOOL_TEXT_COLUMNS = {
    "short_name": COL_SHORT_NAME,
    "unit_type": COL_TYPE,
    "sirues_code": COL_SIRUES,
    "street": COL_STREET,
    "street_number": COL_NUMBER,
}
SCHOOL_FIELDS = (
    "kind",
    "name",
    "short_name",
    "unit_type",
    "county_code",
    "environment",
    "sirues_code",
    "fiscal_code",
    "street",
    "street_number",
    "postal_code",
    "school_year_label",
    "search_name",
)
SCHOOL_KINDS = frozenset(School.Kind.values)
SCHOOL_ENVIRONMENTS = {"rural": Environment.RURAL, "urban": Environment.URBAN}
FISCAL_CODE = re.compile(r"(?:RO)?\s*[0-9]+", re.IGNORECASE)


@dataclass
class _UnitRow:
    line: int
    code: str
    parent_code: str | None
    siruta: str
    locality_name: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def is_pj(self) -> bool:
        return self.values["kind"] == School.Kind.PJ

    def wanted(self) -> dict[str, Any]:
        return {**self.values, "locality__siruta": self.siruta, "parent__siiir_code": self.parent_code}


def _siiir(value: Any, *, label: str, errors: list[str]) -> str:
    code = _code(value, width=SIIIR_DIGITS)
    if DIGITS.fullmatch(code) and len(code) == SIIIR_DIGITS - 1:
        code = "0" + code
    if not code:
        errors.append(_("codul SIIIR lipsește („%(field)s”)") % {"field": label})
    elif not DIGITS.fullmatch(code):
        errors.append(_("codul SIIIR „%(code)s” nu este numeric („%(field)s”)") % {"code": code, "field": label})
    elif len(code) != SIIIR_DIGITS:
        errors.append(
            _("codul SIIIR „%(code)s” nu are %(n)d cifre („%(field)s”)")
            % {"code": code, "n": SIIIR_DIGITS, "field": label}
        )
    return code


def _fiscal_code(value: Any) -> str:
    text = _code(value) if isinstance(value, int | float) else _clean(value)
    match = FISCAL_CODE.match(text)
    return "".join(match.group().split()).upper() if match else text


def _parse_unit(table: _Table, line: int, row: Sequence[Any], county_code: str) -> tuple[_UnitRow, list[str]]:
    errors: list[str] = []
    code = _siiir(table.cell(row, COL_CODE), label=COL_CODE, errors=errors)
    status = _clean(table.cell(row, COL_STATUS)).upper()
    if status not in SCHOOL_KINDS:
        errors.append(_("statutul unității „%(value)s” nu este PJ sau AR") % {"value": status})
    parent_code: str | None = None
    if status == School.Kind.AR:
        parent_code = _siiir(table.cell(row, COL_PJ_CODE), label=COL_PJ_CODE, errors=errors)
    name = romanian_commas(_clean(table.cell(row, COL_NAME)))
    if not name:
        errors.append(_("denumirea unității lipsește („%(field)s”)") % {"field": COL_NAME})
    siruta = _siruta(table.cell(row, COL_SIRUTA), label=COL_SIRUTA, errors=errors)
    environment_text = _clean(table.cell(row, COL_ENVIRONMENT))
    environment = SCHOOL_ENVIRONMENTS.get(environment_text.casefold())
    if environment is None:
        errors.append(_("mediul „%(value)s” nu este URBAN sau RURAL") % {"value": environment_text})
    year = _clean(table.cell(row, COL_YEAR)).replace("/", "-").replace("–", "-").replace(" ", "")
    if year and not re.fullmatch(r"[0-9]{4}-[0-9]{4}", year):
        errors.append(_("anul școlar „%(value)s” nu are forma AAAA-AAAA") % {"value": year})
    values: dict[str, Any] = {
        "kind": status,
        "name": name,
        "county_code": county_code,
        "environment": environment,
        "fiscal_code": _fiscal_code(table.cell(row, COL_FISCAL)),
        "postal_code": _code(table.cell(row, COL_POSTAL), width=POSTAL_DIGITS),
        "school_year_label": year,
    }
    for field_name, column in SCHOOL_TEXT_COLUMNS.items():
        cell = table.cell(row, column)
        values[field_name] = _code(cell) if isinstance(cell, int | float) else romanian_commas(_clean(cell))
    values["search_name"] = school_search_name(values["name"], values["short_name"])
    labels = {"name": COL_NAME, "fiscal_code": COL_FISCAL, "postal_code": COL_POSTAL, **SCHOOL_TEXT_COLUMNS}
    for field_name, label in labels.items():
        if problem := _too_long(label, values[field_name], _max_length(School, field_name)):
            errors.append(problem)
    unit = _UnitRow(
        line=line,
        code=code,
        parent_code=parent_code,
        siruta=siruta,
        locality_name=romanian_commas(_clean(table.cell(row, COL_LOCALITY))),
        values=values,
    )
    return unit, errors


def _read_units(
    path: Path, county: str | None, progress: Progress | None
) -> tuple[list[_UnitRow], list[RowError], int]:
    units: list[_UnitRow] = []
    errors: list[RowError] = []
    skipped = 0
    first_line: dict[str, int] = {}
    with _open_table(path, marker=COL_CODE, required=SCHOOL_COLUMNS) as table:
        for line, row in _data_rows(table, progress):
            county_code = _clean(table.cell(row, COL_COUNTY)).upper()
            if county is not None and county_code != county:
                skipped += 1
                continue
            unit, problems = _parse_unit(table, line, row, county_code)
            if not re.fullmatch(r"[A-Z]{1,2}", county_code):
                problems.append(_("codul județului „%(value)s” nu este valid (ex. IS, B)") % {"value": county_code})
            if unit.code in first_line and unit.code:
                problems.append(
                    _("codul SIIIR „%(code)s” apare de mai multe ori în fișier (prima dată pe linia %(first)d)")
                    % {"code": unit.code, "first": first_line[unit.code]}
                )
            first_line.setdefault(unit.code, line)
            errors.extend(RowError(line, problem) for problem in problems)
            if not problems:
                units.append(unit)
    return units, errors, skipped


def _schools_existing(codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    existing: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(codes):
        rows = School.objects.filter(siiir_code__in=chunk).values(
            "id", "siiir_code", *SCHOOL_FIELDS, "locality__siruta", "parent__siiir_code"
        )
        for values in rows:
            existing[values["siiir_code"]] = values
    return existing


def _check_counties(units: list[_UnitRow], existing: dict[str, dict[str, Any]]) -> list[RowError]:
    """A unit never changes county through an import: its children's records, roles and programmes are the
    county's, and a coordinator of one county would otherwise take another county's school with a file."""
    errors = []
    for unit in units:
        current = existing.get(unit.code)
        if current is not None and current["county_code"] != unit.values["county_code"]:
            errors.append(
                RowError(
                    unit.line,
                    _(
                        "unitatea cu codul SIIIR %(code)s este în rețeaua județului %(current)s; un import nu o poate "
                        "trece în județul %(county)s"
                    )
                    % {"code": unit.code, "current": current["county_code"], "county": unit.values["county_code"]},
                )
            )
    return errors


def _school_ids(codes: Iterable[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(set(codes))):
        ids.update(School.objects.filter(siiir_code__in=chunk).values_list("siiir_code", "id"))
    return ids


def _check_parents(units: list[_UnitRow]) -> list[RowError]:
    """Every AR must point at a PJ of the file or, failing that, of the database."""
    kinds_in_file = {unit.code: unit.values["kind"] for unit in units}
    outside = sorted({u.parent_code for u in units if u.parent_code and u.parent_code not in kinds_in_file})
    pj_in_database: set[str] = set()
    for chunk in _chunks(outside):
        pj_in_database.update(
            School.objects.filter(siiir_code__in=chunk, kind=School.Kind.PJ).values_list("siiir_code", flat=True)
        )
    errors: list[RowError] = []
    for unit in units:
        parent = unit.parent_code
        if parent is None:
            continue
        if kinds_in_file.get(parent) == School.Kind.AR:
            message = _("PJ-ul „%(code)s” este în fișier o structură arondată, nu un PJ") % {"code": parent}
            errors.append(RowError(unit.line, message))
        elif parent not in kinds_in_file and parent not in pj_in_database:
            errors.append(
                RowError(
                    unit.line,
                    _("PJ-ul „%(code)s” al structurii arondate nu este nici în fișier, nici în baza de date")
                    % {"code": parent},
                )
            )
    return errors


def _new_localities(units: list[_UnitRow], known: set[str]) -> tuple[list[Locality], list[RowError]]:
    """Minimal villages for the SIRUTA codes not in the database, from the first row that names each."""
    created: dict[str, Locality] = {}
    errors: list[RowError] = []
    for unit in units:
        if unit.siruta in known or unit.siruta in created:
            continue
        if not unit.locality_name:
            errors.append(
                RowError(
                    unit.line,
                    _("localitatea unității lipsește („%(field)s”) și codul SIRUTA „%(code)s” nu este în baza de date")
                    % {"field": COL_LOCALITY, "code": unit.siruta},
                )
            )
            continue
        created[unit.siruta] = Locality(
            siruta=unit.siruta,
            name=unit.locality_name[: _max_length(Locality, "name")],
            level=Locality.Level.VILLAGE,
            county_code=unit.values["county_code"],
            environment=unit.values["environment"],
        )
    return list(created.values()), errors


def school_network_import(
    *,
    path: Path,
    county: str | None = None,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update the schools of a Ministry "Export complet rețea școlară" file (CSV or XLSX).

    `county` ("IS") keeps only the rows whose legal entity is in that county. All-or-nothing: raises
    `NetworkImportError`, having written nothing, when any kept row is wrong. Idempotent: unchanged schools are
    not written. `dry_run` checks the file and counts what would change without writing. `progress(done, total)`
    is called every 1,000 rows read (`total` is an estimate taken from the file) and once at the end.
    """
    if county is not None:
        county = county.strip().upper()
        if not re.fullmatch(r"[A-Z]{1,2}", county):
            raise NetworkImportError(
                [RowError(0, _("Codul județului „%(code)s” nu este valid (ex. IS, B).") % {"code": county})]
            )
    units, errors, skipped = _read_units(path, county, progress)
    existing = _schools_existing(sorted(unit.code for unit in units))
    errors.extend(_check_parents(units))
    errors.extend(_check_counties(units, existing))
    locality_ids = _locality_ids(unit.siruta for unit in units)
    new_localities, locality_errors = _new_localities(units, set(locality_ids))
    errors.extend(locality_errors)
    if errors:
        raise NetworkImportError(errors)

    report = ImportReport(
        rows=len(units), skipped=skipped, county=county or "", dry_run=dry_run, localities_created=len(new_localities)
    )
    new_units: list[_UnitRow] = []
    changed_units: list[_UnitRow] = []
    for unit in units:
        current = existing.get(unit.code)
        if current is None:
            new_units.append(unit)
        elif any(current[key] != value for key, value in unit.wanted().items()):
            changed_units.append(unit)
    report.created, report.updated = len(new_units), len(changed_units)
    report.unchanged = len(units) - report.created - report.updated
    if dry_run:
        return report

    with transaction.atomic():
        if new_localities:
            Locality.objects.bulk_create(new_localities, batch_size=BATCH_SIZE)
            locality_ids.update(_locality_ids(locality.siruta for locality in new_localities))
        # PJs first, so that ARs (which may come before their PJ in the file) can point at them.
        for pj in (True, False):
            parent_ids = {} if pj else _school_ids(u.parent_code for u in units if u.parent_code)
            School.objects.bulk_create(
                [
                    School(
                        siiir_code=u.code,
                        locality_id=locality_ids[u.siruta],
                        parent_id=parent_ids.get(u.parent_code or ""),
                        **u.values,
                    )
                    for u in new_units
                    if u.is_pj == pj
                ],
                batch_size=BATCH_SIZE,
            )
            School.objects.bulk_update(
                [
                    School(
                        id=existing[u.code]["id"],
                        siiir_code=u.code,
                        locality_id=locality_ids[u.siruta],
                        parent_id=parent_ids.get(u.parent_code or ""),
                        **u.values,
                    )
                    for u in changed_units
                    if u.is_pj == pj
                ],
                fields=[*SCHOOL_FIELDS, "locality", "parent"],
                batch_size=BATCH_SIZE,
            )
        audit_record(
            actor=actor, action="school_network.import", target_type="schools.school", details=report.as_details()
        )
    return report


def registry_load_iasi(*, actor: User | None = None, progress: Progress | None = None) -> dict[str, ImportReport]:
    """Load the shipped Iași localities, then the shipped Iași school network. Idempotent."""
    return {
        "localities": localities_import(path=IASI_LOCALITIES_FILE, county_code="IS", actor=actor, progress=progress),
        "schools": school_network_import(path=IASI_SCHOOL_NETWORK_FILE, county="IS", actor=actor, progress=progress),
    }
