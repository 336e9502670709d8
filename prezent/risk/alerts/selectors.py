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
user holds.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from prezent.accounts.models import Role, User
from prezent.accounts.permissions import can_view_children
from prezent.accounts.scope import scope_for
from prezent.children.models import Enrolment
from prezent.children.selectors import child_list_visible_to
from prezent.risk.models import Alert, AlertStatus, Level, RiskScore
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


def alert_worklist(
    *, user: User, on: datetime.date, mine: bool = True, status: str = "open", overdue: bool = False
) -> QuerySet[Alert]:
    """The work list: open alerts (or closed, or all), mine or all I may see, overdue first by due date.
    One query, with the child, school, step and assignee joined."""
    alerts = alert_list_visible_to(user=user)
    if mine:
        alerts = alerts.filter(alert_my_q(user))
    if status == "open":
        alerts = alerts.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        alerts = alerts.filter(status=AlertStatus.CLOSED)
    if overdue:
        alerts = alerts.filter(status__in=OPEN_STATUSES, due_on__lt=on)
    return alerts.select_related("child", "school", "step", "assigned_to").order_by("due_on", "pk")


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
    """Two aggregate queries for the whole school."""
    overview = SchoolOverview(school=school, levels=_levels_by_school([school.pk]).get(school.pk, {}))
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


@dataclass
class CountyOverview:
    rows: list[SchoolOverview]
    total: SchoolOverview


def county_overview(*, user: User, on: datetime.date) -> CountyOverview:
    """Per school of the coordinator's county: children by level, open and overdue alerts. Three queries in all."""
    schools = list(School.objects.filter(school_scope_q(user, Role.COUNTY_COORDINATOR)).order_by("name", "pk"))
    school_ids = [s.pk for s in schools]
    levels = _levels_by_school(school_ids)
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
        )
        rows.append(row)
        total.open += row.open
        total.overdue += row.overdue
        for code, n in row.levels.items():
            total.levels[code] = total.levels.get(code, 0) + n
    return CountyOverview(rows=rows, total=total)
