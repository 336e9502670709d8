"""Validators every app shares."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls (tab, line feed, vertical tab and carriage return included), DEL and C1 controls, the bidirectional
# marks, embeddings, overrides and isolates, which make a name display otherwise than it is stored, and the
# invisible ones a copy from a document brings along (soft hyphen, zero-width space and joiners, line and paragraph
# separators, word joiner and invisible operators, byte order mark), which make two equal-looking names differ.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def control_character_position(text: str) -> int | None:
    """The position (from 1, as a person counts) of the first control or direction character in `text`, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else found.start() + 1


@deconstructible
class ControlCharacterValidator:
    """Refuses control and direction characters in single-line identity text (names). Multi-line notes do not use
    it: their line breaks are wanted, and a word processor pastes a vertical tab as one."""

    message = _(
        "Textul conține un caracter invizibil sau de control (poziția %(position)d): scrieți-l din nou fără el."
    )
    code = "control_character"

    def __call__(self, value: object) -> None:
        position = control_character_position(str(value))
        if position is not None:
            raise ValidationError(self.message, code=self.code, params={"position": position})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self) -> int:
        return hash(self.__class__)


refuse_control_characters = ControlCharacterValidator()
