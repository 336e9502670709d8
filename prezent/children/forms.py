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
    RectificationReason,
    Sex,
)
from prezent.core.validators import refuse_control_characters
from prezent.schools.models import ClassGroup


class ChildSearchForm(forms.Form):
    q = forms.CharField(label=_("Caută după nume"), required=False, max_length=100)


class ChildCreateForm(forms.Form):
    last_name = forms.CharField(label=_("Nume"), max_length=100, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=100, validators=[refuse_control_characters])
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
    last_name = forms.CharField(label=_("Nume"), max_length=100, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=100, validators=[refuse_control_characters])
    relationship = forms.ChoiceField(label=_("Relația cu copilul"), choices=Guardianship.Relationship.choices)
    phone = forms.CharField(label=_("Telefon"), max_length=20, required=False)
    is_primary_contact = forms.BooleanField(label=_("Contact principal"), required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Scop"), choices=Consent.Purpose.choices)
    legal_basis = forms.ChoiceField(label=_("Temei legal"), choices=Consent.LegalBasis.choices)
    given_on = forms.DateField(label=_("Data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    guardian = forms.ModelChoiceField(label=_("Dat de"), queryset=Guardian.objects.none(), required=False)

    def __init__(self, *args, child: Child, with_ethnicity: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """`with_ethnicity`: the purpose "ethnicity declaration" is offered only to who may see the child's
        ethnicity (`can_edit_child_ethnicity`)."""
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = child.guardians.all()  # type: ignore[attr-defined]
        if not with_ethnicity:
            self.fields["purpose"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Consent.Purpose.choices if value != Consent.Purpose.ETHNICITY
            ]


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


class ChildEditForm(forms.Form):
    """A child's identity as the service `child_update` changes it. The CNP is never put back in the page: the
    field is for a new one (the current one is shown masked), and appears only for roles that may see CNPs."""

    last_name = forms.CharField(label=_("Nume"), max_length=100, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=100, validators=[refuse_control_characters])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(
        label=_("Data nașterii"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    works = forms.BooleanField(label=_("Copilul muncește"), required=False)
    cnp = forms.CharField(
        label=_("CNP nou"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    cnp_remove = forms.BooleanField(label=_("Șterge CNP-ul înregistrat"), required=False)
    reason = forms.ChoiceField(
        label=_("Motivul corectării"), choices=[("", "—"), *RectificationReason.choices], required=True
    )

    def __init__(self, *args, child: Child, with_cnp: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["initial"] = {
            "last_name": child.last_name,
            "first_name": child.first_name,
            "sex": child.sex,
            "birth_date": child.birth_date,
            "works": child.works,
        }
        super().__init__(*args, **kwargs)
        if not with_cnp:
            del self.fields["cnp"], self.fields["cnp_remove"]
            return
        if child.cnp:
            self.fields["cnp"].help_text = _("Cel înregistrat: %(masked)s. Lăsați gol ca să rămână neschimbat.") % {
                "masked": child.masked_cnp
            }
        else:
            self.fields["cnp"].label = _("CNP (opțional)")
            self.fields["cnp"].help_text = _("Copilul nu are încă un CNP înregistrat.")
            del self.fields["cnp_remove"]

    def clean_cnp(self) -> str:
        return "".join(self.cleaned_data["cnp"].split())

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("cnp") and data.get("cnp_remove"):
            self.add_error("cnp", _("Scrieți un CNP nou sau bifați ștergerea, nu amândouă."))
        return data

    @property
    def changed_details(self) -> bool:
        """Whether anything but the reason differs from the stored record."""
        return any(name != "reason" for name in self.changed_data)

    def changes(self) -> dict[str, object]:
        """The fields for `child_update`: the CNP only when a new one was typed or its removal ticked."""
        data = self.cleaned_data
        fields: dict[str, object] = {
            name: data[name] for name in ("last_name", "first_name", "sex", "birth_date", "works")
        }
        if data.get("cnp"):
            fields["cnp"] = data["cnp"]
        elif data.get("cnp_remove"):
            fields["cnp"] = ""
        return fields


class ConsentWithdrawForm(forms.Form):
    on = forms.DateField(
        label=_("Data retragerii"),
        help_text=_("Ziua în care părintele și-a retras consimțământul."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class GuardianEditForm(forms.Form):
    """Correcting a guardian's name, phone and relation to the child, with the reason (GDPR art. 16)."""

    last_name = forms.CharField(label=_("Nume"), max_length=100, validators=[refuse_control_characters])
    first_name = forms.CharField(label=_("Prenume"), max_length=100, validators=[refuse_control_characters])
    relationship = forms.ChoiceField(label=_("Relația cu copilul"), choices=Guardianship.Relationship.choices)
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=20,
        required=False,
        help_text=_("Un număr nou trebuie verificat din nou înainte de un SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    reason = forms.ChoiceField(
        label=_("Motivul corectării"), choices=[("", "—"), *RectificationReason.choices], required=True
    )

    def __init__(self, *args, guardianship: Guardianship, **kwargs) -> None:  # type: ignore[no-untyped-def]
        guardian = guardianship.guardian
        kwargs["initial"] = {
            "last_name": guardian.last_name,
            "first_name": guardian.first_name,
            "relationship": guardianship.relationship,
            "phone": guardian.phone,
        }
        super().__init__(*args, **kwargs)
