"""The demo's staff: county coordinators, case workers, mediators, school coordinators, class teachers, the M&E
viewer and the administrator, with their roles and schools; and the demo logins among them.

The demo logins share the published password `DEMO_PASSWORD`; every other account has an unusable password.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.passwords import DEMO_PASSWORD as DEMO_PASSWORD  # the demo logins' password
from prezent.demo.plan import COUNTY, ClassPlan, D, DemoPlan, SchoolPlan, StaffPlan


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str | Promise


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordonator",
        Role.COUNTY_COORDINATOR,
        gettext_lazy("toate școlile județului; confirmă grupul țintă, stabilește ținte, raportează"),
    ),
    DemoLogin(
        "asistent",
        Role.CASE_WORKER,
        gettext_lazy("copiii propuși și incluși din cele ~10 școli ale sale (printre ele școala demo)"),
    ),
    DemoLogin("scoala", Role.SCHOOL_COORDINATOR, gettext_lazy("școala demo: clase, liste, alerte, absențe")),
    DemoLogin("profesor", Role.CLASS_TEACHER, gettext_lazy("clasa sa (a III-a) din școala demo: condica")),
    DemoLogin("mediator", Role.SCHOOL_MEDIATOR, gettext_lazy("cele ~4 școli ale sale, printre ele școala demo")),
    DemoLogin("formator", Role.TRAINER, gettext_lazy("doar cursurile sale: sesiuni, prezență, certificate")),
    DemoLogin("evaluator", Role.ME_VIEWER, gettext_lazy("doar indicatori agregați, niciun nume de copil")),
    DemoLogin("admin", Role.ADMINISTRATOR, gettext_lazy("conturi, roluri și setări; fără date despre copii")),
)


def _person_name(plan: DemoPlan) -> tuple[str, str]:
    """Three staff members in four are women."""
    if plan.rng.random() < 0.75:
        return plan.fake.first_name_female(), plan.fake.last_name()
    return plan.fake.first_name_male(), plan.fake.last_name()


def _staff_add(plan: DemoPlan, username: str, role: str, scope_kind: str, schools: Sequence[SchoolPlan] = ()) -> int:
    """A staff member with one role; returns their index in `plan.staff`."""
    first, last = _person_name(plan)
    plan.staff.append(
        StaffPlan(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            scope_kind=scope_kind,
            schools=list(schools),
            superuser=role == Role.ADMINISTRATOR,
            demo_login=username in {login.username for login in DEMO_LOGINS},
        )
    )
    return len(plan.staff) - 1


def _neighbour_groups(plan: DemoPlan, size: int) -> list[list[SchoolPlan]]:
    """Schools in groups of `size` neighbours: the first school left with its nearest remaining ones."""
    remaining = list(plan.school_plans)
    groups: list[list[SchoolPlan]] = []
    while remaining:
        head = remaining.pop(0)
        remaining.sort(key=lambda s: ((s.lat - head.lat) ** 2 + ((s.lon - head.lon) * 0.68) ** 2, s.index))
        group = [head, *remaining[: size - 1]]
        remaining = sorted(remaining[size - 1 :], key=lambda s: s.index)
        groups.append(group)
    return groups


def staff_plan(plan: DemoPlan) -> None:
    """Two county coordinators, case workers (~10 schools each), mediators (~4), school coordinators, teachers."""
    demo = plan.demo_school
    assert demo is not None
    _staff_add(plan, "coordonator", Role.COUNTY_COORDINATOR, RoleAssignment.ScopeKind.COUNTY)
    _staff_add(plan, "coord.judet.2", Role.COUNTY_COORDINATOR, RoleAssignment.ScopeKind.COUNTY)
    for n, group in enumerate(_neighbour_groups(plan, 10), start=1):
        name = "asistent" if demo in group else f"asistent.{n}"
        index = _staff_add(plan, name, Role.CASE_WORKER, RoleAssignment.ScopeKind.SCHOOLS, group)
        for school in group:
            school.case_worker = index
    for n, group in enumerate(_neighbour_groups(plan, 4), start=1):
        name = "mediator" if demo in group else f"mediator.{n}"
        index = _staff_add(plan, name, Role.SCHOOL_MEDIATOR, RoleAssignment.ScopeKind.SCHOOLS, group)
        for school in group:
            school.mediator = index
    for school in plan.school_plans:
        name = "scoala" if school is demo else f"coord.{school.index + 1}"
        school.coordinator = _staff_add(plan, name, Role.SCHOOL_COORDINATOR, RoleAssignment.ScopeKind.SCHOOLS, [school])
    _staff_add(plan, "evaluator", Role.ME_VIEWER, RoleAssignment.ScopeKind.NONE)
    _staff_add(plan, "admin", Role.ADMINISTRATOR, RoleAssignment.ScopeKind.NONE)
    _teachers_plan(plan, demo)


def _teachers_plan(plan: DemoPlan, demo: SchoolPlan) -> None:
    """Teachers: a primary teacher keeps a class from pregătitoare to IV; a form teacher (diriginte) from V to
    VIII. The demo class (III A of the demo school in 2026-2027) is taught by the `profesor` login."""
    demo_class = plan.class_by_key.get((1, demo.index, 3, "A"))
    counter = 0

    def teacher(school: SchoolPlan, klass: ClassPlan) -> int:
        nonlocal counter
        if klass is demo_class:
            return _staff_add(plan, "profesor", Role.CLASS_TEACHER, RoleAssignment.ScopeKind.SCHOOLS, [school])
        counter += 1
        return _staff_add(plan, f"prof.{counter}", Role.CLASS_TEACHER, RoleAssignment.ScopeKind.SCHOOLS, [school])

    for school in plan.school_plans:
        _school_teachers(plan, school, teacher, demo_class)


def _school_teachers(
    plan: DemoPlan,
    school: SchoolPlan,
    teacher: Callable[[SchoolPlan, ClassPlan], int],
    demo_class: ClassPlan | None,
) -> None:
    """Each class of 2025-2026 gets its own teacher, who goes up with it into 2026-2027 within its level (to
    grades I–IV and VI–VIII). A class left without one (a new pregătitoare, a new V) takes a teacher who finished
    IV (primary) or VIII (gimnaziu), in order; a new teacher is added only when none is free."""
    year_one = sorted(
        (c for c in plan.classes if c.school is school and c.year == 0), key=lambda c: (c.grade, c.letter)
    )
    year_two = sorted(
        (c for c in plan.classes if c.school is school and c.year == 1), key=lambda c: (c.grade, c.letter)
    )
    # The teacher of the demo class is created first so that `profesor` teaches it in both years.
    continuing: dict[ClassPlan, ClassPlan] = {}
    for klass in year_two:
        if klass.grade in (0, 5):
            continue
        before = plan.class_by_key.get((0, school.index, klass.grade - 1, klass.letter))
        if before is not None:
            continuing[before] = klass
    for klass in year_one:
        follows = continuing.get(klass)
        klass.teacher = teacher(school, demo_class if demo_class and follows is demo_class else klass)
        if follows is not None:
            follows.teacher = klass.teacher
    freed_primary = [c.teacher for c in year_one if c.grade == 4]
    freed_lower = [c.teacher for c in year_one if c.grade == 8]
    for klass in year_two:
        if klass.teacher >= 0:
            continue
        pool = freed_primary if klass.grade <= 4 else freed_lower
        klass.teacher = pool.pop(0) if pool else teacher(school, klass)


def staff_write(plan: DemoPlan) -> None:
    """The accounts (the demo logins with the demo password, the others unusable), one role each from
    1 September 2025, and the schools of each role."""
    demo_hash = make_password(DEMO_PASSWORD)
    locked = make_password(None)
    users = [
        User(
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            password=demo_hash if s.demo_login else locked,
            is_staff=s.superuser,
            is_superuser=s.superuser,
        )
        for s in plan.staff
    ]
    User.objects.bulk_create(users, batch_size=500)
    for member, user in zip(plan.staff, users, strict=True):
        member.obj = user
    valid_from = D(2025, 9, 1)
    assignments = [
        RoleAssignment(
            user=s.obj,
            role=s.role,
            scope_kind=s.scope_kind,
            county_code=COUNTY if s.scope_kind == RoleAssignment.ScopeKind.COUNTY else "",
            valid_from=valid_from,
        )
        for s in plan.staff
    ]
    RoleAssignment.objects.bulk_create(assignments, batch_size=500)
    through = RoleAssignment.schools.through
    links = [
        through(roleassignment_id=a.pk, school_id=school.school.pk)
        for s, a in zip(plan.staff, assignments, strict=True)
        for school in s.schools
    ]
    through.objects.bulk_create(links, batch_size=900)
    plan.out(_("Personal: %(users)d conturi, %(roles)d roluri.") % {"users": len(users), "roles": len(assignments)})
