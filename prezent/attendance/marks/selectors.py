"""Reads of module averages. The caller has already opened the class or the child through a scoped selector
(class_get_for_user_or_404, child_get_for_user_or_404); these only read what belongs to it."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404

from prezent.attendance.marks.values import (
    Mark,
    default_subjects,
    format_average,
    is_failing,
    merge_subjects,
)
from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult
from prezent.children.models import Child
from prezent.core.text import fold
from prezent.schools.models import ClassGroup, Module, SchoolYear

MODULES = range(1, 6)


def module_get_or_404(*, class_group: ClassGroup, number: int) -> Module:
    """One of the five modules of the class's school year (404 for a number the year does not have)."""
    return get_object_or_404(Module, school_year_id=class_group.school_year_id, number=number)


def module_numbers(*, school_year: SchoolYear) -> list[int]:
    return list(Module.objects.filter(school_year=school_year).order_by("number").values_list("number", flat=True))


def module_number_current(*, school_year: SchoolYear, today: datetime.date) -> int:
    """The module under way on `today`; in a holiday the one just ended; before the year starts the first."""
    started = Module.objects.filter(school_year=school_year, start__lte=today).order_by("-number").first()
    if started is not None:
        return started.number
    first = Module.objects.filter(school_year=school_year).order_by("number").first()
    return first.number if first is not None else 1


def pupils_in_module(*, class_group: ClassGroup, module: Module) -> list[Child]:
    """Every child enrolled in the class on at least one day of the module (a pupil who left or arrived during
    the module still gets an average), in catalogue order. One query."""
    return list(
        Child.objects.filter(
            Q(enrolments__class_group=class_group),
            Q(enrolments__start__lte=module.end),
            Q(enrolments__end__isnull=True) | Q(enrolments__end__gte=module.start),
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def results_for_class_module(*, class_group: ClassGroup, module: int) -> dict[tuple[int, str], Mark]:
    """The marks (averages or calificative) of the class in the module, keyed by (child id, subject). One query."""
    rows = (
        ModuleResult.objects.filter(class_group=class_group, module=module)
        .order_by()
        .values_list("child_id", "subject", "average", "qualifier")
    )
    return {
        (child_id, subject): average if average is not None else qualifier
        for child_id, subject, average, qualifier in rows
    }


def subjects_configured(*, class_group: ClassGroup) -> list[str]:
    """The default columns for the class's level and grade (settings.PREZENT_RESULT_SUBJECTS may replace a
    level's list)."""
    overrides = getattr(settings, "PREZENT_RESULT_SUBJECTS", None)
    return default_subjects(level=class_group.level, grade=class_group.grade, overrides=overrides)


def subjects_for_class(*, class_group: ClassGroup) -> list[str]:
    """The grid's columns: the configured subjects, then any other subject that already has an average in this
    class (in any module), so a column a teacher added stays. One query."""
    recorded = sorted(
        set(
            ModuleResult.objects.filter(class_group=class_group).order_by().values_list("subject", flat=True).distinct()
        ),
        key=fold,
    )
    return merge_subjects(subjects_configured(class_group=class_group), recorded)


@dataclass(frozen=True)
class ResultCell:
    module: int
    average: Mark | None  # an average, or a calificativ's code in primary school

    @property
    def failing(self) -> bool:
        return is_failing(self.average)

    @property
    def shown(self) -> str:
        """As the catalogue writes it: "8,50", "FB", or a dash when there is none."""
        return format_average(self.average) or "–"


@dataclass(frozen=True)
class ChildSubjectResults:
    """One subject's averages of a child in a school year, one cell per module (1 to 5)."""

    subject: str
    cells: list[ResultCell]

    @property
    def is_conduct(self) -> bool:
        return self.subject == CONDUCT_SUBJECT


def child_module_results(*, child: Child, school_year: SchoolYear) -> list[ChildSubjectResults]:
    """A child's averages in a school year, a row per subject (the class's usual order, conduct last), a cell
    per module. A child who changed class during a module keeps the latest average recorded. One query."""
    results = (
        ModuleResult.objects.filter(child=child, class_group__school_year=school_year)
        .select_related("class_group")
        .order_by("recorded_at", "pk")
    )
    by_subject: dict[str, dict[int, Mark]] = {}
    spelling: dict[str, str] = {}
    order: list[str] = []
    for result in results:
        key = fold(result.subject)
        spelling.setdefault(key, result.subject)
        by_subject.setdefault(key, {})[result.module] = result.mark
        if not order:
            group = result.class_group
            order = default_subjects(
                level=group.level, grade=group.grade, overrides=getattr(settings, "PREZENT_RESULT_SUBJECTS", None)
            )
    position = {fold(name): index for index, name in enumerate(order)}
    keys = sorted(by_subject, key=lambda key: (position.get(key, len(position)), key))
    subjects = merge_subjects([spelling[key] for key in keys])
    return [
        ChildSubjectResults(
            subject=subject,
            cells=[ResultCell(module=number, average=by_subject[fold(subject)].get(number)) for number in MODULES],
        )
        for subject in subjects
    ]
