"""The deterministic Iași demo: real schools and enrolment figures, generated people and absences.

`demo_seed` builds the whole demo for one seed: the real Iași localities and school network (`load_registry`),
the programme "Împreună pentru copii!" with its targets and their revisions, the pupils of the participating
schools in 2025-2026 and 2026-2027 (moving up a grade, repeating, moving away, dropping out), their households
and guardians, the target group (with the Roma share and the consents), the staff with their roles, and one
register entry per class and school day with the absences of that day.

Everything is planned in memory first (random.Random(seed) and Faker("ro_RO") seeded with the seed, lists in a
fixed order, never a set or a dict whose order depends on hashing), then written with bulk inserts. The same
seed and the same `today` give the same rows. The assumptions behind every number are in docs/demo.md.

This module runs the steps in their order (the order is part of the seed's output); each step lives with what it
makes: `programme` (schools, target group), `people` (households, children, guardians, classes), `staff`,
`registers` (register entries and absences) and `marks` (module results), all sharing one `plan.DemoPlan`.

Nothing here prints a child's name: progress lines and the audit event hold counts only.
"""

import datetime
import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.attendance.models import Absence, RegisterEntry
from prezent.children.models import Child, Enrolment, EthnicityDeclaration, Guardian, Household
from prezent.core.services import audit_record
from prezent.demo.exceptions import DemoError
from prezent.demo.marks import marks_write
from prezent.demo.people import (
    classes_write,
    dropouts_plan,
    moves_plan,
    people_write,
    propensity_assign,
    pupils_plan_first_year,
    pupils_plan_second_year,
)
from prezent.demo.plan import COUNTY, FULL_SCHOOLS, D, DemoPlan
from prezent.demo.programme import (
    PROGRAMME_CODE,
    programme_write,
    proposed_select,
    schools_pick,
    target_group_select,
)
from prezent.demo.registers import registers_write
from prezent.demo.staff import DEMO_LOGINS, staff_plan, staff_write
from prezent.programme.models import MembershipStatus, Programme, TargetGroupMembership
from prezent.schools.models import ClassGroup, School, SchoolYear

EARLIEST_TODAY = D(2025, 11, 3)


@dataclass
class DemoReport:
    counts: dict[str, int]
    seconds: float


def production_refusal() -> str:
    return _("Demo-ul nu se poate genera cu setările de producție (PREZENT_PRODUCTION).")


def in_production() -> bool:
    """The demo writes invented people: never with the production settings."""
    return bool(getattr(settings, "PREZENT_PRODUCTION", False))


def demo_exists() -> bool:
    return Programme.objects.exists()


def demo_school() -> School | None:
    """The school of the `scoala` and `profesor` logins, once the demo is built."""
    assignment = RoleAssignment.objects.filter(user__username="scoala", role=Role.SCHOOL_COORDINATOR).first()
    return assignment.schools.order_by("pk").first() if assignment else None


def demo_seed(
    *,
    seed: int = 2026,
    schools: int = FULL_SCHOOLS,
    today: datetime.date | None = None,
    out: Callable[[str], None] | None = None,
) -> DemoReport:
    """Build the whole demo in an empty database. Raises DemoError if it may not or cannot."""
    if in_production():
        raise DemoError(production_refusal())
    if demo_exists() or User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).exists():
        raise DemoError(_("Baza de date are deja un program sau conturile demo; demo-ul se generează o singură dată."))
    if schools < 1:
        raise DemoError(_("Numărul de școli trebuie să fie cel puțin 1."))
    day = today or timezone.localdate()
    if day < EARLIEST_TODAY:
        raise DemoError(_("Data de referință (--today) trebuie să fie cel puțin 3.11.2025."))
    return _build(seed=seed, schools=schools, today=day, out=out or (lambda _line: None))


def _build(*, seed: int, schools: int, today: datetime.date, out: Callable[[str], None]) -> DemoReport:
    """The official registry first, then the whole plan in memory, then one transaction that writes it."""
    started = time.monotonic()
    out(_("Registrul: localitățile, rețeaua școlară și anii școlari oficiali…"))
    call_command("load_registry", stdout=io.StringIO(), stderr=io.StringIO())
    years = [
        SchoolYear.objects.get(county_code=COUNTY, name="2025-2026"),
        SchoolYear.objects.get(county_code=COUNTY, name="2026-2027"),
    ]
    plan = DemoPlan(seed=seed, schools=schools, today=today, out=out, years=years)
    _plan(plan)
    with transaction.atomic():
        programme = _write(plan)
        counts = demo_stats()
        audit_record(
            actor=None,
            action="demo.seed",
            target=programme,
            details={"seed": plan.seed, "schools": plan.n_schools, "today": plan.today.isoformat(), **counts},
        )
    seconds = time.monotonic() - started
    out(_("Gata în %(seconds).1f s.") % {"seconds": seconds})
    return DemoReport(counts=counts, seconds=seconds)


def _plan(plan: DemoPlan) -> None:
    """Everything drawn in memory, in the order the seed's numbers are drawn: the schools, the first year's
    pupils and its moves, the October screening (the absence propensity depends on it), the first year's
    dropouts, the second year with its moves and dropouts, the new proposals, then the staff."""
    schools_pick(plan)
    pupils_plan_first_year(plan)
    moves_plan(plan, 0)
    target_group_select(plan)
    for child in plan.children:
        propensity_assign(plan, child)
    dropouts_plan(plan, 0)
    pupils_plan_second_year(plan)
    moves_plan(plan, 1)
    dropouts_plan(plan, 1)
    proposed_select(plan)
    staff_plan(plan)
    plan.out(
        _("Plan: %(schools)d școli, %(classes)d clase, %(children)d copii, %(households)d gospodării.")
        % {
            "schools": len(plan.school_plans),
            "classes": len(plan.classes),
            "children": len(plan.children),
            "households": len(plan.households),
        }
    )


def _write(plan: DemoPlan) -> Programme:
    """The plan written out: staff before classes (a class has a teacher), people before the programme's target
    group, the registers of both years, and the marks of 2026-2027's ended modules."""
    staff_write(plan)
    classes_write(plan)
    people_write(plan)
    programme = programme_write(plan)
    for year in range(2):
        registers_write(plan, year)
    marks_write(plan, 1)
    return programme


# ---------------------------------------------------------------------------------------------------------------
# Counts and fingerprints: no personal data.


def demo_stats() -> dict[str, int]:
    """The counts of the main records, for `manage.py stats` and the audit event. Nothing personal."""
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    memberships = TargetGroupMembership.objects.filter(programme=programme) if programme else None
    roma = EthnicityDeclaration.Ethnicity.ROMA

    def members(status: str) -> int:
        return memberships.filter(status=status).count() if memberships is not None else 0

    absences = Absence.objects.aggregate(total=Sum("hours"))
    excused = Absence.objects.filter(excused=True).aggregate(total=Sum("hours"))
    return {
        "schools_in_programme": programme.schools.count() if programme else 0,
        "children": Child.objects.count(),
        "target_group_included": members(MembershipStatus.INCLUDED),
        "target_group_roma": (
            memberships.filter(status=MembershipStatus.INCLUDED, child__ethnicity_declaration__ethnicity=roma).count()
            if memberships is not None
            else 0
        ),
        "target_group_proposed": members(MembershipStatus.PROPOSED),
        "target_group_exited": members(MembershipStatus.EXITED),
        "guardians": Guardian.objects.count(),
        "roma_guardians": EthnicityDeclaration.objects.filter(guardian__isnull=False, ethnicity=roma).count(),
        "households": Household.objects.count(),
        "classes": ClassGroup.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "staff_users": User.objects.count(),
        "register_entries": RegisterEntry.objects.count(),
        "absences": Absence.objects.count(),
        "absence_hours": absences["total"] or 0,
        "absence_hours_excused": excused["total"] or 0,
    }


STATS_LABELS: dict[str, str | Promise] = {
    "schools_in_programme": gettext_lazy("școli în program"),
    "children": gettext_lazy("copii (elevi evaluați)"),
    "target_group_included": gettext_lazy("grup țintă (incluși)"),
    "target_group_roma": gettext_lazy("romi în grupul țintă"),
    "target_group_proposed": gettext_lazy("propuși (neconfirmați)"),
    "target_group_exited": gettext_lazy("ieșiți din grupul țintă"),
    "guardians": gettext_lazy("părinți / tutori"),
    "roma_guardians": gettext_lazy("părinți romi (declarați)"),
    "households": gettext_lazy("gospodării"),
    "classes": gettext_lazy("clase"),
    "enrolments": gettext_lazy("înscrieri"),
    "staff_users": gettext_lazy("conturi de utilizator"),
    "register_entries": gettext_lazy("zile de condică înregistrate"),
    "absences": gettext_lazy("absențe (rânduri copil-zi)"),
    "absence_hours": gettext_lazy("ore de absență"),
    "absence_hours_excused": gettext_lazy("ore de absență motivate"),
}


def absence_fingerprint() -> str:
    """A hash of every absence by natural keys (school, class, birth date, sex, day, hours, excused): equal for
    two runs with the same seed, whatever the database ids."""
    digest = hashlib.sha256()
    fields = (
        "register_entry__class_group__school__siiir_code",
        "register_entry__class_group__grade",
        "register_entry__class_group__letter",
        "child__birth_date",
        "child__sex",
        "date",
        "hours",
        "excused",
        "excuse_reason",
    )
    rows = Absence.objects.order_by(*fields).values_list(*fields)
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    return digest.hexdigest()
