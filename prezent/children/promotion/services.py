"""Opening a county's school year with its pupils: the calendar (from `schools`) and moving every class up a
grade (`children`, where enrolments live). The rules are in `logic.py`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Enrolment
from prezent.children.promotion.logic import Plan
from prezent.children.promotion.permissions import can_edit_repeaters
from prezent.children.promotion.selectors import (
    Opening,
    promotion_plan_for,
    promotion_refusal,
    school_year_previous,
)
from prezent.core.bulk import rows_insert
from prezent.core.services import audit_record
from prezent.schools.models import ClassGroup, SchoolYear
from prezent.schools.selectors import school_year_draft
from prezent.schools.services import school_year_open

CLASS_FIELDS = ("school", "school_year", "level", "grade", "letter", "teacher", "hours_per_day")
ENROLMENT_FIELDS = ("child", "class_group", "start", "end", "end_reason", "repeating", "repeats_next_year")


@transaction.atomic
def school_year_promote(*, new_year: SchoolYear, actor: User | None) -> Plan:
    """Move the pupils of the county's previous year into `new_year` (rules in `logic.py`): create the classes
    that are missing, end each open enrolment at the old year's end ("year_end", or "graduated" for the school's
    last grade) and open one from the new year's start. A constant number of queries whatever the number of
    pupils; the audit holds counts only. A second run finds no open enrolment in the old year and changes
    nothing."""
    previous = school_year_previous(county_code=new_year.county_code, before=new_year.start)
    refusal = promotion_refusal(previous=previous, name=new_year.name)
    if refusal:
        raise ValidationError(refusal)
    assert previous is not None
    plan = promotion_plan_for(previous=previous, new_year=new_year)
    if plan.new_classes:
        rows_insert(
            ClassGroup,
            CLASS_FIELDS,
            (
                (c.school_id, new_year.pk, c.level, c.grade, c.letter, c.teacher_id, c.hours_per_day)
                for c in plan.new_classes
            ),
        )
    class_ids = {
        (school_id, grade, letter): pk
        for pk, school_id, grade, letter in ClassGroup.objects.filter(school_year=new_year).values_list(
            "pk", "school_id", "grade", "letter"
        )
    }
    open_old = Enrolment.objects.filter(class_group__school_year=previous, class_group__grade__gte=0, end__isnull=True)
    old_end = Greatest(F("start"), Value(previous.end, output_field=DateField()))
    graduates = Q(pk__in=[])
    for grade, school_ids in plan.graduating_grades().items():
        graduates |= Q(class_group__grade=grade, class_group__school_id__in=school_ids)
    graduated = open_old.filter(graduates, repeats_next_year=False).update(
        end=old_end, end_reason=Enrolment.EndReason.GRADUATED
    )
    moved = open_old.update(end=old_end, end_reason=Enrolment.EndReason.YEAR_END)
    if graduated != plan.graduating or moved != plan.promoted + plan.repeating:
        raise ValidationError(_("Înscrierile s-au schimbat între timp. Reluați operația."))
    rows_insert(
        Enrolment,
        ENROLMENT_FIELDS,
        (
            (move.child_id, class_ids[move.to], new_year.start, None, "", move.repeating, False)
            for move in plan.moves
            if move.to is not None
        ),
    )
    audit_record(
        actor=actor,
        action="school_year.promote",
        target=new_year,
        details={
            "county": new_year.county_code,
            "from_year": previous.pk,
            "schools": len(plan.schools),
            "classes_created": len(plan.new_classes),
            "promoted": plan.promoted,
            "graduated": plan.graduating,
            "repeating": plan.repeating,
            "preschool_left": plan.preschool,
        },
    )
    return plan


@transaction.atomic
def school_year_start(
    *,
    county_code: str,
    name: str,
    february_monday: datetime.date | None = None,
    promote: bool = False,
    actor: User | None,
) -> Opening:
    """Open the county's school year `name` from the national structure (an existing year is left as it is) and,
    with `promote`, move the previous year's pupils into it. All or nothing."""
    draft = school_year_draft(county_code=county_code, name=name, february_monday=february_monday)
    year, created = school_year_open(county_code=county_code, name=name, february_monday=february_monday, actor=actor)
    previous = school_year_previous(county_code=county_code, before=year.start)
    plan = school_year_promote(new_year=year, actor=actor) if promote else None
    return Opening(draft=draft, year=year, created=created, previous=previous, plan=plan, refusal="")


@transaction.atomic
def enrolment_repeaters_mark(*, class_group: ClassGroup, child_ids: set[int], actor: User) -> int:
    """Mark which current pupils of the class repeat the grade next year (the others are unmarked). Promotion
    reads the mark. Returns how many are marked; the audit holds counts only."""
    if not can_edit_repeaters(user=actor, class_group=class_group):
        raise PermissionDenied
    current = Enrolment.objects.filter(class_group=class_group, end__isnull=True)
    added = current.filter(child_id__in=child_ids, repeats_next_year=False).update(repeats_next_year=True)
    removed = current.exclude(child_id__in=child_ids).filter(repeats_next_year=True).update(repeats_next_year=False)
    marked = current.filter(repeats_next_year=True).count()
    if added or removed:
        audit_record(
            actor=actor,
            action="enrolment.repeaters_mark",
            target=class_group,
            details={"marked": marked, "added": added, "removed": removed},
        )
    return marked
