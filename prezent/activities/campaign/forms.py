"""Forms of the information campaign: an event with its materials and people reached, and an evidence file."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.activities.forms import DATE_WIDGET, PeopleMixin
from prezent.activities.models import CampaignEventKind
from prezent.activities.selectors import SchoolLists, campaign_kinds


class CampaignEventForm(PeopleMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Tipul acțiunii"), queryset=CampaignEventKind.objects.none())
    date = forms.DateField(label=_("Data"), widget=DATE_WIDGET, initial=timezone.localdate)
    description = forms.CharField(label=_("Descriere"), max_length=300, required=False)
    reached_children = forms.IntegerField(label=_("Copii informați"), min_value=0, initial=0)
    reached_parents = forms.IntegerField(label=_("Părinți informați"), min_value=0, initial=0)
    reached_teachers = forms.IntegerField(label=_("Cadre didactice informate"), min_value=0, initial=0)
    reached_others = forms.IntegerField(label=_("Alte persoane informate"), min_value=0, initial=0)
    material_1 = forms.CharField(label=_("Material"), max_length=150, required=False)
    quantity_1 = forms.IntegerField(label=_("Cantitate"), min_value=1, required=False)
    material_2 = forms.CharField(label=_("Material"), max_length=150, required=False)
    quantity_2 = forms.IntegerField(label=_("Cantitate"), min_value=1, required=False)
    material_3 = forms.CharField(label=_("Material"), max_length=150, required=False)
    quantity_3 = forms.IntegerField(label=_("Cantitate"), min_value=1, required=False)
    guardians = forms.TypedMultipleChoiceField(label=_("Părinți prezenți (opțional)"), coerce=int, required=False)

    MATERIAL_ROWS = (1, 2, 3)

    def __init__(self, *args: Any, lists: SchoolLists, county_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lists = lists
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ModelChoiceField)
        kind_field.queryset = campaign_kinds(county_code=county_code)  # the school's county's catalogue
        field = self.fields["guardians"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, str(pk)) for pk in sorted(lists.guardian_ids)]
        field.error_messages["invalid_choice"] = _("Alegeți doar părinți de pe listele școlii.")

    def material_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"material_{i}"], self[f"quantity_{i}"]) for i in self.MATERIAL_ROWS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        materials = []
        for i in self.MATERIAL_ROWS:
            name, qty = data.get(f"material_{i}"), data.get(f"quantity_{i}")
            if name and not qty:
                self.add_error(f"quantity_{i}", _("Scrieți cantitatea."))
            elif qty and not name:
                self.add_error(f"material_{i}", _("Scrieți materialul."))
            elif name and qty:
                materials.append((name, qty))
        data["materials"] = materials
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Fotografie sau foaie de prezență scanată"),
        help_text=_("JPEG, PNG, WebP sau PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
