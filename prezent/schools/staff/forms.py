from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.accounts.models import Role
from prezent.core.validators import refuse_control_characters
from prezent.schools.models import ClassGroup, School, SchoolYear
from prezent.schools.staff.permissions import GIVABLE_SCOPES
from prezent.schools.staff.selectors import class_options, schools_of_counties

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("Fișierul cu personalul (XLSX sau CSV)"))


def _class_choices(options: list[tuple[School, list[ClassGroup]]]) -> list[Any]:
    """The classes by school, each "a V-a B", with its teacher today if it has one."""
    choices: list[Any] = [("", _("— alegeți clasa —"))]
    for school, groups in options:
        labels = []
        for group in groups:
            label = group.label  # type: ignore[attr-defined]
            if group.teacher is not None:
                label = f"{label} ({_('acum')}: {group.teacher.last_name} {group.teacher.first_name})"
            labels.append((str(group.pk), label))
        choices.append((f"{school.name} · {school.siiir_code}", labels))
    return choices


def _class_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Clasa (pentru diriginte sau învățător, anul școlar în curs)"), required=False)


class RoleGiveForm(forms.Form):
    """A role for a person: which, where (the county's schools, chosen by searching; or the whole county) and
    until when; a class teacher may get a class of the chosen schools this school year. The schools come as ids
    and are kept only if they are in the user's counties; the class only if it is one of theirs."""

    role = forms.ChoiceField(label=_("Rol"))
    county = forms.ChoiceField(label=_("Județ"))
    class_group = _class_field()
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
        options = class_options(schools=self.chosen_schools)
        self.class_groups = {group.pk: group for _school, groups in options for group in groups}
        self.fields["class_group"].choices = _class_choices(options)  # type: ignore[attr-defined]

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
        group = None
        if role == Role.CLASS_TEACHER and data.get("class_group"):
            group = self.class_groups.get(int(data["class_group"]))
            if group is None or group.school_id not in {s.pk for s in data["schools"]}:
                self.add_error("class_group", _("Alegeți o clasă a uneia dintre școlile bifate."))
                group = None
        data["class_group"] = group
        return data


class PersonAddForm(RoleGiveForm):
    """A new person and their first role."""

    last_name = forms.CharField(label=_("Nume"), max_length=150, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=150, validators=[refuse_control_characters])
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Telefon (opțional)"), max_length=20, required=False)

    field_order = ["last_name", "first_name", "email", "phone", "role", "county", "class_group", "valid_until"]

    def clean_email(self) -> str:
        return "".join(str(self.cleaned_data["email"]).split()).lower()


class ClassTeacherForm(forms.Form):
    """The class a person who holds the class-teacher role is given: a class of their role's schools this school
    year."""

    class_group = _class_field()

    def __init__(
        self, *args: Any, schools: list[School], years: dict[str, SchoolYear] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "id_set_%s")
        super().__init__(*args, **kwargs)
        options = class_options(schools=schools, years=years)
        self.class_groups = {group.pk: group for _school, groups in options for group in groups}
        self.fields["class_group"].required = True
        self.fields["class_group"].label = _("Clasa")
        self.fields["class_group"].choices = _class_choices(options)  # type: ignore[attr-defined]

    def clean_class_group(self) -> ClassGroup:
        return self.class_groups[int(self.cleaned_data["class_group"])]


class RoleExtendForm(forms.Form):
    valid_until = forms.DateField(label=_("Noua dată de sfârșit (goală: fără sfârșit)"), required=False, widget=DATE)
