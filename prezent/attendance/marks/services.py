"""Writes of module averages: the teacher's grid for a class and module, and the spreadsheet import.

Grid: `module_results_save`
    One save for the whole grid. `grid` maps (child id, subject) to an average, or to None for "no average"
    (an average saved before is then removed). Cells not in `grid` are left alone. Everything is checked first;
    a wrong cell refuses the whole save.

Import: `module_results_import`
    A spreadsheet with one row per pupil, as the downloadable template has it, XLSX or CSV, at most 2 MB:
    - the header row is the first row, in the first 20, with a "Nume" or "Elev" cell. It has "Nume" and
      "Prenume" (or a single "Elev", with the name in either order), optionally "CNP", then one column per
      subject (matched with the grid's subjects ignoring case and diacritics; another name adds that subject).
      "Nr. crt." and "Media generală" columns are ignored.
    - a pupil is found among the children enrolled in the class during the module: by CNP when the row has one,
      else by name, ignoring case, diacritics, hyphens and extra spaces.
    - a blank cell leaves that average as it is; an import never removes averages.
    - read by the shared reader (`prezent/core/spreadsheets.py`): CSV in UTF-8 (with or without a byte-order
      mark) or Windows-1250, separated by `,`, `;` or tabs; an XLSX that unpacks to over 40 MB is refused.
    All-or-nothing, as every import: if any row is wrong nothing is written and `ResultsImportError` lists each
    bad row as "linia N: motiv" (the line a person sees in the spreadsheet, header included). The file is read
    from memory and never stored.

Both write in bulk (a few queries whatever the class size) inside one transaction, and record one audit event
with the class, the module and the counts, never a name.
"""

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from prezent.accounts.models import User
from prezent.attendance.marks.selectors import (
    pupils_in_module,
    results_for_class_module,
    subjects_for_class,
)
from prezent.attendance.marks.values import (
    MAX_AVERAGE,
    MAX_SUBJECTS,
    MIN_AVERAGE,
    AverageError,
    Mark,
    canonical_subject,
    clean_subject,
    parse_mark,
    uses_qualifiers,
)
from prezent.attendance.models import ModuleResult, Qualifier
from prezent.attendance.services import closed_register_check
from prezent.children.models import Child
from prezent.core.services import audit_record
from prezent.core.spreadsheets import (
    RowError,
    Sheet,
    SpreadsheetError,
    cell_safe,
    cell_text,
    code_text,
    header_key,
    sheet_open,
    upload_read,
)
from prezent.core.text import fold
from prezent.schools.models import ClassGroup, Module

Grid = dict[tuple[int, str], Mark | None]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A spreadsheet unpacks to many times its size; refuse what could not be a class's averages.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_DATA_ROWS = 300
HEADER_SEARCH_ROWS = 20

# The template's headers follow the user's language, so the English ones are read too.
_LAST_NAME = {"nume", "numele", "nume de familie", "last name", "surname", "family name"}
_FIRST_NAME = {"prenume", "prenumele", "first name", "given name"}
_FULL_NAME = {
    "elev",
    "elevul",
    "nume elev",
    "numele elevului",
    "nume si prenume",
    "numele si prenumele",
    "nume prenume",
    "nume si prenume elev",
    "pupil",
    "student",
    "name",
    "full name",
}
_CNP = {"cnp"}
_IGNORED = {"nr", "nr crt", "nrcrt", "numar curent", "numar", "crt", "media generala", "medie generala"}
_HEADER_ROLES = {
    **dict.fromkeys(_LAST_NAME, "last_name"),
    **dict.fromkeys(_FIRST_NAME, "first_name"),
    **dict.fromkeys(_FULL_NAME, "full_name"),
    **dict.fromkeys(_CNP, "cnp"),
}


@dataclass(frozen=True)
class ResultsSaved:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass(frozen=True)
class ResultsImportReport:
    """What an import wrote: `rows` pupils, `subjects` columns, and the averages created, changed or equal."""

    rows: int
    subjects: int
    created: int
    updated: int
    unchanged: int


class ResultsImportError(SpreadsheetError):
    """The file was refused and nothing was written; `errors` holds every bad row, in file order."""


# Writing ------------------------------------------------------------------------------------------------------


def _module(class_group: ClassGroup, module: int) -> Module:
    found = Module.objects.filter(school_year_id=class_group.school_year_id, number=module).first()
    if found is None:
        raise ValidationError(_("Anul școlar al clasei nu are modulul %(n)s.") % {"n": module})
    return found


def _write(*, class_group: ClassGroup, module: int, grid: Grid, actor: User | None) -> ResultsSaved:
    """Create, change and remove averages to match `grid`: three bulk statements at most."""
    ClassGroup.objects.select_for_update().filter(pk=class_group.pk).first()  # one writer per class at a time
    child_ids = sorted({child_id for child_id, _subject in grid})
    subjects = sorted({subject for _child, subject in grid})
    existing = {
        (r.child_id, r.subject): r
        for r in ModuleResult.objects.filter(
            class_group=class_group, module=module, child_id__in=child_ids, subject__in=subjects
        ).order_by()
    }
    now = timezone.now()
    created: list[ModuleResult] = []
    updated: list[ModuleResult] = []
    deleted: list[int] = []
    unchanged = 0
    for (child_id, subject), mark in grid.items():
        current = existing.get((child_id, subject))
        average, qualifier = (None, mark) if isinstance(mark, str) else (mark, "")
        if mark is None:
            if current is not None:
                deleted.append(current.pk)
        elif current is None:
            created.append(
                ModuleResult(
                    child_id=child_id,
                    class_group=class_group,
                    module=module,
                    subject=subject,
                    average=average,
                    qualifier=qualifier,
                    recorded_by=actor,
                )
            )
        elif current.mark != mark:
            current.average, current.qualifier = average, qualifier
            current.recorded_by, current.recorded_at = actor, now
            updated.append(current)
        else:
            unchanged += 1
    if deleted:
        ModuleResult.objects.filter(pk__in=deleted).delete()
    ModuleResult.objects.bulk_create(created, batch_size=500)
    ModuleResult.objects.bulk_update(updated, ["average", "qualifier", "recorded_by", "recorded_at"], batch_size=500)
    return ResultsSaved(created=len(created), updated=len(updated), deleted=len(deleted), unchanged=unchanged)


def _check_grid(*, class_group: ClassGroup, module: int, grid: Grid) -> Grid:
    """The grid with subjects tidied, or ValidationError: a pupil not in the class during the module, an
    average outside 1–10 or with more than two decimals, a subject without a name or too long."""
    period = _module(class_group, module)
    enrolled = {child.pk for child in pupils_in_module(class_group=class_group, module=period)}
    if {child_id for child_id, _subject in grid} - enrolled:
        raise ValidationError(_("Unii elevi nu sunt înscriși în această clasă în modulul %(n)s.") % {"n": module})
    qualitative = uses_qualifiers(class_group.grade)
    checked: Grid = {}
    for (child_id, subject), mark in grid.items():
        try:
            name = clean_subject(subject)
        except AverageError as exc:
            raise ValidationError(str(exc)) from exc
        if mark is not None and qualitative and mark not in Qualifier.values:
            raise ValidationError(_("În clasele primare se scriu calificative: FB, B, S sau I."))
        if (
            mark is not None
            and not qualitative
            and (
                not isinstance(mark, Decimal)
                or not MIN_AVERAGE <= mark <= MAX_AVERAGE
                or mark != mark.quantize(Decimal("0.01"))
            )
        ):
            raise ValidationError(_("O medie este un număr între 1 și 10, cu cel mult două zecimale."))
        checked[(child_id, name)] = mark
    if len({fold(subject) for _child, subject in checked}) > MAX_SUBJECTS:
        raise ValidationError(_("Cel mult %(n)d discipline.") % {"n": MAX_SUBJECTS})
    return checked


@transaction.atomic
def module_results_save(
    *, class_group: ClassGroup, module: int, grid: Grid, actor: User | None, change_reason: str = ""
) -> ResultsSaved:
    """Save the class's averages for the module from the teacher's grid, all or nothing (see the module doc).
    A closed year's averages take only the school coordinator's change, with `change_reason`."""
    reason = closed_register_check(class_group=class_group, actor=actor, change_reason=change_reason)
    checked = _check_grid(class_group=class_group, module=module, grid=grid)
    saved = _write(class_group=class_group, module=module, grid=checked, actor=actor)
    details: dict[str, Any] = {"module": module, **asdict(saved)}
    if reason:
        details["closed_year_reason"] = reason
    audit_record(actor=actor, action="module_results.save", target=class_group, details=details)
    return saved


# Reading a spreadsheet ------------------------------------------------------------------------------------------


def _file_error(message: str) -> ResultsImportError:
    return ResultsImportError([RowError(0, message)])


def _read_upload(file: IO[bytes] | Path, filename: str) -> bytes:
    try:
        return upload_read(
            file,
            filename,
            max_bytes=MAX_UPLOAD_BYTES,
            too_big=_("Fișierul are peste 2 MB: pentru mediile unei clase ajunge un fișier mult mai mic."),
        )
    except SpreadsheetError as exc:
        raise ResultsImportError(exc.errors) from None


@dataclass
class _Header:
    line: int
    last_name: int | None = None
    first_name: int | None = None
    full_name: int | None = None
    cnp: int | None = None
    subjects: list[tuple[int, str]] | None = None


def _read_header(line: int, row: Sequence[Any], known: Sequence[str]) -> tuple[_Header, list[RowError]]:
    header = _Header(line=line, subjects=[])
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    assert header.subjects is not None
    for index, value in enumerate(row):
        text, key = cell_text(value), header_key(cell_text(value))
        if not key or key in _IGNORED:
            continue
        role = _HEADER_ROLES.get(key, "")
        if role:
            if getattr(header, role) is None:
                setattr(header, role, index)
            continue
        try:
            subject = canonical_subject(clean_subject(text), known)
        except AverageError as exc:
            errors.append(RowError(line, _("coloana „%(column)s”: %(reason)s") % {"column": text, "reason": exc}))
            continue
        if fold(subject) in seen:
            errors.append(
                RowError(line, _("disciplina „%(subject)s” are două coloane în antet") % {"subject": subject})
            )
            continue
        seen[fold(subject)] = subject
        header.subjects.append((index, subject))
    if header.full_name is None and (header.last_name is None or header.first_name is None):
        errors.append(RowError(line, _("antetul trebuie să aibă coloanele „Nume” și „Prenume” (sau o coloană „Elev”)")))
    if not header.subjects and not errors:
        errors.append(RowError(line, _("antetul nu are nicio coloană de disciplină (de exemplu „Matematică”)")))
    if len(header.subjects) > MAX_SUBJECTS:
        errors.append(RowError(line, _("antetul are peste %(n)d discipline") % {"n": MAX_SUBJECTS}))
    return header, errors


class _Pupils:
    """The class's pupils during the module, found by CNP or by name."""

    def __init__(self, children: Sequence[Child]) -> None:
        self.by_cnp = {child.cnp: child.pk for child in children if child.cnp}
        self.by_name: dict[str, set[int]] = {}
        for child in children:
            for name in (f"{child.last_name} {child.first_name}", f"{child.first_name} {child.last_name}"):
                self.by_name.setdefault(fold(name), set()).add(child.pk)

    def find(self, *, cnp: str, name: str, module: int) -> tuple[int | None, str]:
        """(child id, "") or (None, the reason in Romanian)."""
        if cnp:
            found = self.by_cnp.get(cnp)
            if found is None:
                return None, _("niciun elev al clasei din modulul %(n)d nu are CNP-ul din acest rând") % {"n": module}
            return found, ""
        if not fold(name):
            return None, _("rândul nu are numele elevului")
        matches = self.by_name.get(fold(name), set())
        if not matches:
            return None, _("elevul „%(name)s” nu este în clasă în modulul %(n)d") % {"name": name, "n": module}
        if len(matches) > 1:
            return None, _("numele „%(name)s” se potrivește cu %(count)d elevi ai clasei: adăugați coloana CNP") % {
                "name": name,
                "count": len(matches),
            }
        return next(iter(matches)), ""


def _read_grid(
    sheet: Sheet,
    *,
    pupils: _Pupils,
    known: Sequence[str],
    module: int,
    qualitative: bool = False,
) -> tuple[Grid, int, int]:
    """(grid of the non-blank cells, pupils read, subjects in the header), or ResultsImportError."""
    header, errors = _read_header(sheet.header_line, sheet.header, known)
    if errors:
        raise ResultsImportError(errors)
    assert header.subjects is not None
    grid: Grid = {}
    first_line: dict[int, int] = {}
    count = 0
    for line, row in sheet.data_rows():
        count += 1
        if count > MAX_DATA_ROWS:
            errors.append(
                RowError(
                    line, _("fișierul are peste %(n)d rânduri cu elevi; o clasă are mai puțini") % {"n": MAX_DATA_ROWS}
                )
            )
            break
        if header.full_name is not None and header.last_name is None:
            name = cell_text(Sheet.cell(row, header.full_name))
        else:
            last, first = Sheet.cell(row, header.last_name), Sheet.cell(row, header.first_name)
            name = f"{cell_text(last)} {cell_text(first)}".strip()
        child_id, problem = pupils.find(cnp=code_text(Sheet.cell(row, header.cnp)), name=name, module=module)
        if child_id is None:
            errors.append(RowError(line, problem))
        elif child_id in first_line:
            errors.append(
                RowError(
                    line,
                    _("elevul apare de mai multe ori în fișier (prima dată pe linia %(first)d)")
                    % {"first": first_line[child_id]},
                )
            )
            child_id = None
        else:
            first_line[child_id] = line
        for index, subject in header.subjects:
            try:
                mark = parse_mark(Sheet.cell(row, index), qualitative=qualitative)
            except AverageError as exc:
                errors.append(RowError(line, _("„%(subject)s”: %(reason)s") % {"subject": subject, "reason": exc}))
                continue
            if mark is not None and child_id is not None:
                grid[(child_id, subject)] = mark
    if not errors and not first_line:
        errors.append(RowError(0, _("Fișierul nu are niciun rând cu elevi sub antet.")))
    if errors:
        raise ResultsImportError(errors)
    return grid, len(first_line), len(header.subjects)


def module_results_import(
    *,
    class_group: ClassGroup,
    module: int,
    file: IO[bytes] | Path,
    actor: User | None,
    filename: str = "",
    change_reason: str = "",
) -> ResultsImportReport:
    """Import the class's averages for the module from a spreadsheet, all or nothing (see the module doc).

    `file` is an upload (read in memory) or a path; `filename` gives the name when the file object has none.
    Raises `ResultsImportError`, having written nothing, when the file or any row is wrong, or when the class's
    school year has ended and the actor is not its school coordinator giving `change_reason`.
    """
    try:
        reason = closed_register_check(class_group=class_group, actor=actor, change_reason=change_reason)
    except ValidationError as exc:
        raise _file_error(" ".join(exc.messages)) from exc
    data = _read_upload(file, filename)
    try:
        period = _module(class_group, module)
    except ValidationError as exc:
        raise _file_error(" ".join(exc.messages)) from exc
    pupils = _Pupils(pupils_in_module(class_group=class_group, module=period))
    known = subjects_for_class(class_group=class_group)
    try:
        with sheet_open(
            data,
            header_names=_LAST_NAME | _FULL_NAME,
            header_label=_("„Nume” sau „Elev”"),
            search_rows=HEADER_SEARCH_ROWS,
            max_unpacked_bytes=MAX_UNPACKED_BYTES,
        ) as sheet:
            grid, pupil_rows, subjects = _read_grid(
                sheet, pupils=pupils, known=known, module=module, qualitative=uses_qualifiers(class_group.grade)
            )
    except ResultsImportError:
        raise
    except SpreadsheetError as refused:
        raise ResultsImportError(refused.errors) from refused
    with transaction.atomic():
        saved = _write(class_group=class_group, module=module, grid=grid, actor=actor)
        report = ResultsImportReport(
            rows=pupil_rows,
            subjects=subjects,
            created=saved.created,
            updated=saved.updated,
            unchanged=saved.unchanged,
        )
        audit_record(
            actor=actor,
            action="module_results.import",
            target=class_group,
            details={"module": module, **asdict(report), **({"closed_year_reason": reason} if reason else {})},
        )
    return report


def module_results_template(
    *, class_group: ClassGroup, module: int, children: Sequence[Child], subjects: Sequence[str], actor: User
) -> bytes:
    """The spreadsheet a teacher fills in: "Nume", "Prenume", a column per subject, a row per pupil with the
    averages already saved. It holds names, so the export is recorded (counts only)."""
    existing = results_for_class_module(class_group=class_group, module=module)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Medii modulul %(n)d") % {"n": module}
    sheet.append([_("Nume"), _("Prenume"), *subjects])
    for child in children:
        row = [child.last_name, child.first_name, *(existing.get((child.pk, subject)) for subject in subjects)]
        sheet.append([cell_safe(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 22
    last_row = max(len(children) + 1, 2)
    qualitative = uses_qualifiers(class_group.grade)
    if subjects and qualitative:
        last_column = get_column_letter(len(subjects) + 2)
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(Qualifier.values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Calificativ greșit"),
            error=_("Scrieți un calificativ: FB, B, S sau I."),
        )
        choices.add(f"C2:{last_column}{last_row + 50}")
        sheet.add_data_validation(choices)
        for index in range(3, len(subjects) + 3):
            sheet.column_dimensions[get_column_letter(index)].width = 14
    elif subjects:
        last_column = get_column_letter(len(subjects) + 2)
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="1",
            formula2="10",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Medie greșită"),
            error=_("Scrieți o medie între 1 și 10."),
        )
        validation.add(f"C2:{last_column}{last_row + 50}")
        sheet.add_data_validation(validation)
        for index in range(3, len(subjects) + 3):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 14
            for row in sheet.iter_rows(min_row=2, max_row=last_row, min_col=index, max_col=index):
                for cell in row:
                    cell.number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        actor=actor,
        action="module_results.template_export",
        target=class_group,
        details={"module": module, "children": len(children), "subjects": len(subjects)},
    )
    return buffer.getvalue()
