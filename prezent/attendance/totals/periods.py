"""Reading the cells of an absence-totals file: months, modules, hours and birth dates (pure, no database).

Each parser returns the value or raises `CellError` with the reason in Romanian.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from prezent.core.spreadsheets import cell_text
from prezent.core.text import fold

MAX_HOURS = 2000  # more than a school year's class hours: a typo, not a total

# Month names and the abbreviations seen in catalogues, folded (no diacritics, lower case).
_MONTHS = {
    1: ("ianuarie", "ian"),
    2: ("februarie", "feb", "febr"),
    3: ("martie", "mar", "mart"),
    4: ("aprilie", "apr"),
    5: ("mai",),
    6: ("iunie", "iun"),
    7: ("iulie", "iul"),
    8: ("august", "aug"),
    9: ("septembrie", "sep", "sept"),
    10: ("octombrie", "oct"),
    11: ("noiembrie", "noi", "nov"),
    12: ("decembrie", "dec"),
}
MONTH_BY_NAME = {name: number for number, names in _MONTHS.items() for name in names}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason, in Romanian."""


def _words(value: Any) -> list[str]:
    return re.sub(r"[^\w]+", " ", fold(cell_text(value))).split()


def month_of(value: Any, *, start: datetime.date, end: datetime.date) -> datetime.date:
    """The first day of the month a "Luna" cell names, within the school year [start, end].

    Accepted: a month name or abbreviation ("septembrie", "Sept.", "noiembrie 2025"), a number 1–12, or a date
    (a date cell, "2025-09", "09.2025", "01.09.2025", "2025-09-01"). A month without a year is the one inside the
    school year. A month outside the year is refused."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    year: int | None = None
    month: int | None = None
    if isinstance(value, datetime.date):
        year, month = value.year, value.month
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            month = int(value)
    else:
        words = _words(value)
        if not words:
            raise CellError(_("luna lipsește"))
        numbers = [int(w) for w in words if w.isdigit()]
        names = [MONTH_BY_NAME[w] for w in words if w in MONTH_BY_NAME]
        if any(not w.isdigit() and w not in MONTH_BY_NAME and w != "luna" for w in words):
            month = None
        elif len(names) == 1 and len(numbers) <= 1:
            month = names[0]
            year = numbers[0] if numbers else None
        elif not names and len(numbers) == 1:
            month = numbers[0]
        elif not names and len(numbers) == 2:
            big = [n for n in numbers if n > 31]
            if len(big) == 1:
                year = big[0]
                month = numbers[1] if numbers[0] == year else numbers[0]
        elif not names and len(numbers) == 3:
            if numbers[0] > 31:  # 2025-09-01
                year, month = numbers[0], numbers[1]
            elif numbers[2] > 31:  # 01.09.2025
                year, month = numbers[2], numbers[1]
    if month is None or not 1 <= month <= 12 or (year is not None and not 2000 <= year <= 2100):
        raise CellError(
            _("luna „%(value)s” nu se înțelege (scrieți de exemplu „septembrie” sau 9)") % {"value": cell_text(value)}
        )
    if year is None:
        year = start.year if month >= start.month else end.year
    first = datetime.date(year, month, 1)
    if not start.replace(day=1) <= first <= end:
        raise CellError(_("luna „%(value)s” nu este în anul școlar") % {"value": cell_text(value)})
    return first


def month_span(
    month: datetime.date, *, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The days of the month inside the school year [start, end]."""
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return max(month, start), min(following - datetime.timedelta(days=1), end)


def module_of(value: Any, *, numbers: frozenset[int]) -> int:
    """The module a "Modul" cell names: 1–5, "M2", "Modulul 3" or a Roman numeral, one the year has."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number: int | None = int(value)
    else:
        words = [w for w in _words(value) if w not in ("modul", "modulul", "m")]
        joined = "".join(words)
        if not joined:
            raise CellError(_("modulul lipsește"))
        if joined.startswith("m") and joined[1:].isdigit():
            joined = joined[1:]
        number = int(joined) if joined.isdigit() else _ROMAN.get(joined)
    if number is None:
        raise CellError(
            _("modulul „%(value)s” nu se înțelege (scrieți un număr de la 1 la 5)") % {"value": cell_text(value)}
        )
    if number not in numbers:
        raise CellError(_("modulul %(n)s nu este în anul școlar") % {"n": number})
    return number


def hours_of(value: Any, *, label: str, required: bool = False) -> int | None:
    """A number of class hours: a whole number from 0 up; blank is None (0 for the caller when not required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(_("„%(column)s” lipsește") % {"column": label})
        return None
    if isinstance(value, bool):
        raise CellError(_("„%(column)s” nu este un număr") % {"column": label})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise CellError(
            _("„%(column)s” nu este un număr: „%(value)s”") % {"column": label, "value": cell_text(value)}
        ) from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("„%(column)s” trebuie să fie un număr întreg de ore") % {"column": label})
    if number < 0:
        raise CellError(_("„%(column)s” nu poate fi negativ") % {"column": label})
    if number > MAX_HOURS:
        raise CellError(_("„%(column)s” are peste %(n)d ore") % {"column": label, "n": MAX_HOURS})
    return int(number)


def birth_date_of(value: Any) -> datetime.date:
    """A birth date: a date cell, "17.05.2016", "17/05/2016" or "2016-05-17"."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    numbers = [int(n) for n in re.findall(r"\d+", cell_text(value))]
    try:
        if len(numbers) == 3 and numbers[0] > 31:
            return datetime.date(numbers[0], numbers[1], numbers[2])
        if len(numbers) == 3:
            return datetime.date(numbers[2], numbers[1], numbers[0])
    except ValueError:
        pass
    raise CellError(_("data nașterii „%(value)s” nu se înțelege (scrieți zz.ll.aaaa)") % {"value": cell_text(value)})
