"""Reads of alerts and the work lists, always scoped to the user. Out of scope is 404.

Who sees which alert:
- county coordinator: every alert of the schools of their county (or of their assigned schools);
- school coordinator, school mediator: the alerts of their schools;
- NGO case worker: the alerts of the children they may open (target-group children of their schools);
- class teacher: the alerts of the pupils currently in their classes that the ladder gives to the teacher role.
  Ladder alerts are about attendance facts the teacher wrote in the register, not screening flags, so they need no
  prior review;
- trainer, M&E viewer, administrator: none.
"My alerts" are the open alerts the user may see that are assigned to them, or unassigned and given to a role the
user holds. An alert whose step's role nobody can hold for the child (no case worker sees a child outside the target
group; a class without a teacher) is given to the school's coordinator, else to the county coordinator, when it opens
and every night after (`AlertReach`, decision 38): it is "unreached", a filter of the county coordinator's list.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for
from prezent.children.models import Child, Enrolment
from prezent.children.permissions import CASEWORK_STATUSES
from prezent.children.selectors import child_list_visible_to
from prezent.risk.indicators import id_list
from prezent.risk.models import Alert, AlertStatus, Level, RiskScore
from prezent.risk.selectors import PartialData, partial_data_by_school
from prezent.schools.models import School
from prezent.schools.selectors import school_scope_q

SCHOOL_ALERT_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
# Roles that may open a school's overview (counts only): those with the school in their scope.
OVERVIEW_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR, Role.CASE_WORKER)
OPEN_STATUSES = (AlertStatus.OPEN, AlertStatus.IN_PROGRESS)


def alert_scope_q(user: User) -> Q:
    """A filter on Alert for the alerts `user` may see."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.has(*SCHOOL_ALERT_ROLES):
        condition |= Q(school__in=School.objects.filter(school_scope_q(user, *SCHOOL_ALERT_ROLES)).values("pk"))
    if scope.has(Role.CASE_WORKER):
        condition |= Q(child__in=child_list_visible_to(user=user).values("pk"))
    if scope.has(Role.CLASS_TEACHER):
        own_pupil = Enrolment.objects.filter(child=OuterRef("child_id"), class_group__teacher=user, end__isnull=True)
        condition |= Q(Exists(own_pupil), assignee_role=Role.CLASS_TEACHER)
    return condition


def alert_list_visible_to(*, user: User) -> QuerySet[Alert]:
    if not can_view_children(user=user):
        return Alert.objects.none()
    return Alert.objects.filter(alert_scope_q(user))


def alert_get_for_user_or_404(*, user: User, pk: int) -> Alert:
    return get_object_or_404(
        alert_list_visible_to(user=user).select_related("child", "school", "step", "assigned_to", "escalated_from"),
        pk=pk,
    )


def alert_my_q(user: User) -> Q:
    roles = sorted(scope_for(user).roles)
    return Q(assigned_to=user) | Q(assigned_to__isnull=True, assignee_role__in=roles)


def alert_unreached_q() -> Q:
    """Open alerts nobody has taken that went to another role than their step's: nobody of the step's role could
    see the child when the alert was last routed."""
    return Q(status__in=OPEN_STATUSES, assigned_to__isnull=True) & ~Q(assignee_role=F("step__assignee_role"))


def alert_worklist(
    *,
    user: User,
    on: datetime.date,
    mine: bool = True,
    status: str = "open",
    overdue: bool = False,
    unreached: bool = False,
) -> QuerySet[Alert]:
    """The work list: open alerts (or closed, or all), mine or all I may see, overdue first by due date; or only
    the unreached ones. One query, with the child, school, step and assignee joined."""
    alerts = alert_list_visible_to(user=user)
    if unreached:
        alerts = alerts.filter(alert_unreached_q())
    elif mine:
        alerts = alerts.filter(alert_my_q(user))
    if status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        alerts = alerts.filter(status=AlertStatus.CLOSED)
    if overdue:
        alerts = alerts.filter(status__in=OPEN_STATUSES, due_on__lt=on)
    return alerts.select_related("child", "school", "step", "assigned_to").order_by("due_on", "pk")


ROUTED_ROLES = (Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR, Role.CASE_WORKER, Role.COUNTY_COORDINATOR)
FALLBACK_ROLES = (Role.SCHOOL_COORDINATOR, Role.COUNTY_COORDINATOR)


@dataclass(frozen=True)
class AlertReach:
    """Who can hold an alert, read in a few queries for many alerts: per role, the counties and schools some active
    person of that role reaches; the children whose current class has an active class teacher; the children
    proposed for or included in a target group (whom a case worker sees). The same rules as `alert_scope_q`."""

    counties: dict[str, set[str]]
    schools: dict[str, set[int]]
    county_of: dict[int, str]
    taught: set[int]
    casework: set[int]

    def reaches(self, role: str, *, child_id: int, school_id: int) -> bool:
        if role == Role.CLASS_TEACHER:
            return child_id in self.taught
        if role == Role.CASE_WORKER and child_id not in self.casework:
            return False
        return school_id in self.schools.get(role, set()) or self.county_of.get(school_id) in self.counties.get(
            role, set()
        )

    def role_for(self, step_role: str, *, child_id: int, school_id: int) -> str:
        """The step's role if someone holding it sees the child; else the school's coordinator; else the county
        coordinator; with nobody at all, the school's coordinator (the county coordinator's "unreached" list)."""
        for role in (step_role, *FALLBACK_ROLES):
            if self.reaches(role, child_id=child_id, school_id=school_id):
                return role
        return Role.SCHOOL_COORDINATOR.value


def alert_reach(*, pairs: set[tuple[int, int]], chunk: int = 5000) -> AlertReach:
    """Who can hold the alerts of these (child, school) pairs: two queries, and two per few thousand children."""
    school_ids = {school for _, school in pairs}
    child_ids = sorted({child for child, _ in pairs})
    county_of = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "county_code"))
    counties: dict[str, set[str]] = {}
    schools: dict[str, set[int]] = {}
    assignments = RoleAssignment.objects.active().filter(
        Q(scope_kind=RoleAssignment.ScopeKind.COUNTY, county_code__in=set(county_of.values()))
        | Q(scope_kind=RoleAssignment.ScopeKind.SCHOOLS, schools__in=school_ids),
        user__is_active=True,
        role__in=ROUTED_ROLES,
    )
    for role, kind, county, school in assignments.values_list("role", "scope_kind", "county_code", "schools"):
        if kind == RoleAssignment.ScopeKind.COUNTY:
            counties.setdefault(role, set()).add(county)
        elif school is not None:
            schools.setdefault(role, set()).add(school)
    teachers = RoleAssignment.objects.active().filter(role=Role.CLASS_TEACHER, user__is_active=True).values("user_id")
    taught: set[int] = set()
    casework: set[int] = set()
    for start in range(0, len(child_ids), chunk):
        ids = id_list(child_ids[start : start + chunk])
        taught.update(
            Enrolment.objects.filter(child_id__in=ids, end__isnull=True, class_group__teacher__in=teachers)
            .values_list("child_id", flat=True)
            .distinct()
        )
        casework.update(
            Child.objects.filter(pk__in=ids, target_memberships__status__in=CASEWORK_STATUSES)
            .values_list("pk", flat=True)
            .distinct()
        )
    return AlertReach(counties, schools, county_of, taught, casework)


def alert_notes(*, alert: Alert) -> QuerySet:  # type: ignore[type-arg]
    return alert.notes.select_related("author").order_by("-date", "-pk")


def alert_notices(*, alert: Alert) -> QuerySet:  # type: ignore[type-arg]
    return alert.notices.select_related("guardian", "created_by").order_by("-created_at")


def overview_school_list(*, user: User) -> QuerySet[School]:
    """Schools whose overview the user may open (a teacher's school is not among them: it shows other classes)."""
    return School.objects.filter(school_scope_q(user, *OVERVIEW_ROLES))


def overview_school_get_or_404(*, user: User, pk: int) -> School:
    return get_object_or_404(overview_school_list(user=user), pk=pk)


LEVEL_ORDER = [Level.HIGH.value, Level.MEDIUM.value, Level.LOW.value, Level.NONE.value]


@dataclass
class StepRow:
    order: int
    name: str
    open: int = 0
    overdue: int = 0


@dataclass
class SchoolOverview:
    """Counts for one school: children by current risk level, open and overdue alerts (in all and per step)."""

    school: School
    levels: dict[str, int] = field(default_factory=dict)
    open: int = 0
    overdue: int = 0
    steps: list[StepRow] = field(default_factory=list)
    partial: PartialData = field(default_factory=PartialData)  # scored on partial data (unknown indicators)

    @property
    def level_rows(self) -> list[tuple[str, str, int]]:
        labels = dict(Level.choices)
        return [(code, str(labels[code]), self.levels.get(code, 0)) for code in LEVEL_ORDER]

    @property
    def scored(self) -> int:
        return sum(self.levels.values())


def _levels_by_school(school_ids: QuerySet[School] | list[int]) -> dict[int, dict[str, int]]:
    rows = (
        RiskScore.objects.filter(is_current=True, school_id__in=school_ids)
        .values("school_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:
        found.setdefault(row["school_id"], {})[row["level"]] = row["n"]
    return found


def _open_counts(on: datetime.date) -> dict[str, Count]:
    return {"open_n": Count("pk"), "overdue_n": Count("pk", filter=Q(due_on__lt=on))}


def school_overview(*, school: School, on: datetime.date) -> SchoolOverview:
    """Four queries for the whole school (levels, partial data: two, alerts per step)."""
    overview = SchoolOverview(
        school=school,
        levels=_levels_by_school([school.pk]).get(school.pk, {}),
        partial=partial_data_by_school(school_ids=[school.pk]).get(school.pk, PartialData()),
    )
    rows = (
        Alert.objects.filter(school=school, status__in=OPEN_STATUSES)
        .values("step__order", "step__name")
        .annotate(**_open_counts(on))
        .order_by("step__order")
    )
    for row in rows:
        overview.steps.append(
            StepRow(order=row["step__order"], name=row["step__name"], open=row["open_n"], overdue=row["overdue_n"])
        )
        overview.open += row["open_n"]
        overview.overdue += row["overdue_n"]
    return overview


COUNTY_SORTS = ("name", "open", "overdue", "high")


@dataclass
class CountyOverview:
    rows: list[SchoolOverview]
    total: SchoolOverview
    has_programme: bool = False  # some school with pupils this year is in a programme


def county_overview(
    *, user: User, on: datetime.date, programme_only: bool = False, sort: str = "name"
) -> CountyOverview:
    """Per school of the coordinator's county that teaches pupils this school year (a class of the year that covers
    `on` with an enrolment; nurseries and clubs with no pupils are left out): children by level, open and overdue
    alerts. The programme's schools come first, then by `sort` (name, open or overdue alerts, children at high
    risk); `programme_only` keeps only them; and per school the children scored on partial data. Five queries (and the
    user's scope), whatever the number of schools."""
    teaches = Enrolment.objects.filter(
        class_group__school=OuterRef("pk"),
        class_group__school_year__start__lte=on,
        class_group__school_year__end__gte=on,
        start__lte=on,
    ).filter(Q(end__isnull=True) | Q(end__gte=on))
    in_programme = School.objects.filter(pk=OuterRef("pk"), programmes__isnull=False)
    schools = list(
        School.objects.filter(school_scope_q(user, Role.COUNTY_COORDINATOR))
        .filter(Exists(teaches))
        .annotate(in_programme=Exists(in_programme))
        .order_by("name", "pk")
    )
    has_programme = any(s.in_programme for s in schools)  # type: ignore[attr-defined]
    if programme_only:
        schools = [s for s in schools if s.in_programme]  # type: ignore[attr-defined]
    school_ids = [s.pk for s in schools]
    levels = _levels_by_school(school_ids)
    partial = partial_data_by_school(school_ids=school_ids)
    alert_rows = (
        Alert.objects.filter(school_id__in=school_ids, status__in=OPEN_STATUSES)
        .values("school_id")
        .annotate(**_open_counts(on))
        .order_by()
    )
    alerts = {row["school_id"]: row for row in alert_rows}
    total = SchoolOverview(school=School(name=""), levels={})
    rows = []
    for school in schools:
        counts = alerts.get(school.pk, {})
        row = SchoolOverview(
            school=school,
            levels=levels.get(school.pk, {}),
            open=counts.get("open_n", 0),
            overdue=counts.get("overdue_n", 0),
            partial=partial.get(school.pk, PartialData()),
        )
        rows.append(row)
        total.partial.add(row.partial)
        total.open += row.open
        total.overdue += row.overdue
        for code, n in row.levels.items():
            total.levels[code] = total.levels.get(code, 0) + n
    keys = {
        "open": lambda r: -r.open,
        "overdue": lambda r: -r.overdue,
        "high": lambda r: -r.levels.get(Level.HIGH.value, 0),
    }
    key = keys.get(sort)
    # stable sorts: by the chosen count (the name order kept for ties), then the programme's schools first
    if key is not None:
        rows.sort(key=key)
    rows.sort(key=lambda r: not r.school.in_programme)  # type: ignore[attr-defined]
    return CountyOverview(rows=rows, total=total, has_programme=has_programme)
