from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from prezent.risk.models import Indicator, Operator


class CriterionForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    operator = forms.ChoiceField(label=_("Operator"), choices=Operator.choices)
    threshold = forms.DecimalField(label=_("Prag"), max_digits=7, decimal_places=2, localize=True)
    points = forms.IntegerField(label=_("Puncte"), min_value=1, max_value=20)

    def has_changed(self) -> bool:
        """The empty row for a new criterion always submits its two selects; it counts as filled in only when
        a threshold or points were typed, so saving the table does not demand it."""
        return bool(self.data.get(self.add_prefix("threshold")) or self.data.get(self.add_prefix("points")))


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Un set de reguli are cel puțin un criteriu."))


CriterionFormSet = formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True)


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Denumire"), max_length=200)
    low_from = forms.IntegerField(label=_("Risc scăzut de la (puncte)"), min_value=1)
    medium_from = forms.IntegerField(label=_("Risc mediu de la (puncte)"), min_value=1)
    high_from = forms.IntegerField(label=_("Risc ridicat de la (puncte)"), min_value=1)
    note = forms.CharField(label=_("Ce ați schimbat și de ce"), max_length=300)

    def clean(self) -> dict:
        data = super().clean() or {}
        low, medium, high = data.get("low_from"), data.get("medium_from"), data.get("high_from")
        if low and medium and high and not low <= medium <= high:
            raise forms.ValidationError(_("Pragurile trebuie să crească: scăzut ≤ mediu ≤ ridicat."))
        return data
