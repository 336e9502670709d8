"""Reads for opening a school year: the year before, what promotion will do, a class's pupils and their flags."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.children.models import Enrolment
from prezent.children.promotion.logic import OldClass, OpenEnrolment, Plan, promotion_plan
from prezent.schools.defaults import NATIONAL_YEARS
from prezent.schools.models import ClassGroup, SchoolYear
from prezent.schools.selectors import YearDraft, school_year_draft


def school_year_previous(*, county_code: str, before: datetime.date) -> SchoolYear | None:
    """The county's school year that started last before `before` (the year promotion moves pupils out of)."""
    return SchoolYear.objects.filter(county_code=county_code, start__lt=before).order_by("-start").first()


def year_open_initial(*, county_code: str) -> dict[str, object]:
    """What the year-opening page proposes for a county: the first national year it has not opened that is not
    over (the year in progress, on a county's first day), and promotion only when the county has a year before it
    (a county that starts has nobody to promote)."""
    today = timezone.localdate()
    opened = set(SchoolYear.objects.filter(county_code=county_code).values_list("name", flat=True))
    names = [name for name, year in NATIONAL_YEARS.items() if name not in opened and year["end"] >= today]
    name = names[0] if names else list(NATIONAL_YEARS)[-1]
    previous = school_year_previous(county_code=county_code, before=NATIONAL_YEARS[name]["start"])
    return {"name": name, "promote": previous is not None}


def promotion_plan_for(*, previous: SchoolYear, new_year: SchoolYear | None) -> Plan:
    """What promotion from `previous` into `new_year` (None: not opened yet) does. Four queries, whatever the
    number of pupils."""
    rows = ClassGroup.objects.filter(school_year=previous).values_list(
        "pk", "school_id", "grade", "letter", "hours_per_day", "teacher_id", "school__name", "school__siiir_code"
    )
    classes, schools = [], {}
    for pk, school_id, grade, letter, hours, teacher_id, name, code in rows:
        classes.append(OldClass(pk, school_id, grade, letter, hours, teacher_id))
        schools[school_id] = (name, code)
    enrolments = [
        OpenEnrolment(*row)
        for row in Enrolment.objects.filter(class_group__school_year=previous, end__isnull=True).values_list(
            "pk", "child_id", "class_group_id", "repeats_next_year"
        )
    ]
    existing: set[tuple[int, int, str]] = set()
    if new_year is not None:
        existing = set(ClassGroup.objects.filter(school_year=new_year).values_list("school_id", "grade", "letter"))
    return promotion_plan(classes=classes, enrolments=enrolments, existing=existing, schools=schools)


def promotion_refusal(*, previous: SchoolYear | None, name: str) -> str:
    """Why pupils cannot be moved into the year `name` now ('' when they can): there must be a year before it,
    and it must be over (the decisions on who repeats are taken at its end)."""
    if previous is None:
        return _("Județul nu are un an școlar înainte de %(name)s: nu are elevi de trecut în clasa următoare.") % {
            "name": name
        }
    if timezone.localdate() <= previous.end:
        return _(
            "Anul școlar %(name)s se încheie pe %(end)s: elevii trec în clasa următoare numai după această dată."
        ) % {"name": previous.name, "end": f"{previous.end:%d.%m.%Y}"}
    return ""


@dataclass
class Opening:
    """What opening a county's school year does (or did): its calendar and, when asked for, the promotion."""

    draft: YearDraft
    year: SchoolYear | None
    created: bool
    previous: SchoolYear | None
    plan: Plan | None
    refusal: str


def school_year_opening_preview(
    *, county_code: str, name: str, february_monday: datetime.date | None, promote: bool
) -> Opening:
    """The dry run: what `school_year_start` would do, with nothing written."""
    draft = school_year_draft(county_code=county_code, name=name, february_monday=february_monday)
    year = SchoolYear.objects.filter(county_code=county_code, name=name).first()
    previous = school_year_previous(county_code=county_code, before=draft.start)
    plan = promotion_plan_for(previous=previous, new_year=year) if promote and previous is not None else None
    refusal = promotion_refusal(previous=previous, name=name) if promote else ""
    return Opening(draft=draft, year=year, created=year is None, previous=previous, plan=plan, refusal=refusal)


def repeater_enrolments(*, class_group: ClassGroup) -> QuerySet[Enrolment]:
    """The class's current pupils (open enrolments) with their "repeats next year" flag, by name."""
    return (
        Enrolment.objects.filter(class_group=class_group, end__isnull=True)
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "child_id")
    )
