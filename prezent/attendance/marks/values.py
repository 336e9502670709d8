"""Module averages as teachers write them: pure rules, no database.

- An average is a number from 1 to 10 with at most two decimals, written "8,50" (Romanian) or "8.5". A
  spreadsheet's numeric cell (a float, maybe computed by a formula) is rounded half up to two decimals, since the
  teacher saw it rounded; typed text with more decimals is refused rather than silently changed.
- The subjects offered as columns depend on the class's grade (the Romanian curriculum frame plans, 2013 for
  primary and 2017 for lower secondary), end with the conduct grade "Purtare", and can be replaced per level by
  the setting PREZENT_RESULT_SUBJECTS = {"primary": [...], "lower_secondary": [...]}. Teachers add other
  columns themselves, and a subject that already has results in the class stays a column.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.attendance.models import CONDUCT_SUBJECT, Qualifier
from prezent.core.text import fold

# A mark is an average (Decimal, gimnaziu) or a calificativ's code ("FB", "B", "S", "I": primary school).
Mark = Decimal | str
# Primary school, preparatory class (0) to grade IV, is marked with calificative (Legea educației 198/2023).
LAST_QUALITATIVE_GRADE = 4

MIN_AVERAGE = Decimal(1)
MAX_AVERAGE = Decimal(10)
CENT = Decimal("0.01")
# A failing module average in Romanian schools is under 5.
PASS_MARK = Decimal(5)
SUBJECT_MAX_LENGTH = 80
MAX_SUBJECTS = 40

_NUMBER_TEXT = re.compile(r"([0-9]{1,6})(?:[.,]([0-9]+))?")

# (subject, first grade, last grade). Grade 0 is the preparatory class.
DEFAULT_SUBJECTS: tuple[tuple[str, int, int], ...] = (
    ("Comunicare în limba română", 0, 2),
    ("Limba și literatura română", 3, 8),
    ("Limba engleză", 0, 8),
    ("Limba franceză", 5, 8),
    ("Matematică și explorarea mediului", 0, 2),
    ("Matematică", 3, 8),
    ("Științe ale naturii", 3, 4),
    ("Fizică", 6, 8),
    ("Chimie", 7, 8),
    ("Biologie", 5, 8),
    ("Istorie", 4, 8),
    ("Geografie", 4, 8),
    ("Educație civică", 3, 4),
    ("Educație socială", 5, 8),
    ("Dezvoltare personală", 0, 2),
    ("Religie", 0, 8),
    ("Educație fizică", 0, 8),
    ("Muzică și mișcare", 0, 4),
    ("Educație muzicală", 5, 8),
    ("Arte vizuale și abilități practice", 0, 4),
    ("Educație plastică", 5, 8),
    ("Educație tehnologică și aplicații practice", 5, 8),
    ("Informatică și TIC", 5, 8),
)


class AverageError(ValueError):
    """A cell that is not a valid average; the message is for the teacher, in Romanian."""


_NOT_A_NUMBER = gettext_lazy("„%(value)s” nu este un număr între 1 și 10 (de exemplu 8,50).")


def _shown(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 20 else text[:19] + "…"


def parse_average(value: object) -> Decimal | None:
    """The average in a cell, or None when the cell is blank. Raises AverageError with the reason."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AverageError(_NOT_A_NUMBER % {"value": value})
    if isinstance(value, int | float | Decimal):
        exact = Decimal(str(value))
        if not exact.is_finite():
            raise AverageError(_NOT_A_NUMBER % {"value": _shown(value)})
        try:
            number = exact.quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:  # a huge number has no room for two decimals
            raise AverageError(_("„%(value)s” nu este între 1 și 10.") % {"value": _shown(value)}) from exc
        shown = format_average(number)
    else:
        text = "".join(str(value).split())
        if not text:
            return None
        match = _NUMBER_TEXT.fullmatch(text)
        if match is None:
            raise AverageError(_NOT_A_NUMBER % {"value": _shown(text)})
        if len(match.group(2) or "") > 2:
            raise AverageError(
                _("„%(value)s” are mai mult de două zecimale (de exemplu 8,67).") % {"value": _shown(text)}
            )
        number = Decimal(text.replace(",", ".")).quantize(CENT)
        shown = text
    if not MIN_AVERAGE <= number <= MAX_AVERAGE:
        raise AverageError(_("„%(value)s” nu este între 1 și 10.") % {"value": _shown(shown)})
    return number


def format_average(value: Mark | None) -> str:
    """A mark as the interface's language writes it: "8,50" in Romanian; a calificativ as its code ("FB")."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return number_format(value, 2)


def uses_qualifiers(grade: int) -> bool:
    """Whether a class of this grade is marked with calificative (primary school) rather than averages."""
    return 0 <= grade <= LAST_QUALITATIVE_GRADE


_QUALIFIER_WORDS = {
    **{fold(str(code)): str(code) for code in Qualifier.values},
    "foarte bine": Qualifier.VERY_GOOD.value,
    "bine": Qualifier.GOOD.value,
    "suficient": Qualifier.SUFFICIENT.value,
    "insuficient": Qualifier.INSUFFICIENT.value,
}


def parse_qualifier(value: object) -> str | None:
    """The calificativ in a cell ("FB", "fb", "Foarte bine"), or None when the cell is blank. Raises AverageError."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    code = _QUALIFIER_WORDS.get(fold(text).replace(".", ""))
    if code is None:
        raise AverageError(_("„%(value)s” nu este un calificativ: scrieți FB, B, S sau I.") % {"value": _shown(text)})
    return code


def parse_mark(value: object, *, qualitative: bool) -> Mark | None:
    """A calificativ in primary school, an average in gimnaziu; None when blank. Raises AverageError."""
    if qualitative:
        return parse_qualifier(value)
    try:
        return parse_average(value)
    except AverageError:
        if isinstance(value, str) and fold(value).replace(".", "") in _QUALIFIER_WORDS:
            raise AverageError(
                _("„%(value)s” este un calificativ; în această clasă se scrie media, între 1 și 10.")
                % {"value": _shown(value)}
            ) from None
        raise


def clean_subject(text: str) -> str:
    """A subject name as typed, with spaces tidied; raises AverageError when empty or too long."""
    name = " ".join(str(text).split())
    if not name:
        raise AverageError(_("Scrieți numele disciplinei."))
    if len(name) > SUBJECT_MAX_LENGTH:
        raise AverageError(
            _("Numele disciplinei are cel mult %(n)d caractere.") % {"n": SUBJECT_MAX_LENGTH},
        )
    return name


def default_subjects(*, level: str, grade: int, overrides: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The columns a class starts with: its grade's subjects, then "Purtare". Preschool groups get none."""
    if level == "preschool" or grade < 0:
        return []
    configured = (overrides or {}).get(level)
    if configured is not None:
        subjects = [clean_subject(name) for name in configured]
    else:
        subjects = [name for name, first, last in DEFAULT_SUBJECTS if first <= grade <= last]
    return merge_subjects(subjects, [CONDUCT_SUBJECT])


def merge_subjects(*groups: Iterable[str]) -> list[str]:
    """The columns of a grid: each group's subjects in order, the first spelling of each kept, duplicates
    (ignoring case and diacritics) dropped, and "Purtare" always last."""
    seen: dict[str, str] = {}
    for group in groups:
        for name in group:
            key = fold(name)
            if key and key not in seen:
                seen[key] = name
    conduct = seen.pop(fold(CONDUCT_SUBJECT), None)
    ordered = list(seen.values())
    if conduct is not None:
        ordered.append(CONDUCT_SUBJECT)
    return ordered


def canonical_subject(name: str, known: Iterable[str]) -> str:
    """The known spelling of a subject typed without diacritics or in another case, else the name itself."""
    key = fold(name)
    for candidate in known:
        if fold(candidate) == key:
            return candidate
    if key == fold(CONDUCT_SUBJECT):
        return CONDUCT_SUBJECT
    return name


def is_failing(value: Mark | None) -> bool:
    """Under 5, or the calificativ "Insuficient"."""
    if value is None or value == "":
        return False
    if isinstance(value, str):
        return value == Qualifier.INSUFFICIENT.value
    return value < PASS_MARK
