from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.children.models import (
    Child,
    Consent,
    Enrolment,
    EthnicityDeclaration,
    Guardian,
    Guardianship,
    Household,
    Sex,
)
from prezent.schools.models import ClassGroup


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Caută după nume"), required=False, max_length=100)


class ChildCreateForm(forms.Form):
    last_name = forms.CharField(label=_("Nume"), max_length=100)
    first_name = forms.CharField(label=_("Prenume"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Data nașterii"), widget=forms.DateInput(attrs={"type": "date"}))
    cnp = forms.CharField(label=_("CNP (opțional)"), required=False, max_length=13)
    class_group = forms.ModelChoiceField(label=_("Clasa"), queryset=ClassGroup.objects.none())
    start = forms.DateField(label=_("Înscris de la"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm_not_duplicate = forms.BooleanField(
        label=_("Am verificat: este alt copil decât cei de mai sus"), required=False
    )

    def __init__(self, *args, classes, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["class_group"].queryset = classes  # type: ignore[attr-defined]
        self.fields["class_group"].label_from_instance = lambda c: f"{c} · {c.school.short_name or c.school.name}"  # type: ignore[attr-defined]


class GuardianAddForm(forms.Form):
    last_name = forms.CharField(label=_("Nume"), max_length=100)
    first_name = forms.CharField(label=_("Prenume"), max_length=100)
    relationship = forms.ChoiceField(label=_("Relația cu copilul"), choices=Guardianship.Relationship.choices)
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False)
    is_primary_contact = forms.BooleanField(label=_("Contact principal"), required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Scop"), choices=Consent.Purpose.choices)
    legal_basis = forms.ChoiceField(label=_("Temei legal"), choices=Consent.LegalBasis.choices)
    given_on = forms.DateField(label=_("Data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    guardian = forms.ModelChoiceField(label=_("Dat de"), queryset=Guardian.objects.none(), required=False)

    def __init__(self, *args, child: Child, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = child.guardians.all()  # type: ignore[attr-defined]


class EnrolmentMoveForm(forms.Form):
    class_group = forms.ModelChoiceField(label=_("Clasa nouă"), queryset=ClassGroup.objects.none())
    on = forms.DateField(label=_("De la data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.ChoiceField(
        label=_("Motiv"),
        choices=[
            (Enrolment.EndReason.MOVED_CLASS, Enrolment.EndReason.MOVED_CLASS.label),
            (Enrolment.EndReason.MOVED_SCHOOL, Enrolment.EndReason.MOVED_SCHOOL.label),
        ],
    )

    def __init__(self, *args, classes, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["class_group"].queryset = classes  # type: ignore[attr-defined]
        self.fields["class_group"].label_from_instance = lambda c: f"{c} · {c.school.short_name or c.school.name}"  # type: ignore[attr-defined]


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "locality",
            "address",
            "members",
            "social_benefit",
            "single_parent",
            "parents_abroad",
            "parents_abroad_since",
            "distance_to_school_km",
            "no_identity_papers",
        ]
        widgets = {"parents_abroad_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, localities, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("parents_abroad") not in (None, "none") and not data.get("parents_abroad_since"):
            self.add_error("parents_abroad_since", _("Scrieți de când sunt plecați (sau de când s-au întors)."))
        return data


class EthnicityForm(forms.Form):
    ethnicity = forms.ChoiceField(label=_("Etnie declarată"), choices=EthnicityDeclaration.Ethnicity.choices)
    declared_on = forms.DateField(
        label=_("Declarată la"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    legal_basis = forms.ChoiceField(label=_("Temei legal"), choices=Consent.LegalBasis.choices)
