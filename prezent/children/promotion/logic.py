"""Moving a county's pupils up a grade when a new school year opens: pure planning over plain rows, no database.

The rules (for each school, over its classes of the previous year):
- every class below the school's last grade gets its next-grade class in the new year, same letter (the class
  is reused when it already exists); its pupils move there;
- the school's last grade is the highest grade it had classes in during the previous year (a school with classes
  P–IV graduates its grade IV, P–VIII its grade VIII, a high school its XII): those pupils leave, "absolvent";
- a pupil the school marked as repeating (`Enrolment.repeats_next_year`) stays in the grade: the new year's class
  of the same grade and letter (usually the one the grade below moves into), created if missing;
- preschool groups (grade -1, one grade for every group) are left as they are: which children go to the
  preparatory class is not in the data, so they are enrolled by hand or by an import;
- only open enrolments move: a pupil who moved away or dropped out (enrolment ended) is not promoted.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from prezent.schools.models import GRADE_LABELS, default_hours_per_day, level_for_grade

ClassKey = tuple[int, int, str]  # (school id, grade, letter)


@dataclass(frozen=True)
class OldClass:
    id: int
    school_id: int
    grade: int
    letter: str
    hours_per_day: int
    teacher_id: int | None


@dataclass(frozen=True)
class OpenEnrolment:
    id: int
    child_id: int
    class_id: int
    repeats_next_year: bool


@dataclass(frozen=True)
class NewClass:
    school_id: int
    grade: int
    letter: str
    level: str
    hours_per_day: int
    teacher_id: int | None

    @property
    def key(self) -> ClassKey:
        return (self.school_id, self.grade, self.letter)


@dataclass(frozen=True)
class Move:
    """One pupil's way into the new year: to a class (`to`), or out of the school as a graduate (`to` None)."""

    enrolment_id: int
    child_id: int
    to: ClassKey | None
    repeating: bool


@dataclass
class SchoolPlan:
    school_id: int
    name: str
    siiir_code: str
    last_grade: int | None
    classes_to_create: list[NewClass] = field(default_factory=list)
    promoted: int = 0
    graduating: int = 0
    repeating: int = 0
    preschool: int = 0

    @property
    def last_grade_label(self) -> str:
        return "–" if self.last_grade is None else GRADE_LABELS.get(self.last_grade, str(self.last_grade))


@dataclass
class Plan:
    schools: list[SchoolPlan]
    moves: list[Move]

    @property
    def new_classes(self) -> list[NewClass]:
        return [c for school in self.schools for c in school.classes_to_create]

    @property
    def promoted(self) -> int:
        return sum(s.promoted for s in self.schools)

    @property
    def graduating(self) -> int:
        return sum(s.graduating for s in self.schools)

    @property
    def repeating(self) -> int:
        return sum(s.repeating for s in self.schools)

    @property
    def preschool(self) -> int:
        return sum(s.preschool for s in self.schools)

    def graduating_grades(self) -> dict[int, list[int]]:
        """School ids by the grade they graduate (few distinct grades: IV, VIII, XII …)."""
        grades: dict[int, list[int]] = defaultdict(list)
        for school in self.schools:
            if school.graduating and school.last_grade is not None:
                grades[school.last_grade].append(school.school_id)
        return dict(grades)


def _next_class(old: OldClass, grade: int, *, teacher: bool) -> NewClass:
    """A new class continuing `old` in `grade`: the form teacher follows it inside a level (the învățător from the
    preparatory class to IV, the diriginte from V to VIII); a new level starts without one."""
    same_level = level_for_grade(grade) == level_for_grade(old.grade)
    return NewClass(
        school_id=old.school_id,
        grade=grade,
        letter=old.letter,
        level=level_for_grade(grade),
        hours_per_day=old.hours_per_day if same_level else default_hours_per_day(grade),
        teacher_id=old.teacher_id if teacher and same_level else None,
    )


def promotion_plan(
    *,
    classes: Iterable[OldClass],
    enrolments: Iterable[OpenEnrolment],
    existing: set[ClassKey],
    schools: Mapping[int, tuple[str, str]],
) -> Plan:
    """What promotion does, school by school. `classes`: the previous year's classes; `enrolments`: the open
    enrolments in them; `existing`: the classes the new year already has; `schools`: id → (name, SIIIR code)."""
    by_school: dict[int, list[OldClass]] = defaultdict(list)
    by_id: dict[int, OldClass] = {}
    for old in classes:
        by_school[old.school_id].append(old)
        by_id[old.id] = old
    plans: dict[int, SchoolPlan] = {}
    to_create: dict[ClassKey, NewClass] = {}
    for school_id, olds in by_school.items():
        graded = [c.grade for c in olds if c.grade >= 0]
        name, code = schools.get(school_id, ("", ""))
        plan = SchoolPlan(school_id=school_id, name=name, siiir_code=code, last_grade=max(graded, default=None))
        plans[school_id] = plan
        for old in sorted(olds, key=lambda c: (c.grade, c.letter)):
            if old.grade < 0 or plan.last_grade is None or old.grade >= plan.last_grade:
                continue
            new = _next_class(old, old.grade + 1, teacher=True)
            if new.key not in existing and new.key not in to_create:
                to_create[new.key] = new
    moves: list[Move] = []
    for enrolment in sorted(enrolments, key=lambda e: e.id):
        old = by_id[enrolment.class_id]
        plan = plans[old.school_id]
        if old.grade < 0:
            plan.preschool += 1
            continue
        if enrolment.repeats_next_year:
            new = _next_class(old, old.grade, teacher=False)
            if new.key not in existing and new.key not in to_create:
                to_create[new.key] = new
            moves.append(Move(enrolment.id, enrolment.child_id, new.key, repeating=True))
            plan.repeating += 1
        elif old.grade == plan.last_grade:
            moves.append(Move(enrolment.id, enrolment.child_id, None, repeating=False))
            plan.graduating += 1
        else:
            moves.append(Move(enrolment.id, enrolment.child_id, (old.school_id, old.grade + 1, old.letter), False))
            plan.promoted += 1
    for new in to_create.values():
        plans[new.school_id].classes_to_create.append(new)
    for plan in plans.values():
        plan.classes_to_create.sort(key=lambda c: (c.grade, c.letter))
    ordered = sorted(plans.values(), key=lambda p: (p.name, p.siiir_code))
    return Plan(schools=ordered, moves=moves)
