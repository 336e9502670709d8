"""Forms of group deliveries. A list's ticks are plain fields named per child (`c<id>` ticked, `q<id>` quantity),
read by `ticks_read`, so a page of 300 children is one small form that keeps whatever was typed."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from prezent.cases.groups.selectors import delivery_types, group_types
from prezent.cases.models import InterventionType, ServiceGroup, Weekday
from prezent.schools.models import School


class DeliveryPickForm(forms.Form):
    """Which list to open: school, kind and day."""

    school = forms.ModelChoiceField(label=_("Școala"), queryset=School.objects.none())
    type = forms.ModelChoiceField(label=_("Ce se distribuie"), queryset=InterventionType.objects.none())
    day = forms.DateField(label=_("Data"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        counties = schools.values("county_code")
        self.fields["type"].queryset = delivery_types(county_codes=counties)  # type: ignore[attr-defined]


class GroupForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Școala"), queryset=School.objects.none())
    name = forms.CharField(label=_("Denumire"), max_length=150)
    kind = forms.ChoiceField(label=_("Fel"), choices=ServiceGroup.Kind.choices)
    kind_type = forms.ModelChoiceField(
        label=_("Serviciul înregistrat la fiecare prezență"), queryset=InterventionType.objects.none()
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Zilele"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start = forms.DateField(label=_("De la"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Până la"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schools, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        counties = schools.values("county_code")
        self.fields["kind_type"].queryset = group_types(county_codes=counties)  # type: ignore[attr-defined]


@dataclass
class TickRow:
    """One child's line as the page shows it: ticked, and the quantity as typed."""

    child_id: int
    label: str
    ticked: bool
    quantity: str
    error: bool = False


@dataclass
class Ticks:
    rows: list[TickRow]
    ticks: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def ticks_read(data, children: Iterable[tuple[int, str]], *, quantities: bool) -> Ticks:  # type: ignore[no-untyped-def]
    """Read the posted ticks of `children` ((id, label) pairs): each ticked child with its quantity (default 1).
    A quantity that is not a whole number from 1 up marks its row and is kept as typed."""
    result = Ticks(rows=[])
    bad = False
    for child_id, label in children:
        ticked = data.get(f"c{child_id}") == "on"
        raw = (data.get(f"q{child_id}") or "").strip() if quantities else ""
        row = TickRow(child_id=child_id, label=label, ticked=ticked, quantity=raw or "1")
        if ticked:
            quantity = 1
            if quantities and raw:
                try:
                    quantity = int(raw)
                except ValueError:
                    quantity = 0
            if quantity <= 0:
                row.error = bad = True
            result.ticks[child_id] = quantity
        result.rows.append(row)
    if bad:
        result.errors.append(str(_("Cantitatea trebuie să fie un număr întreg pozitiv (de exemplu 1).")))
    return result


def day_parse(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
