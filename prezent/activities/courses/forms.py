"""Forms of the training courses: a new course, its settings, a session, enrolment, attendance and scores."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.activities.courses.selectors import Candidate, trainer_choices
from prezent.activities.forms import DATE_WIDGET, PeopleMixin, names_per_line
from prezent.activities.models import CourseEnrolment, CourseKind
from prezent.schools.models import School


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

    def clean_names(self) -> list[str]:
        return names_per_line(self.cleaned_data["names"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("people") or data.get("names")):
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


class TraineeListForm(forms.Form):
    file = forms.FileField(
        label=_("Lista de cursanți (XLSX sau CSV, cel mult 2 MB)"),
        error_messages={"required": _("Alegeți fișierul cu lista de cursanți."), "empty": _("Fișierul este gol.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
