"""The rules a closed school year's register shares between its forms and its services: the reason the school
coordinator gives for a change, and what the pages say. Whether a year is closed, and who may still write, is in
`permissions.py` (`register_closed`, `can_write_closed_register`)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.schools.models import SchoolYear

CHANGE_REASON_MIN_LENGTH = 5
CHANGE_REASON_MAX_LENGTH = 500


def change_reason_clean(value: str) -> str:
    """The reason for changing a closed year's register, tidied, or ValidationError: at least a few characters,
    at most 500, on one line, no control characters."""
    reason = (value or "").replace("\xa0", " ").strip()
    if not reason.isprintable():
        raise ValidationError(_("Motivul conține caractere nepermise (de exemplu rânduri noi sau tabulatori)."))
    if len(reason) < CHANGE_REASON_MIN_LENGTH:
        raise ValidationError(
            _("Scrieți motivul modificării (cel puțin %(n)s caractere).") % {"n": CHANGE_REASON_MIN_LENGTH}
        )
    if len(reason) > CHANGE_REASON_MAX_LENGTH:
        raise ValidationError(
            _("Motivul are cel mult %(n)s caractere.") % {"n": CHANGE_REASON_MAX_LENGTH},
        )
    return reason


def year_label(school_year: SchoolYear) -> str:
    """A school year as the catalogue writes it: "2025–2026", with an en dash."""
    return school_year.name.replace("-", "–")


def closed_year_message(school_year: SchoolYear) -> str:
    """What a person who may not write a closed year's register is told, on the page and on a refused save."""
    return _("Anul școlar %(year)s s-a încheiat: catalogul se poate doar citi.") % {"year": year_label(school_year)}


def closed_year_coordinator_message(school_year: SchoolYear) -> str:
    """What the school coordinator is told on a closed year's register."""
    return _(
        "Anul școlar %(year)s s-a încheiat: catalogul se poate doar citi. Ca coordonator școlar îl puteți corecta, "
        "dar fiecare modificare are nevoie de un motiv, păstrat în jurnalul de audit."
    ) % {"year": year_label(school_year)}


class ChangeReasonField(forms.CharField):
    """The school coordinator's reason for changing a closed year's register: required, checked as the service
    checks it (`change_reason_clean`), what was typed kept when the form comes back with an error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Motivul modificării"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Anul școlar s-a încheiat: scrieți de ce se modifică (cel puțin 5 caractere). Nu scrieți numele "
                "elevilor: motivul rămâne în jurnalul de audit."
            ),
        )
        kwargs.setdefault("max_length", CHANGE_REASON_MAX_LENGTH)
        kwargs.setdefault("strip", False)
        kwargs.setdefault(
            "error_messages",
            {"required": gettext_lazy("Anul școlar s-a încheiat: scrieți motivul modificării.")},
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return change_reason_clean(text) if text else text
