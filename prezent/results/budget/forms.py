from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.activities.models import Activity, ActivityType, CampaignEvent, Course
from prezent.cases.models import InterventionType
from prezent.results.budget.models import BudgetLine, LineKind
from prezent.results.models import ReportingPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RateForm(forms.Form):
    ron_per_eur = forms.DecimalField(
        label=_("Curs de schimb (lei pentru 1 EUR)"),
        min_value=0.0001,
        max_digits=8,
        decimal_places=4,
        help_text=_("Cursul folosit de finanțator (de obicei cursul InforEuro al lunii)."),
    )


class LineForm(forms.Form):
    code = forms.CharField(label=_("Cod"), max_length=20)
    name = forms.CharField(label=_("Denumire"), max_length=200)
    kind = forms.ChoiceField(label=_("Tip"), choices=LineKind.choices)
    intervention_type = forms.ModelChoiceField(
        label=_("Tipul de serviciu (pentru o linie de servicii)"),
        queryset=InterventionType.objects.order_by("order", "label"),
        required=False,
    )
    activity_type = forms.ModelChoiceField(
        label=_("Tipul de activitate (opțional, pentru o linie de activități)"),
        queryset=ActivityType.objects.order_by("order", "name"),
        required=False,
    )


class PlanForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Linia de buget"), queryset=BudgetLine.objects.none())
    period: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Perioada"), queryset=ReportingPeriod.objects.none()
    )
    amount_eur = forms.DecimalField(label=_("Planificat (EUR)"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args: object, lines: object, periods: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, queryset in (("line", lines), ("period", periods)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset  # type: ignore[assignment]


class UnitCostForm(forms.Form):
    intervention_type = forms.ModelChoiceField(
        label=_("Tipul de serviciu"), queryset=InterventionType.objects.order_by("order", "label")
    )
    amount_eur = forms.DecimalField(
        label=_("Cost unitar (EUR)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Pentru o livrare, sau pentru o unitate când serviciul are cantitate (o masă, un pachet)."),
    )
    valid_from = forms.DateField(label=_("Valabil de la"), widget=DATE)


class CampaignEventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CampaignEvent) -> str:  # type: ignore[override]
        return f"{obj.date:%d.%m.%Y} {obj.kind.name} · {obj.school.name}"


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:  # type: ignore[override]
        return f"{obj.date:%d.%m.%Y} {obj.title} · {obj.school.name}"


class CostForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Linia de buget"), queryset=BudgetLine.objects.none())
    date = forms.DateField(label=_("Data"), widget=DATE)
    amount_eur = forms.DecimalField(label=_("Suma (EUR)"), min_value=0.01, max_digits=14, decimal_places=2)
    description = forms.CharField(label=_("Descriere"), max_length=300)
    activity: forms.ModelChoiceField = ActivityChoiceField(
        label=_("Activitatea"), queryset=Activity.objects.none(), required=False
    )
    course: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cursul"), queryset=Course.objects.none(), required=False
    )
    campaign_event: forms.ModelChoiceField = CampaignEventChoiceField(
        label=_("Acțiunea de informare"), queryset=CampaignEvent.objects.none(), required=False
    )

    def __init__(self, *args: object, lines: object, subjects: dict, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, queryset in {"line": lines, **subjects}.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset  # type: ignore[assignment]
        line = self.fields["line"]
        assert isinstance(line, forms.ModelChoiceField)
        line.queryset = line.queryset.exclude(kind=LineKind.SERVICE)  # type: ignore[union-attr]

    def clean(self) -> dict:
        data = super().clean() or {}
        chosen = [name for name in ("activity", "course", "campaign_event") if data.get(name)]
        if len(chosen) > 1:
            self.add_error(
                "activity", _("O cheltuială privește cel mult o activitate, un curs sau o acțiune de informare.")
            )
        return data


class InvoiceForm(forms.Form):
    file = forms.FileField(
        label=_("Factura (PDF sau fotografie)"),
        help_text=_("PDF, JPEG, PNG sau WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )
