import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.programme.models import ScreeningDecision, ScreeningLevel
from prezent.schools.models import School

FLAGGED = "flagged"


class ScreeningRunForm(forms.Form):
    all_schools = forms.BooleanField(label=_("Toate școlile programului"), required=False, initial=True)
    schools = forms.ModelMultipleChoiceField(
        label=_("Sau doar școlile alese"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    run_on = forms.DateField(
        label=_("Evaluare la data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    threshold_level = forms.ChoiceField(
        label=_("Propune copiii de la nivelul"), choices=ScreeningLevel.choices, initial=ScreeningLevel.MEDIUM
    )
    delegate_to_schools = forms.BooleanField(
        label=_("Coordonatorii școlari pot confirma sau respinge propunerile școlii lor"), required=False, initial=True
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools  # type: ignore[attr-defined]
        self.fields["run_on"].initial = timezone.localdate()

    def clean_run_on(self) -> datetime.date:
        run_on: datetime.date = self.cleaned_data["run_on"]
        if run_on > timezone.localdate():
            raise forms.ValidationError(_("Evaluarea nu poate fi făcută pentru o dată viitoare."))
        return run_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("all_schools"):
            cleaned["schools"] = list(self.fields["schools"].queryset)  # type: ignore[attr-defined]
        elif not cleaned.get("schools"):
            self.add_error("schools", _("Alegeți cel puțin o școală sau bifați „Toate școlile programului”."))
        return cleaned


class ScreeningDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ScreeningDecision.CONFIRMED, _("Confirmă")),
            (ScreeningDecision.DISMISSED, _("Respinge")),
        ]
    )
    reason = forms.CharField(label=_("Motiv"), max_length=300, error_messages={"required": _("Scrieți motivul.")})


class ScreeningFilterForm(forms.Form):
    scoala = forms.TypedChoiceField(label=_("Școala"), required=False, coerce=int, empty_value=None)
    decizie = forms.ChoiceField(label=_("Decizia"), required=False)

    def __init__(self, *args: Any, schools: Sequence[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scoala"].choices = [("", _("toate școlile")), *((s.pk, s.name) for s in schools)]  # type: ignore[attr-defined]
        self.fields["decizie"].choices = [*ScreeningDecision.choices, (FLAGGED, _("toți cei peste prag"))]  # type: ignore[attr-defined]
