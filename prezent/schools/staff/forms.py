from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.accounts.models import Role
from prezent.schools.models import School
from prezent.schools.staff.permissions import GIVABLE_SCOPES
from prezent.schools.staff.selectors import schools_of_counties

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("Fișierul cu personalul (XLSX sau CSV)"))


class RoleGiveForm(forms.Form):
    """A role for a person: which, where (the county's schools, chosen by searching; or the whole county) and
    until when. The schools come as ids and are kept only if they are in the user's counties."""

    role = forms.ChoiceField(label=_("Rol"))
    county = forms.ChoiceField(label=_("Județ"))
    valid_until = forms.DateField(label=_("Valabil până la (opțional)"), required=False, widget=DATE)

    def __init__(self, *args: Any, counties: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counties = counties
        self.fields["role"].choices = [(role, Role(role).label) for role in GIVABLE_SCOPES]  # type: ignore[attr-defined]
        self.fields["county"].choices = [(code, code) for code in sorted(counties)]  # type: ignore[attr-defined]
        if len(counties) == 1:
            self.fields["county"].widget = forms.HiddenInput()
            self.fields["county"].initial = next(iter(counties))
        self.chosen_schools: list[School] = self._chosen()

    def _chosen(self) -> list[School]:
        ids: list[int] = []
        source = self.data if self.is_bound else self.initial
        raw = source.getlist("schools") if hasattr(source, "getlist") else source.get("schools", [])
        for value in raw:
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                continue
        return schools_of_counties(counties=self.counties, ids=ids) if ids else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, county = data.get("role"), data.get("county")
        if role and GIVABLE_SCOPES.get(role) == "schools":
            schools = [s for s in self.chosen_schools if s.county_code == county]
            if not schools:
                self.add_error(None, _("Căutați și bifați cel puțin o școală a județului."))
            data["schools"] = schools
        else:
            data["schools"] = []
        return data


class RoleExtendForm(forms.Form):
    valid_until = forms.DateField(label=_("Noua dată de sfârșit (goală: fără sfârșit)"), required=False, widget=DATE)
