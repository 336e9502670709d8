"""Importing pupils, classes and enrolments from a county's SIIIR export (CSV or XLSX).

The file
    One row per pupil. The columns are found by name (`FIELDS`: case, diacritics, ş/ș, punctuation and spacing do
    not matter), under any title rows; the user may change the mapping in the preview, and the mapping used is
    remembered per county (`ImportMapping`, kind "pupils") for the next upload. Needed: Nume, Prenume, the school's
    SIIIR code and the formation (class); the CNP, the birth date, the sex, the level (Nivel) and the grade
    (An de studiu) are read when there. A formation is written "a V-a B", "V B", "Clasa a V-a B", "5B" or
    "Clasa pregătitoare A"; a formation without its grade ("B") takes it from the grade column. Codes are text
    (a numeric SIIIR code gets its leading zero back); dates are spreadsheet dates or text (zz.ll.aaaa, aaaa-ll-zz).
    Grades IX–XII (high school) are outside the programme: their rows are counted as skipped and not checked.

All rows or none
    Every row is read and checked first; if any is wrong nothing is written and `PupilImportError` names each bad
    line (as a person sees it in the file) with the reason, in Romanian — never a name or a CNP: a CNP that fails
    its checksum or does not match the birth date, an unknown school code, a school of another county or outside
    the uploader's schools, the same CNP twice in the file, an impossible or future birth date, a formation that
    does not fit its grade ("V" with "a VI-a B") or a grade out of the school's level (the Nivel column, and the
    kind of unit: a kindergarten has only groups, a primary school no grade above IV). Prezent keeps a preschool
    group as "grupa" and its letter (`ClassGroup` has no field for the kind): two groups of one school with the
    same letter and different kinds ("grupa mică A", "grupa mare A") are refused, since they would become one.

Writing (idempotent by CNP)
    A pupil is found by CNP; a pupil without one (a foreign child, a child without papers) by name (folded, the
    father's initial ignored) and birth date among the county's pupils without a CNP. A second run of the same file
    changes nothing. A pupil found in another class or school is moved: the open enrolment ends the day before the
    import's date ("moved_class" / "moved_school"), or the day before the year's start when it is of an earlier
    year (then "year_end" in the same school, "moved_school" in another), and a new one starts — the history stays.
    The import's date is today, kept inside the school year. A new pupil's enrolment starts on the year's first day
    when the class had no pupils before the import (a county's first import), else on the import's date. Missing
    classes are created (level from `level_for_grade`, hours from `default_hours_per_day`). Names, sex and birth
    date are taken from the file when they changed.

Pupils without a CNP
    Prezent has no child-level flag for missing papers: the early-warning indicator "no identity papers" reads the
    household (`household__no_identity_papers`). A new pupil without a CNP therefore gets a household with
    `no_identity_papers=True` (the other circumstances of that household read as "no" until someone fills them in
    on the family page, where the flag is also cleared once papers exist). Pupils with a CNP get no household
    (their circumstances stay unknown, as the indicators expect).

Reads and writes are in bulk: the county's schools and the year's classes in one query each; the pupils of the
file's CNPs already enrolled in the file's schools (on a second run, all of them) with their current class in one
query through the classes, the other CNPs in chunks of `LOOKUP_CHUNK`, and the open enrolment in detail only for
pupils not already in their class; new classes, children and enrolments through `prezent.core.bulk.rows_insert`,
the new ids read back in one query each. The file is read as a stream; only a small tuple per pupil is kept. What
repeats down a column (formations, grades, levels, dates, school codes, sex) is checked once per distinct cell.
"""

import contextlib
import datetime
import functools
import operator
import re
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.cnp import CNP_WEIGHTS, cnp_birth_date
from prezent.children.imports.columns import FIELD_KEYS, FIELDS, HEADER_NAMES, ColumnMap
from prezent.children.models import Child, Enrolment, Household
from prezent.children.services import cnp_clean
from prezent.core.bulk import gc_paused, rows_insert
from prezent.core.models import ImportMapping
from prezent.core.services import audit_record
from prezent.core.spreadsheets import RowError, Sheet, SpreadsheetError, cell_text, code_text, header_key, sheet_open
from prezent.core.text import fold
from prezent.core.validators import CONTROL_CHARACTERS
from prezent.schools.models import ClassGroup, School, SchoolYear, default_hours_per_day, level_for_grade

KIND = "pupils"
LOOKUP_CHUNK = 2000
MAX_ERRORS = 300
SIIIR_DIGITS = 10
HEADER_SEARCH_ROWS = 30
MAX_UPLOAD_BYTES = 60 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".xlsx")
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
MIN_GRADE, MAX_GRADE = -1, 8


class PupilImportError(SpreadsheetError):
    """The file was refused and nothing was written; `errors` holds every bad line, in file order."""


def _file_error(message: str) -> PupilImportError:
    return PupilImportError([RowError(0, message)])


@dataclass
class SchoolCounts:
    rows: int = 0
    new: int = 0
    moved: int = 0


@dataclass
class PupilImportReport:
    """What an import did (or, with `dry_run`, would do). Counts and codes only."""

    county: str = ""
    year: str = ""
    rows: int = 0
    new: int = 0
    changed: int = 0
    moved: int = 0
    unchanged: int = 0
    classes_created: int = 0
    without_cnp: int = 0
    skipped_high_school: int = 0
    dry_run: bool = False
    schools: dict[str, SchoolCounts] = field(default_factory=dict)

    def as_details(self) -> dict[str, Any]:
        details = asdict(self)
        details["schools"] = len(self.schools)
        return details


class _Row(NamedTuple):
    line: int
    cnp: str
    last_name: str
    first_name: str
    birth_date: datetime.date
    sex: str
    school_id: int
    grade: int
    letter: str
    kind: str  # a preschool group's kind ("mica", "mijlocie", "mare") when the file says it, else ""


# Cells ----------------------------------------------------------------------------------------------------------

ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}
PREPARATORY = {"pregatitoare", "preg", "cp", "p", "0"}
ORDINAL_SUFFIX = re.compile(r"(?<=[IVXivx0-9])\s*[-‐–]\s*a\b")
GLUED = re.compile(r"^([0-9]{1,2})([a-z]{1,3})$")
LETTER = re.compile(r"^[a-z0-9]{1,3}$")


def _grade_token(token: str) -> int | None:
    if token in ROMAN:
        return ROMAN[token]
    if token.isdigit() and int(token) <= 12:
        return int(token)
    return None


@functools.lru_cache(maxsize=4096)
def class_parse(text: str) -> tuple[int | None, str] | None:
    """(grade or None, letter) of a formation or grade as written in SIIIR exports, or None if unreadable.

    "a V-a B", "V B", "Clasa a V-a B", "5B" → (5, "B"); "Clasa pregătitoare A" → (0, "A"); "Grupa mare B" →
    (-1, "B"); "VI" or "a VI-a" → (6, ""); "B" → (None, "B")."""
    tokens = fold(ORDINAL_SUFFIX.sub(" ", text)).replace(".", " ").replace("/", " ").split()
    if tokens and tokens[0] in {"clasa", "cls", "an", "anul"}:
        tokens = tokens[1:]
    if not tokens:
        return None
    if tokens[0] in {"grupa", "preschool", "prescolar"}:
        rest = [t for t in tokens[1:] if t not in {"mica", "mijlocie", "mare"}]
        letter = rest[-1] if rest else ""
        return (-1, letter.upper()) if not letter or LETTER.match(letter) else None
    if tokens[0] in PREPARATORY or tokens[0].startswith("pregatitoar"):
        rest = tokens[1:]
        if len(rest) > 1 or (rest and not LETTER.match(rest[0])):
            return None
        return 0, (rest[0].upper() if rest else "")
    if len(tokens) > 1 and tokens[0] == "a" and _grade_token(tokens[1]) is not None:
        tokens = tokens[1:]
    if match := GLUED.match(tokens[0]):
        tokens = [match.group(1), match.group(2), *tokens[1:]]
    grade = _grade_token(tokens[0])
    if grade is None:
        return (None, tokens[0].upper()) if len(tokens) == 1 and LETTER.match(tokens[0]) else None
    rest = tokens[1:]
    if len(rest) == 2 and rest[0] == "a":  # "a V a B": the ordinal's "-a" written without its hyphen
        rest = rest[1:]
    if len(rest) > 1 or (rest and not LETTER.match(rest[0])):
        return None
    return grade, (rest[0].upper() if rest else "")


GROUP_KINDS = {"mica": "mică", "mijlocie": "mijlocie", "mare": "mare"}


@functools.lru_cache(maxsize=1024)
def group_kind(text: str) -> str:
    """The kind of a preschool group as written ("Grupa mică A" → "mica"), or "" when not said."""
    return next((token for token in fold(text).split() if token in GROUP_KINDS), "")


def class_label(grade: int, letter: str, kind: str = "") -> str:
    """A class as people write it ("a V-a B", "pregătitoare A", "grupa A", "grupa mare A"), for messages."""
    if grade < 0:
        return " ".join(f"grupa {GROUP_KINDS.get(kind, '')} {letter}".split())
    if grade == 0:
        return f"pregătitoare {letter}".strip()
    roman = next(k for k, v in ROMAN.items() if v == grade).upper()
    name = roman if grade == 1 else f"a {roman}-a"
    return f"{name} {letter}".strip()


LEVEL_GRADES = {
    "prescolar": range(-1, 0),
    "gradinita": range(-1, 0),
    "primar": range(0, 5),
    "gimnazial": range(5, 9),
    "gimnaziu": range(5, 9),
    "secundar inferior": range(5, 9),
    "liceal": range(9, 13),
    "liceu": range(9, 13),
    "secundar superior": range(9, 13),
    "profesional": range(9, 13),
}


def _unit_grades(unit_type: str) -> range:
    """The grades a kind of unit teaches, from its SIIIR type ("Grădiniță…", "Școală primară", …)."""
    kind = fold(unit_type)
    if "gradinit" in kind:
        return range(-1, 0)
    if "primara" in kind:
        return range(-1, 5)
    if "gimnazial" in kind:
        return range(-1, 9)
    return range(-1, 13)


DATE_DMY = re.compile(r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})$")
DATE_YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]00:00(?::00)?)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def date_parse(value: Any) -> datetime.date | str:
    """A date cell (a spreadsheet date, a serial number or text) as a date, or the reason it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return _("data „%(value)s” nu este o dată") % {"value": cell_text(value)}
    text = cell_text(value)
    match = DATE_DMY.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (match := DATE_YMD.match(text)):
        parts = (match.group(1), match.group(2), match.group(3))
    if parts is None:
        return _("data „%(value)s” nu are forma zz.ll.aaaa") % {"value": text}
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return _("data „%(value)s” nu există în calendar") % {"value": text}


@functools.lru_cache(maxsize=256)
def _sex_text(value: str) -> str | None:
    text = fold(value)
    if not text:
        return ""
    if text in {"m", "masculin", "b", "baiat", "male"}:
        return "M"
    if text in {"f", "feminin", "fata", "female"}:
        return "F"
    return None


def school_code(value: Any) -> str:
    code = code_text(value, width=SIIIR_DIGITS)
    if code.isdigit() and len(code) == SIIIR_DIGITS - 1:
        code = "0" + code
    return code


# The mapping of columns ------------------------------------------------------------------------------------------


def mapping_guess(header: Sequence[str], remembered: Mapping[str, str] | None = None) -> ColumnMap:
    """Each field's column: the remembered one when the file has a column of that name, else the first column
    named like the field. A file with a "Clasa" column holding the formation and no formation column gets it as
    the formation."""
    keys = [header_key(text) for text in header]
    index_of: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key:
            index_of.setdefault(key, index)
    mapping: ColumnMap = {}
    used: set[int] = set()
    for spec in FIELDS:
        wanted = (remembered or {}).get(spec.key)
        if wanted is not None and wanted == "":
            mapping[spec.key] = None
            continue
        found = index_of.get(wanted or "")
        if found is None:
            found = next((index_of[header_key(n)] for n in spec.names if header_key(n) in index_of), None)
        if found in used:
            found = None
        mapping[spec.key] = found
        if found is not None:
            used.add(found)
    if mapping["formation"] is None and mapping["grade"] is not None:
        mapping["formation"], mapping["grade"] = mapping["grade"], None
    return mapping


def mapping_remembered(*, county_code: str) -> dict[str, str]:
    row = ImportMapping.objects.filter(county_code=county_code, kind=KIND).values_list("columns", flat=True).first()
    return dict(row) if isinstance(row, dict) else {}


def mapping_remember(*, county_code: str, header: Sequence[str], mapping: ColumnMap, actor: User | None) -> None:
    """Remember the columns used (by their header names) for the county's next upload."""
    columns = {
        key: (header_key(header[index]) if index is not None and index < len(header) else "")
        for key, index in mapping.items()
    }
    ImportMapping.objects.update_or_create(
        county_code=county_code, kind=KIND, defaults={"columns": columns, "updated_by": actor}
    )


def _mapping_errors(mapping: ColumnMap, header: Sequence[str], line: int) -> list[RowError]:
    errors = []
    for spec in FIELDS:
        index = mapping.get(spec.key)
        if index is not None and not 0 <= index < len(header):
            errors.append(RowError(line, _("coloana aleasă pentru „%(field)s” nu există") % {"field": spec.label}))
        elif index is None and spec.required:
            errors.append(RowError(line, _("alegeți coloana pentru „%(field)s”") % {"field": spec.label}))
    chosen = [index for index in mapping.values() if index is not None]
    if len(chosen) != len(set(chosen)):
        errors.append(RowError(line, _("aceeași coloană este aleasă pentru două câmpuri")))
    return errors


@contextlib.contextmanager
def _sheet(source: bytes | Path) -> Iterator[Sheet]:
    try:
        with sheet_open(
            source,
            header_names=HEADER_NAMES,
            header_label=_("„Nume”, „CNP” sau „Cod unitate”"),
            search_rows=HEADER_SEARCH_ROWS,
        ) as sheet:
            yield sheet
    except PupilImportError:
        raise
    except SpreadsheetError as refused:
        raise PupilImportError(refused.errors) from refused


def pupils_file_header(*, source: bytes | Path) -> tuple[int, tuple[str, ...]]:
    """(line of the header, its cells): what the preview offers in its column selects."""
    with _sheet(source) as sheet:
        return sheet.header_line, sheet.header


# Reading and checking ----------------------------------------------------------------------------------------------


@dataclass
class _Context:
    county_code: str
    year: SchoolYear
    today: datetime.date
    schools: dict[str, tuple[int, range]]  # SIIIR code → (id, grades of the unit)
    allowed: frozenset[int] | None
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    unknown_codes: dict[str, list[int]] = field(default_factory=dict)
    skipped_high_school: int = 0
    by_cnp: Mapping[str, _Row] = field(default_factory=dict)  # the rows read that have a CNP, by CNP
    school_ids: Collection[int] = ()  # the schools of the rows read

    def refuse(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, message))


def _text(value: Any) -> str:
    """`cell_text`, with a short way for the text cells of a CSV."""
    return " ".join(value.split()) if value.__class__ is str else cell_text(value)


def _class_check(formation_cell: Any, grade_cell: Any, level_cell: Any) -> tuple[int, str, str, str | None] | None:
    """(grade, letter, preschool group kind, the reason the class does not fit or None) of a row's formation,
    grade and level cells; None for a high-school class (skipped)."""
    formation_text, grade_text = _text(formation_cell), _text(grade_cell)
    if not formation_text:
        return 0, "", "", _("formațiunea (clasa) lipsește")
    formation = class_parse(formation_text)
    if formation is None:
        return 0, "", "", _("formațiunea „%(value)s” nu poate fi citită (ex. „a V-a B”)") % {"value": formation_text}
    grade, letter = formation
    if grade_text:
        stated = class_parse(grade_text)
        if stated is None or stated[0] is None or (stated[1] and stated[1] != letter):
            return 0, "", "", _("anul de studiu „%(value)s” nu poate fi citit") % {"value": grade_text}
        if grade is None:
            grade = stated[0]
        elif stated[0] != grade:
            return (
                0,
                "",
                "",
                _("formațiunea „%(formation)s” nu se potrivește cu anul de studiu „%(grade)s”")
                % {"formation": formation_text, "grade": grade_text},
            )
    if grade is None:
        return (
            0,
            "",
            "",
            _("formațiunea „%(value)s” nu spune clasa (anul de studiu lipsește)") % {"value": formation_text},
        )
    if grade > MAX_GRADE:
        return None
    kind = (group_kind(formation_text) or group_kind(grade_text)) if grade < 0 else ""
    level_text = _text(level_cell)
    level_grades = LEVEL_GRADES.get(fold(level_text))
    if level_grades is not None and grade not in level_grades:
        return (
            grade,
            letter,
            kind,
            _("clasa „%(cls)s” nu este la nivelul „%(level)s”")
            % {"cls": class_label(grade, letter), "level": level_text},
        )
    return grade, letter, kind, None


def _birth_check(ctx: _Context, cell: Any) -> tuple[bool, datetime.date | None, str | None]:
    """(the cell is filled, the birth date or None, the reason it is refused or None)."""
    if not _text(cell):
        return False, None, None
    parsed = date_parse(cell)
    if isinstance(parsed, str):
        return True, None, _("data nașterii: %(reason)s") % {"reason": parsed}
    if parsed > ctx.today:
        return True, None, _("data nașterii este în viitor")
    if parsed.year < ctx.year.start.year - 30:
        return True, None, _("data nașterii nu este plauzibilă pentru un elev")
    return True, parsed, None


def _sex_check(cell: Any) -> tuple[str | None, str]:
    """(M, F, "" when missing or None when unreadable; the cell's text for a message)."""
    text = _text(cell)
    return _sex_text(text), text[:20]


# The CNP's checksum by parts: the weighted sum of each group of three of its first twelve digits, looked up.
CNP_PARTS = tuple(
    {
        f"{n:03d}": sum(int(d) * w for d, w in zip(f"{n:03d}", CNP_WEIGHTS[3 * k : 3 * k + 3], strict=True))
        for n in range(1000)
    }
    for k in range(4)
)
CNP_COUNTIES = frozenset(f"{n:02d}" for n in (*range(1, 53), 70, 80))


@functools.lru_cache(maxsize=4096)
def _cnp_birth(prefix: str) -> datetime.date | None:
    return cnp_birth_date(prefix)


def _cnp_prefix(prefix: str) -> tuple[int, datetime.date] | None:
    """(the weighted sum of its digits, the birth date) of the first nine digits of a CNP (sex and century, birth
    date, county), or None when they cannot start a valid CNP."""
    if prefix[0] == "0" or prefix[7:9] not in CNP_COUNTIES:
        return None
    birth = _cnp_birth(prefix[:7])
    if birth is None:
        return None
    p0, p1, p2, _p3 = CNP_PARTS
    return p0[prefix[0:3]] + p1[prefix[3:6]] + p2[prefix[6:9]], birth


def _cnp_birth_if_valid(cnp: str, prefixes: dict[str, tuple[int, datetime.date] | None]) -> datetime.date | None:
    """The birth date of a valid CNP (`cnp_is_valid`), or None: the same answer, without the slow way for the
    plain 13 ASCII digits of almost every row (anything else is left to `cnp_clean`). `prefixes` keeps
    `_cnp_prefix` of the first nine digits, which repeat down a file (pupils born the same day in the county)."""
    if len(cnp) != 13 or not cnp.isascii() or not cnp.isdigit():
        return None
    head = cnp[:9]
    known = prefixes.get(head, _UNSEEN)
    if known is _UNSEEN:
        known = prefixes[head] = _cnp_prefix(head)
    if known is None:
        return None
    rest = (known[0] + CNP_PARTS[3][cnp[9:12]]) % 11
    return known[1] if (1 if rest == 10 else rest) == ord(cnp[12]) - 48 else None


class _Reader:
    """Reads and checks the rows; what repeats down a column (formations, dates, school codes, sex) is checked
    once per distinct cell."""

    def __init__(self, ctx: _Context, mapping: ColumnMap) -> None:
        self.ctx = ctx
        self.columns = [mapping.get(key) for key in FIELD_KEYS]
        self.width = max((index for index in self.columns if index is not None), default=-1) + 1
        self.getter = operator.itemgetter(*self.columns) if None not in self.columns else None
        self.classes: dict[tuple[Any, Any, Any], tuple[int, str, str, str | None] | None] = {}
        self.births: dict[Any, tuple[bool, datetime.date | None, str | None]] = {}
        self.codes: dict[Any, tuple[str, tuple[int, range] | None]] = {}
        self.sexes: dict[Any, tuple[str | None, str]] = {}
        self.cnp_prefixes: dict[str, tuple[int, datetime.date] | None] = {}

    def read(self, line: int, raw: Sequence[Any]) -> _Row | None:
        """The row checked, or None (its reasons recorded, or it is a high-school row, skipped)."""
        ctx = self.ctx
        if len(raw) < self.width:
            raw = [*raw, *([None] * (self.width - len(raw)))]
        if self.getter is not None:
            cells = self.getter(raw)
        else:
            cells = tuple(None if index is None else raw[index] for index in self.columns)
        cnp_cell, last_cell, first_cell, birth_cell, sex_cell, code_cell, level_cell, grade_cell, formation_cell = cells
        problems: list[str] = []
        class_key = (formation_cell, grade_cell, level_cell)
        checked = self.classes.get(class_key, _UNSEEN)
        if checked is _UNSEEN:
            checked = self.classes[class_key] = _class_check(formation_cell, grade_cell, level_cell)
        if checked is None:
            ctx.skipped_high_school += 1
            return None
        grade, letter, kind, class_problem = checked
        if class_problem is not None:
            problems.append(class_problem)
        coded = self.codes.get(code_cell)
        if coded is None:
            code = school_code(code_cell)
            coded = self.codes[code_cell] = (code, ctx.schools.get(code))
        code, school = coded
        school_id = 0
        if not code:
            problems.append(_("codul unității lipsește"))
        elif school is None:
            ctx.unknown_codes.setdefault(code, []).append(line)
        elif ctx.allowed is not None and school[0] not in ctx.allowed:
            problems.append(_("unitatea „%(code)s” nu este printre școlile dumneavoastră") % {"code": code})
        else:
            school_id = school[0]
            if not problems and grade not in school[1]:
                problems.append(
                    _("clasa „%(cls)s” nu există într-o unitate de acest tip (cod %(code)s)")
                    % {"cls": class_label(grade, letter), "code": code}
                )
        last_name = " ".join(last_cell.split()) if last_cell.__class__ is str else cell_text(last_cell)
        first_name = " ".join(first_cell.split()) if first_cell.__class__ is str else cell_text(first_cell)
        if not last_name:
            problems.append(_("numele lipsește"))
        if not first_name:
            problems.append(_("prenumele lipsește"))
        if len(last_name) > 100 or len(first_name) > 100:
            problems.append(_("numele sau prenumele are peste 100 de caractere"))
        if CONTROL_CHARACTERS.search(last_name) or CONTROL_CHARACTERS.search(first_name):
            problems.append(_("numele sau prenumele conține un caracter invizibil sau de control"))
        born = self.births.get(birth_cell)
        if born is None:
            born = self.births[birth_cell] = _birth_check(ctx, birth_cell)
        has_birth, birth, birth_problem = born
        if birth_problem is not None:
            problems.append(birth_problem)
        if cnp_cell.__class__ is str:
            cnp = cnp_cell if cnp_cell.isdigit() else "".join(cnp_cell.split())
        else:
            cnp = code_text(cnp_cell)
        if cnp:
            from_cnp = _cnp_birth_if_valid(cnp, self.cnp_prefixes)
            if from_cnp is None or (birth is not None and from_cnp != birth):
                try:
                    cnp = cnp_clean(cnp, birth_date=birth)
                except ValidationError as exc:
                    problems.extend(exc.messages)
                    cnp = ""
                else:
                    from_cnp = cnp_birth_date(cnp)
            if cnp and birth is None and not has_birth:
                birth = from_cnp
        elif birth is None and not has_birth:
            problems.append(_("lipsesc și CNP-ul, și data nașterii"))
        sexed = self.sexes.get(sex_cell)
        if sexed is None:
            sexed = self.sexes[sex_cell] = _sex_check(sex_cell)
        sex, sex_text = sexed
        if sex is None:
            problems.append(_("sexul „%(value)s” nu este M sau F") % {"value": sex_text})
        elif not sex:
            sex = ("M" if int(cnp[0]) % 2 else "F") if cnp else None
            if sex is None:
                problems.append(_("sexul lipsește (și nu există CNP din care să reiasă)"))
        for problem in problems:
            ctx.refuse(line, problem)
        if problems or birth is None or sex is None or school is None or not school_id:
            return None
        return _Row(line, cnp, last_name, first_name, birth, sex, school_id, grade, letter, kind)


_UNSEEN: Any = object()


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _name_key(last_name: str, first_name: str, birth: datetime.date) -> tuple[str, datetime.date]:
    return fold(f"{last_name} {first_name}"), birth


def _rows_read(ctx: _Context, sheet: Sheet, mapping: ColumnMap) -> list[_Row]:
    reader = _Reader(ctx, mapping)
    rows: list[_Row] = []
    first_cnp: dict[str, _Row] = {}
    first_name_birth: dict[tuple[str, datetime.date], int] = {}
    group_kinds: dict[tuple[int, str], tuple[str, int]] = {}  # (school, letter) → a preschool group's kind, line
    for line, raw in sheet.data_rows():
        row = reader.read(line, raw)
        if row is None:
            continue
        if row.cnp:
            first = first_cnp.setdefault(row.cnp, row).line
        else:
            first = first_name_birth.setdefault(_name_key(row.last_name, row.first_name, row.birth_date), line)
        if first != line:
            message = (
                _("același CNP apare și pe linia %(first)d")
                if row.cnp
                else _("același elev fără CNP (nume și data nașterii) apare și pe linia %(first)d")
            )
            ctx.refuse(line, message % {"first": first})
            continue
        if row.kind:
            kind, seen = group_kinds.setdefault((row.school_id, row.letter), (row.kind, line))
            if kind != row.kind:
                ctx.refuse(
                    line,
                    _(
                        "grupa „%(group)s” și grupa „%(other)s” de pe linia %(first)d ale aceleiași unități au "
                        "aceeași literă: Prezent le-ar face o singură grupă; dați-le litere diferite"
                    )
                    % {
                        "group": class_label(-1, row.letter, row.kind),
                        "other": class_label(-1, row.letter, kind),
                        "first": seen,
                    },
                )
                continue
        rows.append(row)
    if ctx.unknown_codes:
        codes = sorted(ctx.unknown_codes)
        elsewhere: dict[str, str] = {}
        for chunk in _chunks(codes):
            elsewhere.update(School.objects.filter(siiir_code__in=chunk).values_list("siiir_code", "county_code"))
        for code, lines in ctx.unknown_codes.items():
            if code in elsewhere:
                message = _("unitatea „%(code)s” este din alt județ (%(county)s)") % {
                    "code": code,
                    "county": elsewhere[code],
                }
            else:
                message = _("codul unității „%(code)s” nu este în rețeaua școlară") % {"code": code}
            for line in lines:
                ctx.refuse(line, message)
    ctx.by_cnp = first_cnp
    ctx.school_ids = {school[0] for _code, school in reader.codes.values() if school is not None}
    return rows


# Planning and writing ----------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    new_rows: list[tuple[_Row, int]] = field(default_factory=list)  # row, class key index
    identity: list[Child] = field(default_factory=list)
    ended: list[Enrolment] = field(default_factory=list)
    corrected: list[tuple[int, tuple[int, int, str]]] = field(default_factory=list)  # enrolment id, class key
    enrol: list[tuple[int, tuple[int, int, str], datetime.date]] = field(default_factory=list)  # child, key, start
    new_classes: set[tuple[int, int, str]] = field(default_factory=set)


_ChildRow = tuple[int, str, str, str, datetime.date]  # id, last name, first name, sex, birth date
_OpenEnrolment = tuple[int, int, datetime.date, int, datetime.date]  # id, class, start, school, the year's start


def _select(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _names(model: type[Model], *fields: str) -> list[str]:
    """The quoted table and column names of a model (from its metadata, never from input)."""
    quote = connection.ops.quote_name
    columns = [cast(Field, model._meta.get_field(name)).column for name in fields]
    return [quote(model._meta.db_table), *(quote(column) for column in columns)]


def _existing_by_cnp(cnps: Sequence[str]) -> tuple[dict[str, _ChildRow], dict[int, int | None]]:
    """The children of these CNPs, and each one's class of the open enrolment (None when not enrolled), in one
    query a chunk of `LOOKUP_CHUNK` CNPs. Plain SQL: the ORM's work on 2,000 parameters a query cost more than
    the lookup."""
    child, c_pk, cnp_, last_, first_, sex_, birth_ = _names(
        Child, "id", "cnp", "last_name", "first_name", "sex", "birth_date"
    )
    enrolment, e_child, e_class, e_end = _names(Enrolment, "child", "class_group", "end")
    found: dict[str, _ChildRow] = {}
    classes: dict[int, int | None] = {}
    for chunk in _chunks(cnps):
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT c.{c_pk}, c.{cnp_}, c.{last_}, c.{first_}, c.{sex_}, c.{birth_}, e.{e_class} "  # noqa: S608
            f"FROM {child} c LEFT JOIN {enrolment} e ON e.{e_child} = c.{c_pk} AND e.{e_end} IS NULL "
            f"WHERE c.{cnp_} IN ({marks})"
        )
        for pk, cnp, last, first, sex, birth, class_id in _select(sql, chunk):
            found[cnp] = (pk, last, first, sex, birth)
            classes[pk] = class_id
    return found, classes


def _enrolled_by_cnp(
    year: SchoolYear,
    school_ids: Collection[int],
    rows: Mapping[str, _Row],
    classes: Mapping[tuple[int, int, str], int],
) -> tuple[dict[str, _ChildRow], dict[int, int | None], set[str]]:
    """Like `_existing_by_cnp`, for the pupils with a CNP of `rows` enrolled now in the year's classes of these
    schools (on a second run, all of them): one query through the classes, cheaper than looking each CNP up.
    A pupil whose row says what the database holds (names, sex, birth date, and the class of the open enrolment)
    is settled here, its CNP returned in the third value and left out of the first two: on a second run that is
    every pupil, and comparing as the rows arrive spares building two look-up tables of the whole county."""
    child, c_pk, cnp_, last_, first_, sex_, birth_ = _names(
        Child, "id", "cnp", "last_name", "first_name", "sex", "birth_date"
    )
    enrolment, e_child, e_class, e_end = _names(Enrolment, "child", "class_group", "end")
    group, g_pk, g_school, g_year = _names(ClassGroup, "id", "school", "school_year")
    # On SQLite the birth date is read as its ISO text (`+column` is the same value without the column's declared
    # type, so Django's converter does not parse each row's date) and each distinct date is parsed once below.
    birth_column = f"+c.{birth_}" if connection.vendor == "sqlite" else f"c.{birth_}"
    days: dict[Any, datetime.date] = {}
    found: dict[str, _ChildRow] = {}
    enrolled: dict[int, int | None] = {}
    unchanged: set[str] = set()
    ids = sorted(school_ids)
    for chunk in _chunks(ids):
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            f"SELECT c.{c_pk}, c.{cnp_}, c.{last_}, c.{first_}, c.{sex_}, {birth_column}, e.{e_class} "  # noqa: S608
            f"FROM {group} g JOIN {enrolment} e ON e.{e_class} = g.{g_pk} JOIN {child} c ON c.{c_pk} = e.{e_child} "
            f"WHERE g.{g_year} = %s AND g.{g_school} IN ({marks}) AND e.{e_end} IS NULL AND c.{cnp_} <> ''"
        )
        for pk, cnp, last, first, sex, birth, class_id in _select(sql, [year.pk, *chunk]):
            row = rows.get(cnp)
            if row is None:
                continue
            day = days.get(birth)
            if day is None:
                day = days[birth] = birth if birth.__class__ is datetime.date else datetime.date.fromisoformat(birth)
            if (
                last == row.last_name
                and first == row.first_name
                and day == row.birth_date
                and sex == row.sex
                and class_id == classes.get((row.school_id, row.grade, row.letter))
            ):
                unchanged.add(cnp)
                continue
            found[cnp] = (pk, last, first, sex, day)
            enrolled[pk] = class_id
    return found, enrolled, unchanged


def _new_ids_by_cnp(after: int) -> dict[str, int]:
    """CNP → id of the children with a CNP whose id is above `after`: those just inserted, in one range query."""
    child, c_pk, cnp_ = _names(Child, "id", "cnp")
    sql = f"SELECT {cnp_}, {c_pk} FROM {child} WHERE {c_pk} > %s AND {cnp_} <> ''"  # noqa: S608
    return dict(_select(sql, [after]))


def _existing_without_cnp(
    county_code: str, births: Sequence[datetime.date]
) -> dict[tuple[str, datetime.date], list[tuple[int, str, str, str, datetime.date]]]:
    found: dict[tuple[str, datetime.date], list[tuple[int, str, str, str, datetime.date]]] = {}
    for chunk in _chunks(births):
        children = (
            Child.objects.filter(cnp="", birth_date__in=chunk, enrolments__class_group__school__county_code=county_code)
            .values_list("pk", "last_name", "first_name", "sex", "birth_date")
            .distinct()
        )
        for pk, last, first, sex, birth in children:
            found.setdefault(_name_key(last, first, birth), []).append((pk, last, first, sex, birth))
    return found


def _open_enrolments(child_ids: Sequence[int]) -> dict[int, _OpenEnrolment]:
    """child → (enrolment, class, start, school, the start of the class's year)."""
    found = {}
    for chunk in _chunks(child_ids):
        for pk, child_id, class_id, start, school_id, year_start in Enrolment.objects.filter(
            child_id__in=chunk, end__isnull=True
        ).values_list(
            "pk", "child_id", "class_group_id", "start", "class_group__school_id", "class_group__school_year__start"
        ):
            found[child_id] = (pk, class_id, start, school_id, year_start)
    return found


def _plan(ctx: _Context, rows: list[_Row], report: PupilImportReport, codes: dict[int, str]) -> tuple[_Plan, dict]:
    year = ctx.year
    on = min(max(ctx.today, year.start), year.end)
    classes: dict[tuple[int, int, str], int] = {
        (school_id, grade, letter): pk
        for pk, school_id, grade, letter in ClassGroup.objects.filter(
            school_year=year, school__county_code=ctx.county_code
        ).values_list("pk", "school_id", "grade", "letter")
    }
    by_cnp, enrolled, settled = _enrolled_by_cnp(year, ctx.school_ids, ctx.by_cnp, classes)
    if len(by_cnp) + len(settled) < len(ctx.by_cnp):
        elsewhere, enrolled_elsewhere = _existing_by_cnp(
            sorted(cnp for cnp in ctx.by_cnp if cnp not in by_cnp and cnp not in settled)
        )
        by_cnp.update(elsewhere)
        enrolled.update(enrolled_elsewhere)
    # Pupils without a CNP in the file, and pupils whose CNP is new: looked for by name and birth date among the
    # county's pupils recorded without a CNP (a CNP found later is then written to the record).
    per_school = Counter(map(operator.attrgetter("school_id"), rows))
    report.unchanged += len(settled)
    if settled:
        rows = [row for row in rows if row.cnp not in settled]
    births = (
        sorted({row.birth_date for row in rows if not row.cnp or row.cnp not in by_cnp})
        if len(by_cnp) < len(rows)
        else []
    )
    without = _existing_without_cnp(ctx.county_code, births)
    taken: set[int] = set()
    details: set[int] = set()
    pending: list[tuple[_Row, _ChildRow | None]] = []  # new pupils, and pupils with something to change
    for row in rows:
        _line, cnp, last_name, first_name, birth_date, sex, school_id, grade, letter, _kind = row
        existing = by_cnp.get(cnp) if cnp else None
        if existing is None:
            if not cnp:
                report.without_cnp += 1
            if without:
                candidates = without.get(_name_key(last_name, first_name, birth_date), [])
                if len(candidates) > 1:
                    ctx.refuse(row.line, _("mai mulți elevi fără CNP au același nume și aceeași dată a nașterii"))
                    continue
                existing = candidates[0] if candidates and candidates[0][0] not in taken else None
            if existing is None:
                pending.append((row, None))
                continue
            taken.add(existing[0])
            cnp_new = bool(cnp)
        else:
            cnp_new = False
        child_id = existing[0]
        class_id = classes.get((school_id, grade, letter))
        in_class = class_id is not None and enrolled.get(child_id, 0) == class_id
        if not in_class:
            details.add(child_id)  # not known to be in this class already: its open enrolment is read
        elif not cnp_new and existing[1:] == (last_name, first_name, sex, birth_date):
            report.unchanged += 1
            continue
        pending.append((row, existing))
    if ctx.error_count:
        return _Plan(), {}
    enrolments = _open_enrolments(sorted(details))
    plan = _Plan()
    for school_id, count in per_school.items():
        report.schools.setdefault(codes[school_id], SchoolCounts()).rows = count

    @functools.cache
    def occupied() -> set[int]:
        """The year's classes of the county that have pupils (read only when someone is enrolled)."""
        return set(
            Enrolment.objects.filter(class_group__school_year=year, class_group__school__county_code=ctx.county_code)
            .values_list("class_group_id", flat=True)
            .distinct()
        )

    def start_in(key: tuple[int, int, str]) -> datetime.date:
        pk = classes.get(key)
        return on if pk is not None and pk in occupied() else year.start

    for row, existing in pending:
        key = (row.school_id, row.grade, row.letter)
        if key not in classes:
            plan.new_classes.add(key)
        counts = report.schools[codes[row.school_id]]
        if existing is None:
            plan.new_rows.append((row, 0))
            report.new += 1
            counts.new += 1
            continue
        child_id, last, first, sex, birth = existing
        changed = False
        if (last, first, sex, birth) != (row.last_name, row.first_name, row.sex, row.birth_date) or (
            row.cnp and row.cnp not in by_cnp
        ):
            plan.identity.append(
                Child(
                    pk=child_id,
                    last_name=row.last_name,
                    first_name=row.first_name,
                    sex=row.sex,
                    birth_date=row.birth_date,
                    cnp=row.cnp,
                )
            )
            changed = True
        target = classes.get(key)
        current = None if child_id not in details else enrolments.get(child_id)
        if child_id not in details:
            moved = False  # already in this class
        elif current is None:
            plan.enrol.append((child_id, key, start_in(key)))
            moved = True
        elif current[1] == target:
            moved = False
        elif current[4] > year.start:
            moved = False  # enrolled in a later year than the file's: left as it is
        elif current[4] < year.start:
            same_school = current[3] == row.school_id
            end = max(current[2], year.start - datetime.timedelta(days=1))
            reason = Enrolment.EndReason.YEAR_END if same_school else Enrolment.EndReason.MOVED_SCHOOL
            plan.ended.append(Enrolment(pk=current[0], end=end, end_reason=reason))
            plan.enrol.append((child_id, key, max(year.start, end + datetime.timedelta(days=1))))
            moved = True
        elif current[2] >= on:
            plan.corrected.append((current[0], key))  # enrolled today in another class: the class is corrected
            moved = True
        else:
            same_school = current[3] == row.school_id
            reason = Enrolment.EndReason.MOVED_CLASS if same_school else Enrolment.EndReason.MOVED_SCHOOL
            plan.ended.append(Enrolment(pk=current[0], end=on - datetime.timedelta(days=1), end_reason=reason))
            plan.enrol.append((child_id, key, on))
            moved = True
        if moved:
            report.moved += 1
            counts.moved += 1
        if moved or changed:
            report.changed += 1
        else:
            report.unchanged += 1
    report.classes_created = len(plan.new_classes)
    plan_starts = {key: start_in(key) for key in {(r.school_id, r.grade, r.letter) for r, _ in plan.new_rows}}
    return plan, {"classes": classes, "starts": plan_starts}


def _write(plan: _Plan, extra: dict, year: SchoolYear) -> None:
    classes: dict[tuple[int, int, str], int] = extra["classes"]
    starts: dict[tuple[int, int, str], datetime.date] = extra["starts"]
    if plan.new_classes:
        rows_insert(
            ClassGroup,
            ["school", "school_year", "level", "grade", "letter", "teacher", "hours_per_day"],
            (
                (school_id, year.pk, str(level_for_grade(grade)), grade, letter, None, default_hours_per_day(grade))
                for school_id, grade, letter in sorted(plan.new_classes)
            ),
        )
        for pk, school_id, grade, letter in ClassGroup.objects.filter(school_year=year).values_list(
            "pk", "school_id", "grade", "letter"
        ):
            if (school_id, grade, letter) in plan.new_classes:
                classes[(school_id, grade, letter)] = pk
    now = timezone.now()
    with_cnp = [row for row, _ in plan.new_rows if row.cnp]
    last_id = Child.objects.aggregate(last=Max("pk"))["last"] or 0
    rows_insert(
        Child,
        ["first_name", "last_name", "sex", "birth_date", "cnp", "works", "created_at", "updated_at"],
        ((r.first_name, r.last_name, r.sex, r.birth_date, r.cnp, False, now, now) for r in with_cnp),
    )
    ids = _new_ids_by_cnp(last_id) if with_cnp else {}
    new_enrolments: list[tuple[int, int, datetime.date]] = []
    for row in with_cnp:
        key = (row.school_id, row.grade, row.letter)
        new_enrolments.append((ids[row.cnp], classes[key], starts[key]))
    no_papers = [row for row, _ in plan.new_rows if not row.cnp]
    if no_papers:
        households = Household.objects.bulk_create([Household(no_identity_papers=True) for _ in no_papers])
        children = Child.objects.bulk_create(
            [
                Child(
                    first_name=r.first_name,
                    last_name=r.last_name,
                    sex=r.sex,
                    birth_date=r.birth_date,
                    household=household,
                )
                for r, household in zip(no_papers, households, strict=True)
            ]
        )
        for row, child in zip(no_papers, children, strict=True):
            key = (row.school_id, row.grade, row.letter)
            new_enrolments.append((child.pk, classes[key], starts[key]))
    if plan.identity:
        Child.objects.bulk_update(
            plan.identity, ["last_name", "first_name", "sex", "birth_date", "cnp"], batch_size=500
        )
    if plan.ended:
        Enrolment.objects.bulk_update(plan.ended, ["end", "end_reason"], batch_size=500)
    if plan.corrected:
        Enrolment.objects.bulk_update(
            [Enrolment(pk=pk, class_group_id=classes[key]) for pk, key in plan.corrected],
            ["class_group"],
            batch_size=500,
        )
    new_enrolments.extend((child_id, classes[key], start) for child_id, key, start in plan.enrol)
    rows_insert(
        Enrolment,
        ["child", "class_group", "start", "end", "end_reason", "repeating"],
        ((child_id, class_id, start, None, "", False) for child_id, class_id, start in new_enrolments),
    )


def school_year_for_import(*, county_code: str, year_name: str) -> SchoolYear:
    """The county's school year by name ("2026-2027"), or PupilImportError telling to open it first."""
    name = year_name.strip().replace("/", "-").replace("–", "-").replace(" ", "")
    year = SchoolYear.objects.filter(county_code=county_code, name=name).first()
    if year is None:
        raise _file_error(
            _(
                "Anul școlar %(year)s nu este deschis pentru județul %(county)s: coordonatorul județean îl deschide "
                "mai întâi (Ani școlari), apoi încercați din nou."
            )
            % {"year": name, "county": county_code}
        )
    return year


def pupils_import(
    *,
    source: bytes | Path,
    county_code: str,
    year_name: str,
    actor: User | None,
    mapping: ColumnMap | None = None,
    school_ids: Collection[int] | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> PupilImportReport:
    """Import the pupils of a SIIIR export into the county's school year (see the module's doc).

    `mapping` (field → column index) defaults to the remembered columns, else the columns named like the fields.
    `school_ids` limits the schools the file may name (a school coordinator's); None means the whole county.
    Raises `PupilImportError`, having written nothing, when the file or any row is wrong. With `dry_run` nothing is
    written and the report says what would change."""
    county_code = county_code.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}", county_code):
        raise _file_error(_("Codul județului „%(code)s” nu este valid (ex. IS, B).") % {"code": county_code})
    year = school_year_for_import(county_code=county_code, year_name=year_name)
    schools = {
        code: (pk, _unit_grades(unit_type))
        for code, pk, unit_type in School.objects.filter(county_code=county_code).values_list(
            "siiir_code", "pk", "unit_type"
        )
    }
    codes = {pk: code for code, (pk, _grades) in schools.items()}
    ctx = _Context(
        county_code=county_code,
        year=year,
        today=today or timezone.localdate(),
        schools=schools,
        allowed=None if school_ids is None else frozenset(school_ids),
    )
    with gc_paused(), _sheet(source) as sheet:
        if mapping is None:
            mapping = mapping_guess(sheet.header, mapping_remembered(county_code=county_code))
        if errors := _mapping_errors(mapping, sheet.header, sheet.header_line):
            raise PupilImportError(errors)
        rows = _rows_read(ctx, sheet, mapping)
    if not ctx.error_count and not rows and not ctx.skipped_high_school:
        raise _file_error(_("Fișierul nu are niciun rând cu elevi sub antet."))
    report = PupilImportReport(
        county=county_code, year=year.name, rows=len(rows), skipped_high_school=ctx.skipped_high_school, dry_run=dry_run
    )
    with gc_paused():
        plan, extra = _plan(ctx, rows, report, codes) if not ctx.error_count else (_Plan(), {})
    if ctx.error_count:
        _raise(ctx)
    if dry_run:
        return report
    with transaction.atomic():
        _write(plan, extra, year)
        audit_record(actor=actor, action="pupils.import", target_type="children.child", details=report.as_details())
    return report


def _raise(ctx: _Context) -> None:
    errors = list(ctx.errors)
    if ctx.error_count > len(errors):
        errors.append(
            RowError(
                10**9,
                _("… și încă %(n)d probleme; corectați-le pe acestea și încercați din nou.")
                % {"n": ctx.error_count - len(errors)},
            )
        )
    raise PupilImportError(errors)


# The upload kept between the preview and the confirmation ------------------------------------------------------------


def _upload_dir() -> Path:
    directory = Path(getattr(settings, "PREZENT_IMPORT_DIR", "") or Path(tempfile.gettempdir()) / "prezent-imports")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def upload_path(token: str) -> Path | None:
    """The kept file of a token (from the session, never from the client), or None when it is gone."""
    if not TOKEN.fullmatch(token or ""):
        return None
    path = _upload_dir() / f"{token}.upload"
    return path if path.is_file() else None


def upload_keep(*, file: IO[bytes], filename: str) -> str:
    """Keep an upload on disk under a random name until it is confirmed or discarded; return its token. Files
    older than a day are removed on the way."""
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        raise _file_error(_("Alegeți un fișier .xlsx sau .csv (exportul SIIIR salvat din Excel sau LibreOffice)."))
    directory = _upload_dir()
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for old in directory.glob("*.upload"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()
    token = secrets.token_urlsafe(24)
    path = directory / f"{token}.upload"
    size = 0
    chunks: Iterable[bytes] = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    with path.open("wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                handle.close()
                path.unlink(missing_ok=True)
                raise _file_error(_("Fișierul are peste %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
            handle.write(chunk)
    if size == 0:
        path.unlink(missing_ok=True)
        raise _file_error(_("Fișierul este gol."))
    path.chmod(0o600)
    return token


def upload_discard(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)
