from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.children.models import Child, OutOfSchool, Sex
from prezent.core.validators import refuse_control_characters
from prezent.schools.models import ClassGroup, Locality, School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OutsideFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Situație"), required=False, choices=[("", _("toate")), *OutOfSchool.Status.choices]
    )
    locality = forms.TypedChoiceField(label=_("Localitate"), required=False, coerce=int, empty_value=None)
    reason = forms.ChoiceField(
        label=_("Motiv"), required=False, choices=[("", _("toate")), *OutOfSchool.Reason.choices]
    )

    def __init__(self, *args, localities: list[Locality], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["locality"].choices = [("", _("toate"))] + [  # type: ignore[attr-defined]
            (loc.pk, f"{loc.name} ({loc.uat.name})" if loc.uat else loc.name) for loc in localities
        ]


class OutsideRecordForm(forms.Form):
    """The record for a child already in Prezent (who left school). The locality is picked by searching."""

    locality = forms.ModelChoiceField(
        label=_("Localitatea unde locuiește"),
        queryset=Locality.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Căutați și alegeți localitatea."),
            "invalid_choice": _("Alegeți o localitate din listă."),
        },
    )
    never_enrolled = forms.BooleanField(label=_("Nu a fost înscris niciodată la școală"), required=False)
    since = forms.DateField(label=_("În afara școlii din"), required=False, widget=DATE)
    reason = forms.ChoiceField(label=_("Motivul știut"), choices=OutOfSchool.Reason.choices)
    found_by = forms.CharField(
        label=_("Cine l-a găsit (persoana)"), required=False, max_length=150, validators=[refuse_control_characters]
    )
    note = forms.CharField(label=_("Observații"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recorded_on = forms.DateField(label=_("Data înregistrării"), widget=DATE)

    def __init__(self, *args, localities, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities  # type: ignore[attr-defined]

    def chosen_locality(self) -> Locality | None:
        """The locality picked (kept when the form is shown again), if it is one the user may choose."""
        if self.is_bound:
            value = self.data.get("locality")
        else:
            value = self.initial.get("locality")
            value = value.pk if isinstance(value, Locality) else value
        if not value or not str(value).isdigit():
            return None
        return self.fields["locality"].queryset.select_related("uat").filter(pk=value).first()  # type: ignore[attr-defined]


class OutsideChildForm(OutsideRecordForm):
    """A child not yet in Prezent, found outside school."""

    last_name = forms.CharField(label=_("Nume"), max_length=100, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=100, validators=[refuse_control_characters])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Data nașterii"), widget=DATE)
    cnp = forms.CharField(label=_("CNP (opțional)"), required=False, max_length=13)
    last_school = forms.ModelChoiceField(
        label=_("Ultima școală (dacă a fost înscris)"), queryset=School.objects.none(), required=False
    )
    sibling = forms.ModelChoiceField(
        label=_("Familia unui frate / unei surori"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("Am verificat: este alt copil decât cei de mai sus"), required=False
    )

    field_order = ["last_name", "first_name", "sex", "birth_date", "cnp"]

    def __init__(self, *args, localities, schools, siblings, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, localities=localities, **kwargs)
        self.fields["last_school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["sibling"].queryset = siblings  # type: ignore[attr-defined]

    def chosen_sibling(self) -> Child | None:
        value = self.data.get("sibling") if self.is_bound else None
        if not value or not str(value).isdigit():
            return None
        return self.fields["sibling"].queryset.filter(pk=value).first()  # type: ignore[attr-defined]


class ReenrolForm(forms.Form):
    class_group = forms.ModelChoiceField(label=_("Clasa (anul școlar curent)"), queryset=ClassGroup.objects.none())
    on = forms.DateField(label=_("Înscris din"), widget=DATE)

    def __init__(self, *args, classes, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["class_group"].queryset = classes  # type: ignore[attr-defined]
        self.fields["class_group"].label_from_instance = lambda c: f"{c} · {c.school.short_name or c.school.name}"  # type: ignore[attr-defined]


class OutsideCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Situația"),
        choices=[(s.value, s.label) for s in (OutOfSchool.Status.MOVED_AWAY, OutOfSchool.Status.ABOVE_AGE)],
    )
    on = forms.DateField(label=_("Din data"), widget=DATE)
