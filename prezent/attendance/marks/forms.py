"""The averages grid (one text cell per pupil and subject) and the spreadsheet upload."""

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.attendance.closed import ChangeReasonField
from prezent.attendance.marks.values import (
    MAX_SUBJECTS,
    SUBJECT_MAX_LENGTH,
    AverageError,
    Mark,
    canonical_subject,
    clean_subject,
    format_average,
    merge_subjects,
    parse_mark,
)
from prezent.children.models import Child
from prezent.core.text import fold


def subject_token(subject: str) -> str:
    """A field-name-safe token for a subject, the same whatever the column order (so a column added by someone
    else between showing the grid and saving it cannot shift a teacher's cells to another subject)."""
    return hashlib.blake2s(fold(subject).encode(), digest_size=5).hexdigest()


def subjects_from_post(values: Sequence[str]) -> list[str]:
    """The columns a posted grid had (hidden inputs), tidied; names that are empty or too long are dropped."""
    subjects: list[str] = []
    for value in values[: MAX_SUBJECTS * 2]:
        try:
            subjects.append(clean_subject(value))
        except AverageError:
            continue
    return subjects


class ResultsGridForm(forms.Form):
    """A text cell per pupil and subject ("8,50", "8.5" or blank) and a box to add a subject column.

    `cleaned_data["grid"]` maps (child id, subject) to the average or None (blank) for every cell shown.
    """

    new_subject = forms.CharField(
        label=gettext_lazy("Adaugă o disciplină"), required=False, max_length=SUBJECT_MAX_LENGTH
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        children: Sequence[Child],
        subjects: Sequence[str],
        existing: Mapping[tuple[int, str], Mark],
        qualitative: bool = False,
        needs_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        if needs_reason:
            self.fields["change_reason"] = ChangeReasonField()
        self.qualitative = qualitative
        self.children = list(children)
        self.subjects = list(subjects)
        self.existing = existing
        self.added_subject = ""
        wanted = str((data or {}).get("new_subject", "") or "").strip()
        if wanted:
            try:
                name = canonical_subject(clean_subject(wanted), self.subjects)
            except AverageError:
                pass  # clean_new_subject reports it
            else:
                merged = merge_subjects(self.subjects, [name])
                if len(merged) > len(self.subjects) and len(merged) <= MAX_SUBJECTS:
                    self.added_subject = name
                    self.subjects = merged
        for child in self.children:
            for subject in self.subjects:
                self.fields[self.cell_name(child.pk, subject)] = forms.CharField(
                    required=False,
                    initial=format_average(existing.get((child.pk, subject))),
                    label=f"{subject} — {child}",
                )

    @staticmethod
    def cell_name(child_id: int, subject: str) -> str:
        return f"c{child_id}_{subject_token(subject)}"

    def clean_new_subject(self) -> str:
        value = self.cleaned_data.get("new_subject", "")
        if not value:
            return ""
        try:
            clean_subject(value)
        except AverageError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not self.added_subject and fold(value) not in {fold(s) for s in self.subjects}:
            raise forms.ValidationError(_("Cel mult %(n)d discipline.") % {"n": MAX_SUBJECTS})
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        grid: dict[tuple[int, str], Mark | None] = {}
        for child in self.children:
            for subject in self.subjects:
                name = self.cell_name(child.pk, subject)
                try:
                    grid[(child.pk, subject)] = parse_mark(cleaned.get(name), qualitative=self.qualitative)
                except AverageError as exc:
                    self.add_error(name, str(exc))
        cleaned["grid"] = grid
        return cleaned

    @property
    def cell_error_count(self) -> int:
        return sum(1 for name in self.errors if name not in ("new_subject", "change_reason", NON_FIELD_ERRORS))

    def rows(self) -> list[tuple[Child, list[forms.BoundField]]]:
        return [(child, [self[self.cell_name(child.pk, s)] for s in self.subjects]) for child in self.children]


class ResultsImportForm(forms.Form):
    """The spreadsheet; its type, size and rows are checked by the import service."""

    file = forms.FileField(
        label=gettext_lazy("Fișier XLSX sau CSV (cel mult 2 MB)"),
        error_messages={
            "required": gettext_lazy("Alegeți fișierul cu medii."),
            "empty": gettext_lazy("Fișierul este gol."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["change_reason"] = ChangeReasonField()
