import itertools
from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from prezent.schools.models import Module, NonSchoolDay, SchoolYear

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BaseModuleFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        spans = sorted(
            (f.cleaned_data["start"], f.cleaned_data["end"], f.cleaned_data["number"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        year = self.instance
        for start, end, number in spans:
            if end < start:
                raise forms.ValidationError(_("Modulul %(n)s se termină înainte să înceapă.") % {"n": number})
            if start < year.start or end > year.end:
                raise forms.ValidationError(_("Modulul %(n)s iese din anul școlar.") % {"n": number})
        for (_s1, end1, n1), (start2, _e2, n2) in itertools.pairwise(spans):
            if start2 <= end1:
                raise forms.ValidationError(_("Modulele %(a)s și %(b)s se suprapun.") % {"a": n1, "b": n2})


ModuleFormSet: type[BaseInlineFormSet] = inlineformset_factory(
    SchoolYear,
    Module,
    formset=BaseModuleFormSet,
    fields=["number", "start", "end"],
    widgets={"start": DATE, "end": DATE},
    extra=0,
    min_num=5,
    max_num=5,
    validate_min=True,
    validate_max=True,
    can_delete=False,
)
NonSchoolDayFormSet: type[BaseInlineFormSet] = inlineformset_factory(
    SchoolYear, NonSchoolDay, fields=["date", "reason"], widgets={"date": DATE}, extra=2, can_delete=True
)


class NetworkUploadForm(forms.Form):
    """The Ministry's school-network export and, for a coordinator of several counties, the county to load."""

    county = forms.ChoiceField(label=_("Județul"))
    file = forms.FileField(
        label=_("Fișierul „Export complet rețea școlară” (XLSX sau CSV)"),
        error_messages={"required": _("Alegeți fișierul rețelei școlare."), "empty": _("Fișierul este gol.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, counties: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(code, code) for code in counties]  # type: ignore[attr-defined]
        if len(counties) == 1:
            self.fields["county"].initial = counties[0]
            self.fields["county"].widget = forms.HiddenInput()


class SchoolYearAssumptionsForm(forms.Form):
    """What is still to be confirmed in the calendar: the coordinator empties it once the dates are checked."""

    assumptions = forms.CharField(
        label=_("Date presupuse, de confirmat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce nu este încă publicat oficial în acest calendar. Goliți câmpul după ce l-ați verificat."),
    )
