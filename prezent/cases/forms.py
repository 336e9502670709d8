"""Forms of casework. They parse and check the shape of the input; the services apply the rules."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prezent.accounts.models import User
from prezent.cases.models import (
    HANDOVER_REASONS,
    ClosureReason,
    Confidentiality,
    Domain,
    InterventionType,
    NeedLevel,
    Recipient,
    Referral,
    RemovalReason,
    RiskFactor,
)
from prezent.children.models import Consent
from prezent.risk.models import Alert

PLAN_SERVICE_ROWS = 5


def date_field(
    label: Any, *, required: bool = True, initial: Any = timezone.localdate, help_text: Any = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CaseOpenForm(forms.Form):
    opened_on = date_field(_("Data deschiderii"))
    case_worker: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Responsabil de caz"), queryset=User.objects.none(), required=False
    )
    legal_basis = forms.ChoiceField(
        label=_("Temei legal"),
        choices=Consent.LegalBasis.choices,
        initial=Consent.LegalBasis.CONSENT,
        help_text=_("De regulă consimțământul părintelui, înregistrat pe pagina copilului."),
    )
    legal_basis_note = forms.CharField(
        label=_("Justificare (fără consimțământ)"), max_length=300, required=False, widget=text_area(2)
    )

    def __init__(self, *args: Any, case_workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case_worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case_workers


class AssessmentForm(forms.Form):
    """A need level and a note for every domain, the risk factors and the conclusions."""

    assessed_on = date_field(_("Data evaluării"))
    risk_factors = forms.MultipleChoiceField(
        label=_("Factori de risc"), choices=RiskFactor.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("Concluzii"), max_length=3000, required=False, widget=text_area(4))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain, label in Domain.choices:
            self.fields[f"level_{domain}"] = forms.TypedChoiceField(
                label=label, choices=NeedLevel.choices, coerce=int, initial=NeedLevel.NONE
            )
            self.fields[f"note_{domain}"] = forms.CharField(
                label=_("Observații"), max_length=1000, required=False, widget=text_area(2)
            )

    def domain_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"level_{d}"], self[f"note_{d}"]) for d in Domain.values]

    def needs(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {d: (data[f"level_{d}"], data.get(f"note_{d}", "")) for d in Domain.values}


class PlanForm(forms.Form):
    """The goals, the review interval and up to five planned services (type, responsible, target date)."""

    drawn_up_on = date_field(_("Data planului"))
    goals = forms.CharField(label=_("Obiective"), max_length=3000, widget=text_area(4))
    review_every_months = forms.IntegerField(
        label=_("Revizuire la fiecare (luni)"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(PLAN_SERVICE_ROWS):
            self.fields[f"s{i}_type"] = forms.ModelChoiceField(
                label=_("Serviciu"), queryset=types, required=False, empty_label="—"
            )
            self.fields[f"s{i}_responsible"] = forms.CharField(label=_("Responsabil"), max_length=150, required=False)
            self.fields[f"s{i}_target_date"] = date_field(_("Termen"), required=False, initial=None)

    def service_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"s{i}_type"], self[f"s{i}_responsible"], self[f"s{i}_target_date"]) for i in range(PLAN_SERVICE_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(PLAN_SERVICE_ROWS):
            kind, who, when = data.get(f"s{i}_type"), data.get(f"s{i}_responsible"), data.get(f"s{i}_target_date")
            if kind and (not who or not when):
                self.add_error(f"s{i}_type", _("Completați responsabilul și termenul acestui serviciu."))
            elif not kind and (who or when):
                self.add_error(f"s{i}_type", _("Alegeți serviciul."))
        return data

    def services(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "type": data[f"s{i}_type"],
                "responsible": data[f"s{i}_responsible"],
                "target_date": data[f"s{i}_target_date"],
            }
            for i in range(PLAN_SERVICE_ROWS)
            if data.get(f"s{i}_type")
        ]


class PlanReviewForm(forms.Form):
    reviewed_on = date_field(_("Data revizuirii"))
    notes = forms.CharField(label=_("Concluziile revizuirii"), max_length=3000, widget=text_area(3))
    next_review_on = date_field(_("Următoarea revizuire"), required=False, initial=None)


class InterventionForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Intervenția"), queryset=InterventionType.objects.none())
    delivered_on = date_field(_("Data"))
    recipient = forms.ChoiceField(label=_("Beneficiar"), choices=Recipient.choices)
    # Any whole number is accepted here so that the service gives the one clear message about negative quantities.
    quantity = forms.IntegerField(
        label=_("Cantitate (ajutor material)"), required=False, help_text=_("De exemplu 20 de mese, 1 pachet.")
    )
    notes = forms.CharField(label=_("Observații"), max_length=1000, required=False, widget=text_area(2))

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = types


class InterventionRemoveForm(forms.Form):
    reason = forms.ChoiceField(label=_("De ce se anulează"), choices=RemovalReason.choices)


class VisitForm(forms.Form):
    """A visit made (date and outcome), or a visit to plan (only the planned date)."""

    planned_on = date_field(_("Planificată pentru"), required=False, initial=None)
    visited_on = date_field(_("Efectuată la"), required=False, initial=None)
    outcome = forms.CharField(label=_("Rezultatul vizitei"), max_length=3000, required=False, widget=text_area(3))
    parent_reached = forms.BooleanField(label=_("Părintele a fost găsit acasă"), required=False, initial=True)
    alert = forms.ModelChoiceField(
        label=_("Răspunde alertei"), queryset=Alert.objects.none(), required=False, empty_label=_("— niciuna —")
    )

    def __init__(self, *args: Any, alerts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["alert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = alerts
        field.label_from_instance = alert_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("planned_on") and not data.get("visited_on"):
            raise forms.ValidationError(_("Scrieți data vizitei efectuate sau data la care o planificați."))
        if data.get("visited_on") and not (data.get("outcome") or "").strip():
            self.add_error("outcome", _("Scrieți pe scurt rezultatul vizitei."))
        return data


def alert_label(alert: Alert) -> str:
    return f"{alert.step.name} · {alert.opened_on:%d.%m.%Y}"


class VisitDoneForm(forms.Form):
    visited_on = date_field(_("Efectuată la"))
    outcome = forms.CharField(label=_("Rezultatul vizitei"), max_length=3000, widget=text_area(3))
    parent_reached = forms.BooleanField(label=_("Părintele a fost găsit acasă"), required=False, initial=True)


class ReferralForm(forms.Form):
    institution = forms.ChoiceField(
        label=_("Instituția"),
        choices=[(v, label) for v, label in Referral.Institution.choices if v != Referral.Institution.SCHOOL],
    )
    institution_name = forms.CharField(label=_("Denumirea instituției"), max_length=200)
    sent_on = date_field(_("Trimisă la"))
    due_on = date_field(
        _("Termen de răspuns"),
        required=False,
        initial=None,
        help_text=_("Gol: 30 de zile de la trimitere."),
    )
    reason = forms.CharField(label=_("Motivul sesizării"), max_length=2000, widget=text_area(3))


class ReferralDueForm(forms.Form):
    due_on = date_field(_("Termen nou de răspuns"))


class ReferralAnswerForm(forms.Form):
    answered_on = date_field(_("Răspuns primit la"))
    answer = forms.CharField(label=_("Răspunsul"), max_length=2000, widget=text_area(2))
    close = forms.BooleanField(label=_("Sesizarea este încheiată"), required=False)


class NoteForm(forms.Form):
    written_on = date_field(_("Data"))
    text = forms.CharField(label=_("Nota"), max_length=5000, widget=text_area(3))
    confidentiality = forms.ChoiceField(
        label=_("Cine o poate citi"), choices=Confidentiality.choices, initial=Confidentiality.TEAM
    )

    def __init__(self, *args: Any, confidential: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not confidential:
            field = self.fields["confidentiality"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(Confidentiality.TEAM.value, Confidentiality.TEAM.label)]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Starea nouă"), choices=[])
    on = date_field(_("Data"))
    reason = forms.CharField(label=_("Motiv"), max_length=500, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class CloseRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motivul închiderii"),
        choices=[(v, label) for v, label in ClosureReason.choices if v not in HANDOVER_REASONS],
    )
    note = forms.CharField(label=_("Detalii"), max_length=500, required=False)
    on = date_field(_("Data"))


class ReassignForm(forms.Form):
    to_worker = forms.ModelChoiceField(label=_("Noul responsabil de caz"), queryset=User.objects.none())
    on = date_field(_("De la data"))
    reason = forms.CharField(label=_("Motivul"), max_length=500)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[method-assign,assignment]


class HandOverForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Cazul se predă"), choices=[("school", _("școlii")), ("spas", _("SPAS"))], widget=forms.RadioSelect
    )
    institution_name = forms.CharField(
        label=_("Cui (instituția și persoana)"),
        max_length=200,
        help_text=_("De exemplu: SPAS Ciurea, dna Ionescu; sau Școala Gimnazială nr. 1, dirigintele clasei."),
    )
    handed_over = forms.CharField(
        label=_("Ce s-a predat"),
        max_length=2000,
        widget=text_area(3),
        help_text=_("Dosarul, planul în vigoare, ce rămâne de urmărit."),
    )
    on = date_field(_("Data predării"))


class CloseApproveForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("aprob")), ("reject", _("resping"))])


class InterventionTypeForm(forms.Form):
    code = forms.SlugField(label=_("Cod"), max_length=40, help_text=_("Litere mici, cifre și cratimă."))
    label = forms.CharField(label=_("Denumire"), max_length=150)
    recipient = forms.ChoiceField(label=_("Se acordă"), choices=InterventionType.Recipient.choices)
    is_material = forms.BooleanField(label=_("Ajutor material (cu cantitate)"), required=False)
    unit = forms.CharField(label=_("Unitate"), max_length=30, required=False)
