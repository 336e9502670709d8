from django import forms
from django.utils.translation import gettext_lazy as _


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
