import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.attendance.closed import ChangeReasonField
from prezent.attendance.models import ExcuseReason
from prezent.children.models import Child


class RegisterForm(forms.Form):
    """One checkbox and an hours field per enrolled child; one save for the whole class. On a closed year's
    register the school coordinator also writes the reason (`needs_reason`)."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        *args,
        children: list[Child],
        day_hours: int,
        absent: dict[int, int],
        needs_reason: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["change_reason"] = ChangeReasonField()
        self.children = children
        self.day_hours = day_hours
        self.fields["day_hours"] = forms.IntegerField(
            label=_("Ore de curs în această zi"), min_value=1, max_value=8, initial=day_hours
        )
        for child in children:
            self.fields[f"absent_{child.pk}"] = forms.BooleanField(
                required=False, initial=child.pk in absent, label=str(child)
            )
            self.fields[f"hours_{child.pk}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=8,
                initial=absent.get(child.pk),
                label=_("Ore absente: %(child)s") % {"child": child},
            )

    def rows(self) -> list[tuple[Child, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"absent_{c.pk}"], self[f"hours_{c.pk}"]) for c in self.children]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        day_hours = cleaned.get("day_hours") or self.day_hours
        absences: dict[int, int] = {}
        for child in self.children:
            if cleaned.get(f"absent_{child.pk}"):
                hours = cleaned.get(f"hours_{child.pk}") or day_hours
                if hours > day_hours:
                    self.add_error(
                        f"hours_{child.pk}",
                        _("Cel mult %(max)s ore (cât are ziua).") % {"max": day_hours},
                    )
                absences[child.pk] = hours
        cleaned["absences"] = absences
        return cleaned


class ExcuseForm(forms.Form):
    absence_ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Absențe"), choices=[])
    reason = forms.ChoiceField(label=_("Motiv"), choices=[("", "—"), *ExcuseReason.choices])
    document_date = forms.DateField(
        label=_("Data documentului"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, absence_choices: list[tuple[int, str]], needs_reason: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["change_reason"] = ChangeReasonField()
        self.fields["absence_ids"].choices = absence_choices  # type: ignore[attr-defined]
        self.fields["absence_ids"].error_messages["required"] = _("Alegeți cel puțin o absență.")

    def clean_document_date(self) -> datetime.date:
        value = self.cleaned_data["document_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Data documentului nu poate fi în viitor."))
        return value
