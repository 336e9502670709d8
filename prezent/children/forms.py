from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.children.models import Sex
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
