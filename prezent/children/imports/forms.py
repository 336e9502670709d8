"""The upload of a SIIIR export and the choice of its columns."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.children.imports.columns import FIELDS, ColumnMap
from prezent.schools.models import SchoolYear


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.county_code})"


class PupilUploadForm(forms.Form):
    year = YearChoiceField(queryset=SchoolYear.objects.none(), label=gettext_lazy("Anul școlar"), empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("Exportul SIIIR (.xlsx sau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, years: QuerySet[SchoolYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = years


def _column_name(index: int) -> str:
    """A spreadsheet column's letters (0 → A, 26 → AA)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


class ColumnMapForm(forms.Form):
    """A select per field, listing the file's columns ("C: Prenume"); "—" when the file has no such column."""

    def __init__(self, *args: Any, header: Sequence[str], mapping: ColumnMap, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— nu există în fișier —"))] + [
            (str(index), f"{_column_name(index)}: {text or _('(fără nume)')}") for index, text in enumerate(header)
        ]
        for spec in FIELDS:
            index = mapping.get(spec.key)
            self.fields[spec.key] = forms.ChoiceField(
                label=spec.label,
                choices=choices,
                required=spec.required,
                initial="" if index is None else str(index),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [value for key, value in cleaned.items() if key in {f.key for f in FIELDS} and value]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Aceeași coloană este aleasă pentru două câmpuri."))
        return cleaned

    def mapping(self) -> ColumnMap:
        return {
            spec.key: int(self.cleaned_data[spec.key]) if self.cleaned_data.get(spec.key) else None for spec in FIELDS
        }
