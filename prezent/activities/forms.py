"""Forms of activities, courses and the campaign. Lists of people are ticked from ids the view offers; anything
else is refused by the form (and again by the service)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.activities.models import Audience, CourseEnrolment, CourseKind
from prezent.activities.selectors import Candidate, SchoolLists, activity_types, campaign_kinds, trainer_choices
from prezent.schools.models import School

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
    type = forms.ModelChoiceField(label=_("Tipul activității"), queryset=activity_types())
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

    def __init__(self, *args: Any, lists: SchoolLists, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lists = lists
        self._set_choices("guardians", lists.guardian_ids | _ids(self.initial.get("guardians")))
        self._set_choices("teachers", lists.teacher_ids | _ids(self.initial.get("teachers")))
        self._set_choices("children", lists.child_ids | _ids(self.initial.get("children")))

    def _set_choices(self, name: str, ids: set[int]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, str(pk)) for pk in sorted(ids)]
        field.error_messages["invalid_choice"] = _("Alegeți doar persoane de pe listele școlii.")

    def clean_others(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["others"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (
            data.get("children") or data.get("guardians") or data.get("teachers") or data.get("others")
        ):
            raise forms.ValidationError(_("Bifați cel puțin un participant sau scrieți un nume."))
        return data


class CourseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipul cursului"), choices=CourseKind.choices)
    title = forms.CharField(label=_("Titlu"), max_length=200)
    trainer = forms.ModelChoiceField(label=_("Formator"), queryset=trainer_choices())
    schools = forms.ModelMultipleChoiceField(
        label=_("Școli"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(label=_("Început"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Sfârșit"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Locul"), max_length=200, required=False)
    hours = forms.IntegerField(label=_("Număr de ore"), min_value=0, max_value=500, initial=0)
    completion_percent = forms.IntegerField(
        label=_("Prag de absolvire (% din sesiuni)"), min_value=1, max_value=100, initial=80
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["schools"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = schools
        trainer = self.fields["trainer"]
        assert isinstance(trainer, forms.ModelChoiceField)
        trainer.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class CourseSettingsForm(forms.Form):
    start = forms.DateField(label=_("Început"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Sfârșit"), widget=DATE_WIDGET)
    completion_percent = forms.IntegerField(label=_("Prag de absolvire (% din sesiuni)"), min_value=1, max_value=100)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Data sesiunii"), widget=DATE_WIDGET, initial=timezone.localdate)
    topic = forms.CharField(label=_("Tema"), max_length=200)


class EnrolForm(PeopleMixin, forms.Form):
    people = forms.TypedMultipleChoiceField(label=_("Persoane de pe liste"), coerce=int, required=False)
    names = forms.CharField(
        label=_("Persoane din afara listelor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Câte un nume pe rând."),
    )

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(c.pk, c.name) for c in candidates]
        field.error_messages["invalid_choice"] = _("Alegeți doar persoane de pe listele școlilor cursului.")

    @property
    def ticked_people(self) -> set[int]:
        return self.ticked("people")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["names"] = [n.strip() for n in (data.get("names") or "").splitlines() if n.strip()]
        if not self.errors and not (data.get("people") or data["names"]):
            raise forms.ValidationError(_("Alegeți cel puțin o persoană sau scrieți un nume."))
        return data


class AttendanceForm(PeopleMixin, forms.Form):
    present = forms.TypedMultipleChoiceField(label=_("Prezenți"), coerce=int, required=False)

    def __init__(self, *args: Any, enrolments: list[CourseEnrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(e.pk, e.name) for e in enrolments]
        field.error_messages["invalid_choice"] = _("Alegeți doar participanți înscriși la curs.")

    @property
    def ticked_present(self) -> set[int]:
        return self.ticked("present")


class ScoresForm(forms.Form):
    """Two optional scores (0–100) per participant: before and after the course."""

    def __init__(self, *args: Any, enrolments: list[CourseEnrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for e in enrolments:
            for prefix, value in (("pre", e.pre_score), ("post", e.post_score)):
                self.fields[f"{prefix}_{e.pk}"] = forms.DecimalField(
                    label=_("scor inițial") if prefix == "pre" else _("scor final"),
                    required=False,
                    max_digits=5,
                    decimal_places=1,
                    validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
                    initial=value,
                )

    def rows(self) -> list[tuple[CourseEnrolment, forms.BoundField, forms.BoundField]]:
        return [(e, self[f"pre_{e.pk}"], self[f"post_{e.pk}"]) for e in self.enrolments]

    def scores(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        return {e.pk: (self.cleaned_data[f"pre_{e.pk}"], self.cleaned_data[f"post_{e.pk}"]) for e in self.enrolments}


class CampaignEventForm(PeopleMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Tipul acțiunii"), queryset=campaign_kinds())
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

    def __init__(self, *args: Any, lists: SchoolLists, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lists = lists
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
