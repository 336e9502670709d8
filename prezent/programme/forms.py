"""Setting up a programme: its details, the filters of the school chooser and a list of SIIIR codes."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.programme.selectors import SchoolFilter
from prezent.schools.models import Environment, School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOGO_MAX_BYTES = 1_000_000


class ProgrammeForm(forms.Form):
    """A programme's details; the county is one the coordinator coordinates (a choice only when they have several)."""

    county_code = forms.ChoiceField(label=_("Județul"))
    code = forms.CharField(label=_("Cod"), max_length=40, help_text=_("de exemplu RO10-0070"))
    name = forms.CharField(label=_("Denumire"), max_length=200)
    funder = forms.CharField(label=_("Finanțator"), max_length=200, required=False)
    start = forms.DateField(label=_("Început"), widget=DATE)
    end = forms.DateField(label=_("Sfârșit"), widget=DATE)
    budget_eur = forms.DecimalField(
        label=_("Buget (EUR)"), max_digits=14, decimal_places=2, min_value=0, required=False, localize=True
    )

    def __init__(self, *args: Any, counties: list[str], fixed_county: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county_code"].choices = [(code, code) for code in counties]  # type: ignore[attr-defined]
        if len(counties) == 1 or fixed_county:
            self.fields["county_code"].initial = counties[0]
            self.fields["county_code"].widget = forms.HiddenInput()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: datetime.date | None = cleaned.get("start")
        end: datetime.date | None = cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Sfârșitul programului trebuie să fie după început."))
        return cleaned


class SchoolFilterForm(forms.Form):
    """The chooser's filters (GET, and repeated in the POST of "add all filtered")."""

    mediu = forms.ChoiceField(label=_("Mediu"), required=False, choices=[("", _("oricare")), *Environment.choices])
    tip = forms.ChoiceField(label=_("Tip unitate"), required=False)
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("oricare")),
            (School.Kind.PJ, _("PJ (unitate cu personalitate juridică)")),
            (School.Kind.AR, _("AR (structură arondată)")),
        ],
    )
    q = forms.CharField(label=_("Denumire, localitate sau cod SIIIR"), required=False, max_length=100)

    def __init__(self, *args: Any, unit_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tip"].choices = [("", _("oricare")), *((t, t) for t in unit_types)]  # type: ignore[attr-defined]

    def filters(self) -> SchoolFilter:
        if not self.is_valid():
            return SchoolFilter()
        data = self.cleaned_data
        return SchoolFilter(
            environment=data["mediu"], unit_type=data["tip"], kind=data["statut"], query=data["q"].strip()
        )


class SchoolCodesForm(forms.Form):
    """SIIIR codes pasted one per line, or a spreadsheet with a „Cod SIIIR” column."""

    codes = forms.CharField(
        label=_("Coduri SIIIR, câte unul pe linie"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(
        label=_("sau un fișier XLSX/CSV cu o coloană „Cod SIIIR”"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("codes") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("Lipiți codurile SIIIR sau alegeți un fișier."))
        return cleaned


class ProgrammeDocumentsForm(forms.Form):
    """What the programme's certificates carry: issuing institutions, signatories, the funder's mention and logo."""

    issuers = forms.CharField(
        label=_("Instituțiile emitente"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("câte una pe rând, de exemplu „Inspectoratul Școlar Județean Vaslui”"),
    )
    signatories = forms.CharField(
        label=_("Semnatarii"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("câte unul pe rând: funcția și numele, de exemplu „Inspector școlar general, Ion Popescu”"),
    )
    funder_mention = forms.CharField(
        label=_("Mențiunea finanțatorului"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("textul pe care finanțatorul îl cere pe documente"),
    )
    logo = forms.ImageField(label=_("Sigla finanțatorului"), required=False, help_text=_("PNG sau JPEG, cel mult 1 MB"))
    logo_remove = forms.BooleanField(label=_("Scoate sigla"), required=False)

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Sigla are peste 1 MB."))
        if logo and getattr(logo, "image", None) is not None and logo.image.format not in ("PNG", "JPEG"):
            raise forms.ValidationError(_("Sigla trebuie să fie PNG sau JPEG."))
        return logo
