"""The upload of a previous year's absence totals."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from prezent.schools.models import SchoolYear


class TotalsImportForm(forms.Form):
    """The school year the totals belong to and the spreadsheet (checked by the import service)."""

    school_year = forms.ModelChoiceField(
        label=gettext_lazy("Anul școlar al absențelor"),
        queryset=SchoolYear.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Alegeți anul școlar."),
            "invalid_choice": gettext_lazy("Alegeți anul școlar din listă."),
        },
    )
    file = forms.FileField(
        label=gettext_lazy("Fișier XLSX sau CSV (cel mult 20 MB)"),
        error_messages={
            "required": gettext_lazy("Alegeți fișierul cu absențe."),
            "empty": gettext_lazy("Fișierul este gol."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, years: QuerySet[SchoolYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_year"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = years
