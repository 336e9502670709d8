"""The demo's marks: the module results of the modules that have ended by `today`.

Averages in gimnaziu, calificative in primary school, conduct last. Around the pupil's level (`ChildPlan.level`:
lower for pupils at risk and for chronic absentees); a few under 5 (or "Insuficient"); conduct under 8 for the few
pupils whose path has it (`ChildPlan.conduct_low`). Drawn with a random generator of their own, so the rest of the
demo does not change with them.
"""

import random
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from prezent.attendance.marks.values import default_subjects, uses_qualifiers
from prezent.attendance.models import CONDUCT_SUBJECT, ModuleResult
from prezent.demo.plan import ChildPlan, ClassPlan, DemoPlan
from prezent.demo.rows import rows_insert
from prezent.schools.models import ClassGroup, Module


def marks_write(plan: DemoPlan, year: int) -> None:
    """The marks of every pupil enrolled on the last day of each module of the year that has ended."""
    rng = random.Random(plan.seed * 31 + year)
    modules = list(Module.objects.filter(school_year=plan.years[year]).order_by("number"))
    ended = [m for m in modules if m.end <= plan.today]
    fields = ["child", "class_group", "module", "subject", "average", "qualifier", "recorded_by", "recorded_at"]

    def rows() -> Iterable[tuple[object, ...]]:
        for module in ended:
            recorded_at = plan.moment(module.end, 14, 0)
            for child in plan.children:
                segment = child.segment_on(module.end)
                group = segment.klass.obj if segment is not None and segment.klass.year == year else None
                if segment is None or group is None:
                    continue
                yield from _child_marks(plan, rng, child, segment.klass, group, module.number, recorded_at)

    written = rows_insert(ModuleResult, fields, rows())
    plan.out(
        _("medii și calificative %(year)s: %(n)d (modulele încheiate: %(modules)s).")
        % {"year": plan.years[year].name, "n": written, "modules": ", ".join(str(m.number) for m in ended) or "–"}
    )


def _child_marks(
    plan: DemoPlan,
    rng: random.Random,
    child: ChildPlan,
    klass: ClassPlan,
    group: ClassGroup,
    module: int,
    recorded_at: object,
) -> Iterable[tuple[object, ...]]:
    """One module's marks of a pupil, one per subject of the grade, recorded by the class teacher. Subjects vary
    around the pupil's level (`ChildPlan.level`). Conduct is 10, sometimes 9, and 8 or 9 for half of the chronic
    absentees; a pupil whose conduct is low (`ChildPlan.conduct_low`) gets 5, 6 or 7 in most modules."""
    primary = uses_qualifiers(klass.grade)
    subjects = default_subjects(level=group.level, grade=klass.grade)
    if not subjects:
        return
    base = child.level + rng.gauss(0, 0.3)
    teacher = plan.user(klass.teacher).pk
    for subject in subjects:
        if subject == CONDUCT_SUBJECT:
            low = child.chronic and rng.random() < 0.5
            if child.conduct_low and rng.random() < 0.8:
                score = rng.choice((5.0, 6.0, 7.0, 7.0))
            else:
                score = rng.choice((8.0, 9.0)) if low else (10.0 if rng.random() < 0.93 else 9.0)
        else:
            score = min(10.0, max(2.0, base + rng.gauss(0, 0.8)))
        if primary:
            mark: tuple[object, str] = (None, _qualifier(score))
        else:
            mark = (Decimal(str(round(score, 2))), "")
        yield (child.pk, group.pk, module, subject, *mark, teacher, recorded_at)


def _qualifier(score: float) -> str:
    """The calificativ of a score: Foarte bine from 8.8, Bine from 7, Suficient from 5, else Insuficient."""
    return "FB" if score >= 8.8 else "B" if score >= 7.0 else "S" if score >= 5.0 else "I"
