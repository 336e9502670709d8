import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.schools.calendar import february_mondays
from prezent.schools.defaults import NATIONAL_YEARS


def _year_label(name: str) -> str:
    if NATIONAL_YEARS[name]["assumption"]:
        return str(_("%(name)s (structură presupusă, nepublicată încă)") % {"name": name})
    return name


def _week_label(monday: datetime.date, default: datetime.date) -> str:
    label = f"{monday:%d.%m.%Y} – {monday + datetime.timedelta(days=4):%d.%m.%Y}"
    return f"{label} ({_('implicită')})" if monday == default else label


class YearOpenForm(forms.Form):
    county_code = forms.ChoiceField(label=_("Județul"))
    name = forms.ChoiceField(label=_("Anul școlar"))
    february_monday = forms.ChoiceField(
        label=_("Săptămâna de vacanță din februarie"),
        required=False,
        help_text=_(
            "Dacă inspectoratul nu a decis încă, lăsați-o necompletată: se presupune cea implicită, marcată "
            "de confirmat, și o puteți schimba mai târziu pe pagina anului școlar."
        ),
    )
    promote = forms.BooleanField(
        label=_("Trece elevii în clasa următoare (din anul școlar precedent)"), required=False, initial=True
    )

    def __init__(self, *args: object, counties: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["county_code"].choices = [(c, c) for c in sorted(counties)]  # type: ignore[attr-defined]
        self.fields["name"].choices = [(name, _year_label(name)) for name in NATIONAL_YEARS]  # type: ignore[attr-defined]
        weeks: list[tuple[str, object]] = [("", _("nedecisă încă (se presupune cea implicită)"))]
        for name, structure in NATIONAL_YEARS.items():
            default = structure["february_default"]
            weeks.append(
                (
                    name,
                    [
                        (monday.isoformat(), _week_label(monday, default))
                        for monday in february_mondays(structure["february_window"])
                    ],
                )
            )
        self.fields["february_monday"].choices = weeks  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        monday, name = data.get("february_monday"), data.get("name")
        data["february_monday"] = datetime.date.fromisoformat(monday) if monday else None
        chosen = data["february_monday"]
        if (
            chosen
            and name in NATIONAL_YEARS
            and chosen not in february_mondays(NATIONAL_YEARS[name]["february_window"])
        ):
            self.add_error("february_monday", _("Alegeți o săptămână din anul școlar %(name)s.") % {"name": name})
        return data


class RepeatersForm(forms.Form):
    repeaters = forms.TypedMultipleChoiceField(
        label=_("Rămân repetenți"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, child_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["repeaters"].choices = [(pk, pk) for pk in child_ids]  # type: ignore[attr-defined]
