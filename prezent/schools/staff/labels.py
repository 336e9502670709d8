"""The words people write in a staff file: role names and class names, read without case or diacritics."""

import re

from prezent.accounts.models import Role
from prezent.core.spreadsheets import header_key

# A role as written in the file (by `header_key`: no case, diacritics or punctuation) → the role.
ROLE_WORDS: dict[str, str] = {
    "diriginte": Role.CLASS_TEACHER,
    "profesor diriginte": Role.CLASS_TEACHER,
    "profesor": Role.CLASS_TEACHER,
    "invatator": Role.CLASS_TEACHER,
    "invatatoare": Role.CLASS_TEACHER,
    "profesor invatamant primar": Role.CLASS_TEACHER,
    "profesor pentru invatamantul primar": Role.CLASS_TEACHER,
    "coordonator scoala": Role.SCHOOL_COORDINATOR,
    "coordonator scolar": Role.SCHOOL_COORDINATOR,
    "coordonator de scoala": Role.SCHOOL_COORDINATOR,
    "coordonator local": Role.SCHOOL_COORDINATOR,
    "mediator scolar": Role.SCHOOL_MEDIATOR,
    "mediator": Role.SCHOOL_MEDIATOR,
    "asistent social": Role.CASE_WORKER,
    "responsabil de caz": Role.CASE_WORKER,
    "responsabil caz": Role.CASE_WORKER,
    "psiholog": Role.CASE_WORKER,
    "formator": Role.TRAINER,
}

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
_PREFIXED = re.compile(r"^a (?P<grade>[ivx]+|\d{1,2}) ?a\b ?(?P<letter>[a-z]{0,3})$")
_PLAIN = re.compile(r"^(?P<grade>viii|vii|vi|iv|v|iii|ii|i|\d{1,2}) ?(?P<letter>[a-z]{0,3})$")
_PREPARATORY = re.compile(r"^(?:clasa )?pregatitoare ?(?P<letter>[a-z]{0,3})$")


def role_from_text(text: str) -> str | None:
    """The role a word of the file names ("învățătoare", "Profesor diriginte", "asistent social"), or None."""
    return ROLE_WORDS.get(header_key(text))


def class_from_text(text: str) -> tuple[int, str] | None:
    """(grade, letter) of a class as people write it — "a V-a B", "V B", "5B", "clasa a III-a A",
    "pregătitoare A" (grade 0) — or None. The letter is upper case; a class without a letter has ""."""
    key = header_key(text)
    key = re.sub(r"^clasa ", "", key)
    key = re.sub(r"(\d)([a-z])", r"\1 \2", key)
    found = _PREPARATORY.match(key)
    if found:
        return 0, found["letter"].upper()
    found = _PREFIXED.match(key) or _PLAIN.match(key)
    if not found:
        return None
    grade_text = found["grade"]
    grade = int(grade_text) if grade_text.isdigit() else ROMAN.get(grade_text)
    if grade is None or not 0 <= grade <= 12:
        return None
    return grade, found["letter"].upper()


def class_label(grade: int, letter: str) -> str:
    """A class as people say it: "a V-a B", "I A", "pregătitoare A", "grupa A" (the reverse of `class_from_text`)."""
    if grade < 0:
        name = "grupa"
    elif grade == 0:
        name = "pregătitoare"
    elif grade == 1:
        name = "I"
    else:
        roman = {value: key.upper() for key, value in ROMAN.items()}.get(grade, str(grade))
        name = f"a {roman}-a"
    return f"{name} {letter}".strip()
