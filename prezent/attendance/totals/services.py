"""Importing a previous year's absence totals per pupil, so a county that starts mid-way has a baseline and a history.

The file (XLSX or CSV, read by `prezent/core/spreadsheets.py`) has one row per pupil and period. Columns, found by
name in any order (case, diacritics and punctuation do not matter):
- the pupil: "CNP", or "Nume" + "Prenume" + "Data nașterii" when the row has no CNP; matched among the children
  enrolled in a school of the year's county (for a school coordinator, of their schools) at some time since the
  year started. A pupil not found refuses the line.
- "Cod SIIIR unitate" (optional): when filled, the pupil must have been enrolled at that unit.
- the period: "Luna" (a month name "septembrie", "sept.", a number 1–12 or a date; a month inside the year) or
  "Modul" (1–5, one the year has). A file holds one kind.
- "Absențe motivate", "Absențe nemotivate": whole hours from 0 up (a blank cell is 0); "Total" (optional) is
  checked against their sum; "Ore programate" (optional) is kept and must not be below the absences.

All rows or none: if any line is wrong nothing is written and `AbsenceTotalsImportError` lists each bad line with
its number as a person sees it and the reason (unknown pupil, period outside the year, hours negative or not a
whole number, the same pupil and period twice, …). A second run of the same file changes nothing; a corrected file
updates the totals that differ. Totals of pupils or periods not in the file stay. A file by months replaces the
same pupils' totals by modules for the year (and the other way round), so a period is never counted twice.

The file is read as a stream, pupils and stored totals in one query each, writes in bulk; one audit event per
import with ids and counts only.
"""

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.attendance.models import AbsenceTotal
from prezent.attendance.totals.periods import CellError, birth_date_of, hours_of, module_of, month_of
from prezent.attendance.totals.selectors import Pupil, pupils_for_import, totals_stored
from prezent.core.bulk import rows_insert
from prezent.core.services import audit_record
from prezent.core.spreadsheets import (
    RowError,
    Sheet,
    SpreadsheetError,
    cell_text,
    code_text,
    header_key,
    sheet_open,
    upload_read,
)
from prezent.core.text import fold
from prezent.schools.models import Module, SchoolYear

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DATA_ROWS = 250_000
MAX_ERRORS = 500
HEADER_SEARCH_ROWS = 30
MONTH, MODULE = "month", "module"

_CNP = {"cnp", "c n p", "cod numeric personal"}
_LAST_NAME = {"nume", "numele", "nume de familie"}
_FIRST_NAME = {"prenume", "prenumele"}
_BIRTH = {"data nasterii", "data de nastere", "nascut la", "data nasterii elevului"}
_SIIIR = {"cod siiir unitate", "cod siiir", "siiir", "cod unitate"}
_MONTH = {"luna", "luna anului"}
_MODULE = {"modul", "modulul"}
_EXCUSED = {"absente motivate", "motivate", "abs motivate", "ore motivate", "nr absente motivate"}
_UNEXCUSED = {"absente nemotivate", "nemotivate", "abs nemotivate", "ore nemotivate", "nr absente nemotivate"}
_TOTAL = {"total", "total absente", "absente total", "total ore absente"}
_SCHEDULED = {"ore programate", "ore planificate", "total ore programate"}
_ROLES = {
    **dict.fromkeys(_CNP, "cnp"),
    **dict.fromkeys(_LAST_NAME, "last_name"),
    **dict.fromkeys(_FIRST_NAME, "first_name"),
    **dict.fromkeys(_BIRTH, "birth"),
    **dict.fromkeys(_SIIIR, "siiir"),
    **dict.fromkeys(_MONTH, "month"),
    **dict.fromkeys(_MODULE, "module"),
    **dict.fromkeys(_EXCUSED, "excused"),
    **dict.fromkeys(_UNEXCUSED, "unexcused"),
    **dict.fromkeys(_TOTAL, "total"),
    **dict.fromkeys(_SCHEDULED, "scheduled"),
}


class AbsenceTotalsImportError(SpreadsheetError):
    """The file was refused and nothing was written; `errors` holds every bad line, in file order."""


@dataclass(frozen=True)
class TotalRow:
    """One checked line: a pupil's hours in a month (its first day) or a module."""

    child_id: int
    month: datetime.date | None
    module: int | None
    excused: int
    unexcused: int
    scheduled: int | None


@dataclass
class TotalsPlan:
    """What a file would write into a school year, checked and matched, before anything is written."""

    school_year_id: int
    kind: str
    source: str
    rows: list[TotalRow] = field(default_factory=list)

    def to_session(self) -> dict[str, Any]:
        """Plain JSON for the session between the preview and the confirmation (ids and numbers, no names)."""
        return {
            "school_year_id": self.school_year_id,
            "kind": self.kind,
            "source": self.source,
            "rows": [
                [r.child_id, r.month.isoformat() if r.month else None, r.module, r.excused, r.unexcused, r.scheduled]
                for r in self.rows
            ],
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> "TotalsPlan":
        rows = [
            TotalRow(c, datetime.date.fromisoformat(m) if m else None, mod, e, u, s)
            for c, m, mod, e, u, s in data["rows"]
        ]
        return cls(school_year_id=data["school_year_id"], kind=data["kind"], source=data["source"], rows=rows)


@dataclass(frozen=True)
class TotalsReport:
    """Lines in the file, pupils among them, and the totals new, changed, unchanged and replaced (of the other
    period kind)."""

    rows: int
    pupils: int
    created: int
    updated: int
    unchanged: int
    replaced: int
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.replaced


# Reading ---------------------------------------------------------------------------------------------------------


def _file_error(message: str) -> AbsenceTotalsImportError:
    return AbsenceTotalsImportError([RowError(0, message)])


def _read_upload(file: IO[bytes] | Path, filename: str) -> bytes:
    try:
        return upload_read(
            file, filename, max_bytes=MAX_UPLOAD_BYTES, too_big=_("Fișierul are peste 20 MB: împărțiți-l pe școli.")
        )
    except SpreadsheetError as exc:
        raise AbsenceTotalsImportError(exc.errors) from None


def _header(sheet: Sheet) -> tuple[dict[str, int], list[RowError]]:
    columns: dict[str, int] = {}
    for index, text in enumerate(sheet.header):
        role = _ROLES.get(header_key(text))
        if role and role not in columns:
            columns[role] = index
    line = sheet.header_line
    errors = []
    for role, label in (("excused", _("Absențe motivate")), ("unexcused", _("Absențe nemotivate"))):
        if role not in columns:
            errors.append(RowError(line, _("antetul nu are coloana „%(column)s”") % {"column": label}))
    if "month" in columns and "module" in columns:
        errors.append(
            RowError(line, _("antetul are și „Luna”, și „Modul”: un fișier are totaluri fie pe luni, fie pe module"))
        )
    elif "month" not in columns and "module" not in columns:
        errors.append(RowError(line, _("antetul trebuie să aibă coloana „Luna” sau coloana „Modul”")))
    if "cnp" not in columns and not {"last_name", "first_name", "birth"} <= columns.keys():
        errors.append(
            RowError(
                line, _("antetul trebuie să aibă coloana „CNP” sau coloanele „Nume”, „Prenume” și „Data nașterii”")
            )
        )
    return columns, errors


class _Pupils:
    """The pupils an import may name, found by CNP or by name and birth date."""

    def __init__(self, pupils: Sequence[Pupil]) -> None:
        self.by_pk = {p.pk: p for p in pupils}
        self.by_cnp = {p.cnp: p.pk for p in pupils if p.cnp}
        self.by_name: dict[tuple[str, datetime.date], set[int]] = {}
        for p in pupils:
            for name in (f"{p.last_name} {p.first_name}", f"{p.first_name} {p.last_name}"):
                self.by_name.setdefault((_name_key(name), p.birth_date), set()).add(p.pk)

    def find(self, *, cnp: str, last: str, first: str, birth: Any) -> tuple[int | None, str]:
        if cnp:
            found = self.by_cnp.get(cnp)
            if found is None:
                return None, _("niciun elev al județului (din școlile dvs.) nu are CNP-ul din acest rând")
            return found, ""
        if not (last or first):
            return None, _("rândul nu are nici CNP, nici numele elevului")
        try:
            born = birth_date_of(birth)
        except CellError as exc:
            return None, str(exc)
        matches = self.by_name.get((_name_key(f"{last} {first}"), born), set())
        if not matches:
            return None, _(
                "elevul nu a fost găsit după nume, prenume și data nașterii printre elevii județului (din școlile dvs.)"
            )
        if len(matches) > 1:
            return None, _("numele și data nașterii se potrivesc cu %(n)d elevi: adăugați CNP-ul") % {"n": len(matches)}
        return next(iter(matches)), ""


def _name_key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())


def _read_rows(sheet: Sheet, *, school_year: SchoolYear, pupils: _Pupils, source: str) -> tuple[TotalsPlan, int]:
    columns, errors = _header(sheet)
    if errors:
        raise AbsenceTotalsImportError(errors)
    kind = MONTH if "month" in columns else MODULE
    modules = frozenset(Module.objects.filter(school_year=school_year).values_list("number", flat=True))
    plan = TotalsPlan(school_year_id=school_year.pk, kind=kind, source=source)
    first_line: dict[tuple[int, datetime.date | int], int] = {}
    count = 0

    def cell(row: Sequence[Any], role: str) -> Any:
        return Sheet.cell(row, columns.get(role))

    labels = {role: sheet.header[index] for role, index in columns.items()}
    for line, row in sheet.data_rows():
        count += 1
        if count > MAX_DATA_ROWS:
            errors.append(RowError(line, _("fișierul are peste %(n)d rânduri") % {"n": MAX_DATA_ROWS}))
            break
        if len(errors) >= MAX_ERRORS:
            errors.append(RowError(line, _("citirea s-a oprit după %(n)d probleme") % {"n": MAX_ERRORS}))
            break
        problems: list[str] = []
        child_id, problem = pupils.find(
            cnp=code_text(cell(row, "cnp")),
            last=cell_text(cell(row, "last_name")),
            first=cell_text(cell(row, "first_name")),
            birth=cell(row, "birth"),
        )
        if problem:
            problems.append(problem)
        siiir = code_text(cell(row, "siiir"), width=10)
        if child_id is not None and siiir and siiir not in pupils.by_pk[child_id].siiir_codes:
            problems.append(_("elevul nu a fost înscris la unitatea cu codul SIIIR %(code)s") % {"code": siiir})
        month: datetime.date | None = None
        module: int | None = None
        try:
            if kind == MONTH:
                month = month_of(cell(row, "month"), start=school_year.start, end=school_year.end)
            else:
                module = module_of(cell(row, "module"), numbers=modules)
        except CellError as exc:
            problems.append(str(exc))
        hours: dict[str, int | None] = {}
        for role in ("excused", "unexcused", "total", "scheduled"):
            if role not in columns:
                hours[role] = None
                continue
            try:
                hours[role] = hours_of(cell(row, role), label=labels[role])
            except CellError as exc:
                problems.append(str(exc))
                hours[role] = None
        excused, unexcused = hours["excused"] or 0, hours["unexcused"] or 0
        if hours["total"] is not None and hours["total"] != excused + unexcused:
            problems.append(
                _("„%(column)s” (%(total)d) nu este suma absențelor motivate și nemotivate (%(sum)d)")
                % {"column": labels["total"], "total": hours["total"], "sum": excused + unexcused}
            )
        if hours["scheduled"] is not None and excused + unexcused > hours["scheduled"]:
            problems.append(_("absențele depășesc orele programate (%(n)d)") % {"n": hours["scheduled"]})
        period = month if month is not None else module
        if child_id is not None and period is not None:
            key = (child_id, period)
            if key in first_line:
                problems.append(
                    _("același elev și aceeași perioadă apar deja pe linia %(first)d") % {"first": first_line[key]}
                )
            else:
                first_line[key] = line
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        assert child_id is not None
        plan.rows.append(TotalRow(child_id, month, module, excused, unexcused, hours["scheduled"]))
    if not errors and not plan.rows:
        errors.append(RowError(0, _("Fișierul nu are niciun rând cu elevi sub antet.")))
    if errors:
        raise AbsenceTotalsImportError(errors)
    return plan, count


def absence_totals_read(
    *,
    file: IO[bytes] | Path,
    school_year: SchoolYear,
    school_ids: frozenset[int] | None = None,
    filename: str = "",
) -> TotalsPlan:
    """Read and check a file against the year and the pupils it may name, writing nothing (see the module doc).
    Raises `AbsenceTotalsImportError` with every bad line."""
    data = _read_upload(file, filename)
    source = (filename or getattr(file, "name", "") or "")[-200:]
    source = str(source).replace("\\", "/").rsplit("/", 1)[-1]
    pupils = _Pupils(pupils_for_import(school_year=school_year, school_ids=school_ids))
    try:
        with sheet_open(
            data,
            header_names=_EXCUSED | _UNEXCUSED,
            header_label=_("„Absențe motivate”"),
            search_rows=HEADER_SEARCH_ROWS,
            max_unpacked_bytes=MAX_UNPACKED_BYTES,
        ) as sheet:
            plan, _count = _read_rows(sheet, school_year=school_year, pupils=pupils, source=source)
    except AbsenceTotalsImportError:
        raise
    except SpreadsheetError as refused:
        raise AbsenceTotalsImportError(refused.errors) from refused
    return plan


# Comparing and writing -------------------------------------------------------------------------------------------


@dataclass
class _Changes:
    created: list[TotalRow] = field(default_factory=list)
    updated: list[tuple[int, TotalRow]] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    unchanged: int = 0


def _changes(plan: TotalsPlan, school_year: SchoolYear) -> _Changes:
    stored = totals_stored(school_year=school_year)
    changes = _Changes()
    children = {row.child_id for row in plan.rows}
    for row in plan.rows:
        current = stored.get((row.child_id, row.month, row.module))
        if current is None:
            changes.created.append(row)
        elif current[1:] != (row.excused, row.unexcused, row.scheduled):
            changes.updated.append((current[0], row))
        else:
            changes.unchanged += 1
    other_kind = MODULE if plan.kind == MONTH else MONTH
    for (child_id, month, module), current in stored.items():
        if child_id in children and (month if other_kind == MONTH else module) is not None:
            changes.replaced.append(current[0])
    return changes


def _report(plan: TotalsPlan, changes: _Changes, *, dry_run: bool) -> TotalsReport:
    return TotalsReport(
        rows=len(plan.rows),
        pupils=len({row.child_id for row in plan.rows}),
        created=len(changes.created),
        updated=len(changes.updated),
        unchanged=changes.unchanged,
        replaced=len(changes.replaced),
        dry_run=dry_run,
    )


def absence_totals_compare(*, plan: TotalsPlan, school_year: SchoolYear) -> TotalsReport:
    """What saving the plan would do (the preview): counts only, nothing written. One query."""
    return _report(plan, _changes(plan, school_year), dry_run=True)


def _chunks(items: Sequence[Any], size: int = 900) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@transaction.atomic
def absence_totals_save(
    *, plan: TotalsPlan, school_year: SchoolYear, actor: User | None, school_ids: frozenset[int] | None = None
) -> TotalsReport:
    """Write a checked plan: new totals inserted in bulk, changed ones updated, the other period kind of the same
    pupils removed; one audit event with the counts. The pupils are checked again against who may be named (the
    plan may have waited in the session)."""
    if plan.school_year_id != school_year.pk:
        raise _file_error(_("Fișierul a fost verificat pentru alt an școlar: încărcați-l din nou."))
    allowed = {p.pk for p in pupils_for_import(school_year=school_year, school_ids=school_ids)}
    if any(row.child_id not in allowed for row in plan.rows):
        raise _file_error(_("Unii elevi din fișier nu mai sunt printre elevii pe care îi puteți importa."))
    SchoolYear.objects.select_for_update().filter(pk=school_year.pk).first()  # one import per year at a time
    changes = _changes(plan, school_year)
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    for chunk in _chunks(changes.replaced):
        AbsenceTotal.objects.filter(pk__in=chunk).delete()
    rows_insert(
        AbsenceTotal,
        [
            "child_id",
            "school_year_id",
            "month",
            "module",
            "excused_hours",
            "unexcused_hours",
            "scheduled_hours",
            "source",
            "imported_by_id",
            "imported_at",
        ],
        (
            (
                r.child_id,
                school_year.pk,
                r.month,
                r.module,
                r.excused,
                r.unexcused,
                r.scheduled,
                plan.source,
                actor_id,
                now,
            )
            for r in changes.created
        ),
    )
    AbsenceTotal.objects.bulk_update(
        [
            AbsenceTotal(
                pk=pk,
                excused_hours=r.excused,
                unexcused_hours=r.unexcused,
                scheduled_hours=r.scheduled,
                source=plan.source,
                imported_by_id=actor_id,
                imported_at=now,
            )
            for pk, r in changes.updated
        ],
        ["excused_hours", "unexcused_hours", "scheduled_hours", "source", "imported_by", "imported_at"],
        batch_size=500,
    )
    report = _report(plan, changes, dry_run=False)
    details = {k: v for k, v in asdict(report).items() if k != "dry_run"}
    audit_record(
        actor=actor,
        action="absence_totals.import",
        target=school_year,
        details={"kind": plan.kind, "schools": sorted(school_ids) if school_ids is not None else "county", **details},
    )
    return report


def absence_totals_import(
    *,
    file: IO[bytes] | Path,
    school_year: SchoolYear,
    actor: User | None,
    school_ids: frozenset[int] | None = None,
    filename: str = "",
    dry_run: bool = False,
) -> TotalsReport:
    """Read, check and (unless `dry_run`) write a file in one go — the management command's path."""
    plan = absence_totals_read(file=file, school_year=school_year, school_ids=school_ids, filename=filename)
    if dry_run:
        return absence_totals_compare(plan=plan, school_year=school_year)
    return absence_totals_save(plan=plan, school_year=school_year, actor=actor, school_ids=school_ids)
