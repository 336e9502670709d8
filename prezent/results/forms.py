import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.schools.models import SchoolYear


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Denumire"), max_length=120)
    start = forms.DateField(label=_("Început"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sfârșit"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Sfârșitul perioadei nu poate fi înaintea începutului."))
        return data


class TargetForm(forms.Form):
    value = forms.DecimalField(label=_("Ținta nouă"), min_value=0, max_digits=10, decimal_places=2)
    set_on = forms.DateField(label=_("Stabilită la"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motivul revizuirii"), max_length=300)


class FrameworkForm(forms.Form):
    baseline_year = forms.ModelChoiceField(
        label=_("Anul școlar de referință"),
        queryset=SchoolYear.objects.none(),
        help_text=_(
            "Prezența și orele nemotivate ale copiilor se compară cu acest an (de obicei anul dinaintea programului "
            "sau primul său an, în care au fost identificați copiii)."
        ),
    )

    def __init__(self, *args: object, county_code: str, before: "datetime.date", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["baseline_year"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = SchoolYear.objects.filter(county_code=county_code, start__lt=before).order_by("-start")
