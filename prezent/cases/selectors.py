"""Reads of cases, always scoped to the user (see permissions.py for the rules). Out of scope is 404.

The functions at the end (`children_served`, `services_by_type`, `first_intervention_dates`, `referral_counts`,
`children_handed_over`) are counts for the results dashboard: they return ids and numbers only and are not scoped
(the results app decides who sees them).
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.scope import scope_for
from prezent.attendance.rates import AttendanceTotals
from prezent.attendance.selectors import attendance_for_child
from prezent.cases.models import (
    HANDOVER_REASONS,
    HOME_VISIT_CODE,
    OPEN_CASE_STATUSES,
    SOCIAL_ASSISTANCE,
    Assessment,
    Case,
    CaseAssignment,
    CaseNote,
    CaseStatus,
    Confidentiality,
    Domain,
    HomeVisit,
    Intervention,
    InterventionPlan,
    InterventionType,
    NeedLevel,
    Recipient,
    Referral,
)
from prezent.cases.permissions import (
    APPROVE_ROLES,
    CONFIDENTIAL_ROLES,
    REASSIGN_ROLES,
    can_view_cases,
    case_scope_q,
    child_in_schools_q,
)
from prezent.children.models import Child, Enrolment, Guardian, Guardianship
from prezent.children.permissions import HISTORY_DAYS
from prezent.schools.calendar import Calendar
from prezent.schools.selectors import calendar_for, school_year_for_date

WINDOW_SCHOOL_DAYS = 20


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    if not can_view_cases(user=user):
        return Case.objects.none()
    return Case.objects.filter(case_scope_q(user))


def case_get_for_user_or_404(*, user: User, pk: int) -> Case:
    return get_object_or_404(
        case_list_visible_to(user=user).select_related(
            "child", "household", "school", "programme", "case_worker", "source_alert", "consent"
        ),
        pk=pk,
    )


def case_notes_visible_to(*, user: User, case: Case | None = None) -> QuerySet[CaseNote]:
    """Case notes the user may read: team notes of the cases they see; confidential notes only where their
    case-worker or coordinator role reaches the case. Every list of notes goes through here."""
    visible_cases = case_list_visible_to(user=user)
    notes = CaseNote.objects.filter(case__in=visible_cases.values("pk"))
    confidential_cases = Case.objects.filter(child_in_schools_q(user, *CONFIDENTIAL_ROLES)).values("pk")
    notes = notes.filter(Q(confidentiality=Confidentiality.TEAM) | Q(case__in=confidential_cases))
    if case is not None:
        notes = notes.filter(case=case)
    return notes.select_related("author")


def case_note_search(*, user: User, text: str) -> QuerySet[CaseNote]:
    """Notes containing `text`, among those the user may read (confidential ones never leak through a search)."""
    return case_notes_visible_to(user=user).filter(text__icontains=text)


def case_rows(*, user: User, mine: bool = False, status: str = "") -> QuerySet[Case]:
    """The case list: child, school and case worker joined; the current plan's next review, the last intervention
    and the open cases of siblings annotated. A constant number of queries whatever the number of cases."""
    cases = case_list_visible_to(user=user)
    if mine:
        cases = cases.filter(case_worker=user)
    if status == "open":
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    current_plan = InterventionPlan.objects.filter(case=OuterRef("pk"), is_current=True)
    last_intervention = Intervention.objects.filter(case=OuterRef("pk")).order_by("-delivered_on", "-pk")
    siblings = (
        Case.objects.filter(household=OuterRef("household"), status__in=OPEN_CASE_STATUSES)
        .exclude(pk=OuterRef("pk"))
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        cases.select_related("child", "school", "case_worker")
        .annotate(
            next_review_on=Subquery(current_plan.values("next_review_on")[:1]),
            last_intervention_on=Subquery(last_intervention.values("delivered_on")[:1]),
            sibling_cases=Subquery(siblings[:1]),
        )
        .order_by("child__last_name", "child__first_name", "pk")
    )


def case_siblings(*, user: User, case: Case) -> QuerySet[Case]:
    """The cases of the child's brothers and sisters (same household) that the user may see."""
    if case.household_id is None:
        return Case.objects.none()
    return (
        case_list_visible_to(user=user)
        .filter(household_id=case.household_id)
        .exclude(child_id=case.child_id)
        .select_related("child")
        .order_by("child__birth_date")
    )


def case_open_for_child(*, child: Child) -> Case | None:
    return Case.objects.filter(child=child, status__in=OPEN_CASE_STATUSES).first()


def children_with_open_case(child_ids: Collection[int]) -> set[int]:
    """Those of these children who have an open case (the early warning's "open a case file" is done for them).
    One query per few thousand children."""
    ids = sorted(child_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        found.update(
            Case.objects.filter(child_id__in=ids[start : start + 5000], status__in=OPEN_CASE_STATUSES).values_list(
                "child_id", flat=True
            )
        )
    return found


def children_referred_to_social_assistance(child_ids: Collection[int]) -> set[int]:
    """Those of these children whose open case records a referral to SPAS or DGASPC (the early warning's referral
    step is done for them): any referral of the case, answered or not, a handover to SPAS waiting for approval
    included; a referral in a closed case does not count (a case reopened later starts the question again).
    One query per few thousand children."""
    ids = sorted(child_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        found.update(
            Referral.objects.filter(
                case__child_id__in=ids[start : start + 5000],
                case__status__in=OPEN_CASE_STATUSES,
                institution__in=SOCIAL_ASSISTANCE,
            )
            .order_by()
            .values_list("case__child_id", flat=True)
            .distinct()
        )
    return found


def intervention_types_active(*, county_code: str) -> QuerySet[InterventionType]:
    """The types in use in one county's catalogue (a case is offered its school's county's)."""
    return InterventionType.objects.filter(county_code=county_code, is_active=True).order_by("order", "label")


def intervention_types_of(*, county_code: str) -> QuerySet[InterventionType]:
    """One county's whole catalogue, in use or not (the coordinator's catalogue page)."""
    return InterventionType.objects.filter(county_code=county_code).order_by("order", "label")


# -- the case page -------------------------------------------------------------------------------------------


@dataclass
class NeedRow:
    domain: str
    label: str
    level: int | None
    level_label: str
    note: str
    previous: int | None = None

    @property
    def change(self) -> str:
        """ "better", "worse", "same" or "" (no earlier assessment)."""
        if self.previous is None or self.level is None:
            return ""
        if self.level < self.previous:
            return "better"
        if self.level > self.previous:
            return "worse"
        return "same"


@dataclass
class AssessmentView:
    assessment: Assessment
    previous: Assessment | None
    rows: list[NeedRow]


def assessment_views(*, case: Case) -> list[AssessmentView]:
    """Each assessment with its needs per domain, compared with the one before it. Two queries."""
    assessments = list(
        Assessment.objects.filter(case=case)
        .prefetch_related("needs")
        .select_related("author")
        .order_by("assessed_on", "pk")
    )
    levels = dict(NeedLevel.choices)
    views: list[AssessmentView] = []
    previous: Assessment | None = None
    for assessment in assessments:
        needs = {n.domain: n for n in assessment.needs.all()}
        before = {n.domain: n.level for n in previous.needs.all()} if previous else {}
        rows = []
        for domain, label in Domain.choices:
            need = needs.get(domain)
            level = need.level if need else None
            rows.append(
                NeedRow(
                    domain=domain,
                    label=str(label),
                    level=level,
                    level_label=str(levels[level]) if level is not None else "–",
                    note=need.note if need else "",
                    previous=before.get(domain),
                )
            )
        views.append(AssessmentView(assessment=assessment, previous=previous, rows=rows))
        previous = assessment
    views.reverse()
    return views


def assessment_latest(*, case: Case) -> Assessment | None:
    return Assessment.objects.filter(case=case).prefetch_related("needs").order_by("-assessed_on", "-pk").first()


def plan_current(*, case: Case) -> InterventionPlan | None:
    return (
        InterventionPlan.objects.filter(case=case, is_current=True)
        .prefetch_related("services__type", "reviews__author")
        .first()
    )


def case_interventions(*, case: Case) -> QuerySet[Intervention]:
    return (
        Intervention.objects.filter(case=case).select_related("type", "delivered_by").order_by("-delivered_on", "-pk")
    )


def case_visits(*, case: Case) -> QuerySet[HomeVisit]:
    return HomeVisit.objects.filter(case=case).select_related("visitor", "alert__step").order_by("-pk")


def case_referrals(*, case: Case) -> QuerySet[Referral]:
    return Referral.objects.filter(case=case).select_related("author").order_by("-sent_on", "-pk")


def case_assignments(*, case: Case) -> QuerySet[CaseAssignment]:
    """Who the case was with, newest first ("În lucru la X din…, înainte la Y")."""
    return (
        CaseAssignment.objects.filter(case=case)
        .select_related("from_worker", "to_worker", "actor")
        .order_by("-date", "-pk")
    )


def reassign_candidates(*, case: Case, today: datetime.date | None = None) -> QuerySet[User]:
    """The case workers who see the child today: a case-worker role over a school where the child is (or was
    within a year) enrolled, or over the county of the case's school. The current case worker is left out."""
    day = today or timezone.localdate()
    recent = Q(end__isnull=True) | Q(end__gte=day - datetime.timedelta(days=HISTORY_DAYS))
    schools = Enrolment.objects.filter(recent, child_id=case.child_id).values("class_group__school_id")
    reach = RoleAssignment.objects.active().filter(
        Q(county_code=case.school.county_code, scope_kind="county") | Q(schools__id__in=schools),
        role=Role.CASE_WORKER,
    )
    people = User.objects.filter(pk__in=reach.values("user_id"), is_active=True)
    if case.case_worker_id is not None:
        people = people.exclude(pk=case.case_worker_id)
    return people.order_by("last_name", "first_name", "username")


def referrals_unanswered(*, user: User, mine: bool = True) -> QuerySet[Referral]:
    """Referrals of open cases still waiting for the institution's answer, the earliest due (the overdue) first:
    of my cases (`mine`) or of every case the user sees. A case's handover is not a referral waiting for an
    answer."""
    cases = case_list_visible_to(user=user).filter(status__in=OPEN_CASE_STATUSES)
    if mine:
        cases = cases.filter(case_worker=user)
    return (
        Referral.objects.filter(status=Referral.Status.SENT, is_handover=False, case__in=cases.values("pk"))
        .select_related("case__child", "case__case_worker")
        .order_by(F("due_on").asc(nulls_last=True), "sent_on", "pk")
    )


@dataclass(frozen=True)
class WaitingReferrals:
    total: int
    overdue: int


def referrals_waiting(*, user: User, on: datetime.date) -> WaitingReferrals:
    """How many referrals wait for an answer and how many of them are past their due date, among those of the
    user's work page (`referrals_unanswered`: the coordinators' scope, a case worker's own cases). One query."""
    row = referrals_unanswered(user=user, mine=not referrals_scope_wide(user=user)).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on))
    )
    return WaitingReferrals(total=row["total"], overdue=row["overdue"])


def referrals_scope_wide(*, user: User) -> bool:
    """Coordinators follow the referrals of every case they see; a case worker those of their own cases."""
    return scope_for(user).has(*REASSIGN_ROLES)


@dataclass
class BeforeAfter:
    """Attendance over the school days before an intervention started and the same number after."""

    type_label: str
    started_on: datetime.date
    before: AttendanceTotals
    after: AttendanceTotals
    before_days: int
    after_days: int

    @property
    def change_points(self) -> float | None:
        if self.before.rate is None or self.after.rate is None:
            return None
        return round((self.after.rate - self.before.rate) * 100, 1)

    @property
    def change_text(self) -> str:
        change = self.change_points
        if change is None:
            return "–"
        return f"{change:+.1f} pp".replace(".", ",")


def _windows(
    calendar: Calendar | None, start: datetime.date, today: datetime.date, size: int
) -> tuple[datetime.date, datetime.date, int, datetime.date, datetime.date, int]:
    """[b0, b1] the `size` school days before `start`, [a0, a1] from `start` up to `size` school days or today."""
    one = datetime.timedelta(days=1)
    if calendar is None:
        span = datetime.timedelta(days=size * 7 // 5)
        after_end = min(today, start + span - one)
        return start - span, start - one, 0, start, after_end, 0
    before = calendar.last_school_days(start - one, size)
    after: list[datetime.date] = []
    day = start
    last = min(today, max(e for _s, e in calendar.modules))
    while day <= last and len(after) < size:
        if calendar.is_school_day(day):
            after.append(day)
        day += one
    b0, b1 = (before[0], before[-1]) if before else (start - one, start - one)
    a0, a1 = (after[0], after[-1]) if after else (start, start)
    return b0, b1, len(before), a0, a1, len(after)


def attendance_before_after(
    *, case: Case, today: datetime.date | None = None, size: int = WINDOW_SCHOOL_DAYS
) -> list[BeforeAfter]:
    """For each kind of intervention the child received, the attendance rate over the `size` school days before
    the first delivery and over (up to) `size` school days from it. Rates count only days with a register
    (prezent/attendance/selectors.py), so "not recorded" never counts as present."""
    on = today or timezone.localdate()
    firsts = (
        Intervention.objects.filter(case=case)
        .values("type_id", "type__label")
        .annotate(first=Min("delivered_on"))
        .order_by("first", "type__label")
    )
    county = case.school.county_code
    rows: list[BeforeAfter] = []
    calendars: dict[int, Calendar] = {}
    for row in firsts:
        start = row["first"]
        year = school_year_for_date(county_code=county, day=start)
        calendar = None
        if year is not None:
            calendar = calendars.setdefault(year.pk, calendar_for(year))
        b0, b1, nb, a0, a1, na = _windows(calendar, start, on, size)
        rows.append(
            BeforeAfter(
                type_label=row["type__label"],
                started_on=start,
                before=attendance_for_child(child=case.child, start=b0, end=b1)
                if nb or calendar is None
                else AttendanceTotals(),
                after=attendance_for_child(child=case.child, start=a0, end=a1)
                if na or calendar is None
                else AttendanceTotals(),
                before_days=nb,
                after_days=na,
            )
        )
    return rows


# -- the case worker's work page ------------------------------------------------------------------------------


def cases_mine(*, user: User) -> QuerySet[Case]:
    return case_rows(user=user, mine=True, status="open")


def reviews_overdue(*, user: User, on: datetime.date) -> QuerySet[InterventionPlan]:
    """Current plans of my open cases whose review date has passed."""
    return (
        InterventionPlan.objects.filter(
            is_current=True,
            next_review_on__lt=on,
            case__in=case_list_visible_to(user=user).filter(case_worker=user, status__in=OPEN_CASE_STATUSES),
        )
        .select_related("case__child")
        .order_by("next_review_on", "pk")
    )


def cases_without_plan(*, user: User) -> QuerySet[Case]:
    return (
        case_list_visible_to(user=user)
        .filter(case_worker=user, status__in=OPEN_CASE_STATUSES)
        .exclude(Exists(InterventionPlan.objects.filter(case=OuterRef("pk"), is_current=True)))
        .select_related("child")
        .order_by("opened_on", "pk")
    )


def visits_planned(*, user: User, start: datetime.date, end: datetime.date) -> QuerySet[HomeVisit]:
    """Planned (not yet done) visits in [start, end] of the cases I work on or that I am to make."""
    cases = case_list_visible_to(user=user)
    return (
        HomeVisit.objects.filter(
            Q(visitor=user) | Q(case__case_worker=user),
            case__in=cases.values("pk"),
            status=HomeVisit.Status.PLANNED,
            planned_on__gte=start,
            planned_on__lte=end,
        )
        .select_related("case__child")
        .order_by("planned_on", "pk")
    )


def closures_to_approve(*, user: User) -> QuerySet[Case]:
    if not scope_for(user).has(*APPROVE_ROLES):
        return Case.objects.none()
    return (
        Case.objects.filter(child_in_schools_q(user, *APPROVE_ROLES))
        .filter(closure_requested_on__isnull=False)
        .exclude(status="closed")
        .select_related("child", "case_worker")
        .order_by("closure_requested_on", "pk")
    )


# -- for the results dashboard (counts and ids only) ----------------------------------------------------------


@dataclass(frozen=True)
class ServiceCount:
    code: str
    label: str
    deliveries: int
    children: int
    quantity: int


def _delivered(start: datetime.date, end: datetime.date) -> QuerySet[Intervention]:
    return Intervention.objects.filter(delivered_on__gte=start, delivered_on__lte=end)


def children_served(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Ids of the children who received at least one intervention in [start, end] — in a case, on a distribution
    list or in a group —, to the child or to the child's family. A family intervention counts for the household:
    the child it was recorded for and every other child of the same household (the results keep the target
    group's). Two queries."""
    delivered = _delivered(start, end)
    # order_by(): the model's ordering would add its columns to the DISTINCT (a row per delivery, not per child)
    ids = set(delivered.order_by().values_list("child_id", flat=True).distinct())
    households = delivered.filter(recipient=Recipient.FAMILY, child__household__isnull=False).values(
        "child__household_id"
    )
    ids |= set(Child.objects.filter(household_id__in=households).values_list("pk", flat=True))
    return ids


def parents_reached_by_services(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Guardian ids reached by casework in [start, end]: the guardians (of the child, and of the child's household)
    of every service to a family, and of every home visit where the parent was found at home. A home visit's own
    "home visit" service is left out (it is recorded even when nobody was home); the visit decides. Two queries."""
    family = (
        _delivered(start, end).filter(recipient=Recipient.FAMILY).exclude(type__code=HOME_VISIT_CODE).values("child_id")
    )
    visited = HomeVisit.objects.filter(
        status=HomeVisit.Status.DONE, parent_reached=True, visited_on__gte=start, visited_on__lte=end
    ).values("case__child_id")
    children = Child.objects.filter(Q(pk__in=family) | Q(pk__in=visited))
    ids = set(Guardianship.objects.filter(child__in=children).values_list("guardian_id", flat=True))
    ids |= set(
        Guardian.objects.filter(household__isnull=False, household_id__in=children.values("household_id")).values_list(
            "pk", flat=True
        )
    )
    return ids


def services_by_type(*, start: datetime.date, end: datetime.date) -> list[ServiceCount]:
    """Per intervention type delivered in [start, end]: deliveries, distinct children reached, total quantity.
    One query; types with no delivery are left out; ordered as the catalogue."""
    rows = (
        _delivered(start, end)
        .values("type__code", "type__label", "type__order")
        .annotate(deliveries=Count("pk"), children=Count("child_id", distinct=True), quantity=Sum("quantity"))
        .order_by("type__order", "type__label")
    )
    return [
        ServiceCount(
            code=row["type__code"],
            label=row["type__label"],
            deliveries=row["deliveries"],
            children=row["children"],
            quantity=row["quantity"] or 0,
        )
        for row in rows
    ]


def first_intervention_dates(*, child_ids: Collection[int]) -> dict[int, datetime.date]:
    """The date of each child's first intervention (children without one are absent)."""
    rows = (
        Intervention.objects.filter(child_id__in=list(child_ids))
        .values("child_id")
        .annotate(first=Min("delivered_on"))
        .order_by()
    )
    return {row["child_id"]: row["first"] for row in rows}


@dataclass(frozen=True)
class ReferralCounts:
    """Referrals sent in a period, how many of them have an answer, and how many still wait past their due date."""

    sent: int
    answered: int
    overdue: int


def referral_counts(*, start: datetime.date, end: datetime.date, on: datetime.date) -> ReferralCounts:
    """Referrals sent in [start, end] (handovers left out): sent, answered (or closed) by `on`, and unanswered with
    the due date before `on`. One query."""
    row = Referral.objects.filter(sent_on__gte=start, sent_on__lte=end, is_handover=False).aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(answered_on__isnull=False, answered_on__lte=on)),
        overdue=Count("pk", filter=Q(status=Referral.Status.SENT, due_on__lt=on)),
    )
    return ReferralCounts(sent=row["sent"], answered=row["answered"], overdue=row["overdue"])


def children_handed_over(*, start: datetime.date, end: datetime.date) -> dict[int, str]:
    """Children whose case closed in [start, end] by being handed over to the school or to SPAS, with the closure
    reason ("handed_school" / "handed_spas"); a child with several such cases keeps the last."""
    rows = (
        Case.objects.filter(
            status=CaseStatus.CLOSED, closure_reason__in=HANDOVER_REASONS, closed_on__gte=start, closed_on__lte=end
        )
        .order_by("closed_on", "pk")
        .values_list("child_id", "closure_reason")
    )
    return dict(rows)


def case_workers_for(*, case_school_id: int, county_code: str) -> QuerySet[User]:
    """People holding the case-worker role over the school (or its county) today: who may be responsible."""
    assignments = RoleAssignment.objects.active().filter(role=Role.CASE_WORKER)
    reach = assignments.filter(Q(county_code=county_code, scope_kind="county") | Q(schools__id=case_school_id))
    return User.objects.filter(pk__in=reach.values("user_id")).order_by("last_name", "first_name", "username")


def localities_served(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Locality ids (SIRUTA) where a child who received a service in [start, end] lives: the household's locality,
    or, when the household has none recorded, that of the school of the case, distribution list or group the
    service was recorded on. One query."""
    return set(
        _delivered(start, end)
        .annotate(
            place=Coalesce(
                "child__household__locality_id",
                "case__school__locality_id",
                "delivery_list__school__locality_id",
                "group__school__locality_id",
            )
        )
        .values_list("place", flat=True)
        .order_by()  # the model's ordering would add its columns to the DISTINCT: a row per delivery
        .distinct()
    )


def service_units_by_day(
    *, programme_id: int, start: datetime.date, end: datetime.date
) -> list[tuple[int, datetime.date, int]]:
    """The units of service the programme's cases delivered in [start, end], per intervention type and day: the
    quantity of each delivery (meals, kits; the ticks of a distribution list or a group of the programme's schools
    included, which have no case), or 1 when it has none. One aggregate query (a row per type and day); what the
    budget prices with the unit costs."""
    rows = (
        _delivered(start, end)
        .filter(
            Q(case__programme_id=programme_id)
            | Q(case__isnull=True, delivery_list__school__programmes__id=programme_id)
            | Q(case__isnull=True, group__school__programmes__id=programme_id)
        )
        .values_list("type_id", "delivered_on")
        .annotate(units=Sum(Coalesce("quantity", Value(1))))
        .order_by("type_id", "delivered_on")
    )
    return [(type_id, day, units or 0) for type_id, day, units in rows]
