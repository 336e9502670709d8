"""Forms of activities and the catalogues, and what the courses' and the campaign's forms share. Lists of people are
ticked from ids the view offers; anything else is refused by the form (and again by the service)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.activities.models import ActivityType, Audience
from prezent.activities.selectors import SchoolLists, activity_types
from prezent.core.validators import control_character_position

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _ids(values: Any) -> set[int]:
    result = set()
    for value in values or ():
        try:
            result.add(int(value))
        except (TypeError, ValueError):
            continue
    return result


def names_per_line(text: str) -> list[str]:
    """The names typed one per line, stripped, empty lines left out. A name with a control or direction character
    (what a tab or a pasted line break leaves aside) is refused with its line, as names are everywhere."""
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        name = " ".join(line.split("\t")).strip()
        if not name:
            continue
        if control_character_position(name) is not None:
            raise ValidationError(
                _("Rândul %(line)d: numele conține un caracter invizibil sau de control; scrieți-l din nou fără el."),
                code="control_character",
                params={"line": number},
            )
        names.append(name)
    return names


class PeopleMixin:
    """Which boxes are ticked, from what was submitted (so a refused form keeps every tick) or from the initial."""

    def ticked(self, name: str) -> set[int]:
        form: Any = self
        if form.is_bound:
            return _ids(form.data.getlist(name))
        return _ids(form.initial.get(name))

    @property
    def ticked_children(self) -> set[int]:
        return self.ticked("children")

    @property
    def ticked_guardians(self) -> set[int]:
        return self.ticked("guardians")

    @property
    def ticked_teachers(self) -> set[int]:
        return self.ticked("teachers")

    @property
    def ticked_total(self) -> int:
        return len(self.ticked_children) + len(self.ticked_guardians) + len(self.ticked_teachers)


class ActivityForm(PeopleMixin, forms.Form):
    type = forms.ModelChoiceField(label=_("Tipul activității"), queryset=ActivityType.objects.none())
    title = forms.CharField(label=_("Titlu"), max_length=200)
    date = forms.DateField(label=_("Data"), widget=DATE_WIDGET, initial=timezone.localdate)
    start_time = forms.TimeField(
        label=_("Ora"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Locul"), max_length=200, required=False)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200)
    audience = forms.ChoiceField(label=_("Participanți"), choices=Audience.choices)
    notes = forms.CharField(label=_("Observații"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    children = forms.TypedMultipleChoiceField(label=_("Copii"), coerce=int, required=False)
    guardians = forms.TypedMultipleChoiceField(label=_("Părinți / tutori"), coerce=int, required=False)
    teachers = forms.TypedMultipleChoiceField(label=_("Cadre didactice"), coerce=int, required=False)
    others = forms.CharField(
        label=_("Alte persoane (din afara listelor)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Câte un nume pe rând."),
    )

    def __init__(self, *args: Any, lists: SchoolLists, county_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lists = lists
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = activity_types(county_code=county_code)  # the school's county's catalogue
        self._set_choices("guardians", lists.guardian_ids | _ids(self.initial.get("guardians")))
        self._set_choices("teachers", lists.teacher_ids | _ids(self.initial.get("teachers")))
        self._set_choices("children", lists.child_ids | _ids(self.initial.get("children")))

    def _set_choices(self, name: str, ids: set[int]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, str(pk)) for pk in sorted(ids)]
        field.error_messages["invalid_choice"] = _("Alegeți doar persoane de pe listele școlii.")

    def clean_others(self) -> list[str]:
        return names_per_line(self.cleaned_data["others"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (
            data.get("children") or data.get("guardians") or data.get("teachers") or data.get("others")
        ):
            raise forms.ValidationError(_("Bifați cel puțin un participant sau scrieți un nume."))
        return data


class ActivityTypeForm(forms.Form):
    code = forms.SlugField(label=_("Cod"), max_length=40)
    name = forms.CharField(label=_("Denumire"), max_length=150)
    audience = forms.ChoiceField(label=_("Public obișnuit"), choices=Audience.choices)
    order = forms.IntegerField(label=_("Ordine"), min_value=0, max_value=999, initial=50)
    active = forms.BooleanField(label=_("În uz"), required=False, initial=True)


class CampaignKindForm(forms.Form):
    code = forms.SlugField(label=_("Cod"), max_length=40)
    name = forms.CharField(label=_("Denumire"), max_length=150)
    order = forms.IntegerField(label=_("Ordine"), min_value=0, max_value=999, initial=50)
    active = forms.BooleanField(label=_("În uz"), required=False, initial=True)
