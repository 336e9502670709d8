"""Reads of activities, the catalogues, the calendar and the coverage table, scoped to the user (out of scope is
404), the school lists the courses and the campaign tick people from, and the figures the results dashboard reads
for a period (activities, courses and campaign alike). The courses' and the campaign's own reads are in
`courses/selectors.py` and `campaign/selectors.py`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.activities.logic import course_completed
from prezent.activities.models import (
    Activity,
    ActivityType,
    CampaignEvent,
    CampaignEventKind,
    Course,
    CourseEnrolment,
    CourseKind,
    CourseSession,
    ParticipantKind,
    Participation,
    SessionAttendance,
)
from prezent.activities.permissions import (
    activity_school_q,
    can_view_all_school_counts,
    course_q,
)
from prezent.children.models import Child, Enrolment, Guardian, Guardianship
from prezent.core.text import fold
from prezent.programme.models import Programme
from prezent.schools.models import ClassGroup, Module, School, SchoolYear
from prezent.schools.selectors import school_year_current

# ---------------------------------------------------------------- schools and their lists


def activity_school_list(*, user: User) -> QuerySet[School]:
    """Schools whose activities and campaign events the user records."""
    return School.objects.filter(activity_school_q(user)).select_related("locality")


def activity_school_get_or_404(*, user: User, pk: int) -> School:
    return get_object_or_404(activity_school_list(user=user), pk=pk)


def programme_school_list(*, user: User) -> QuerySet[School]:
    """The schools of a programme among the user's: the ones the calendar, the coverage table and the map are
    about (a county coordinator's county has hundreds of schools, of which the programme works in some)."""
    return activity_school_list(user=user).filter(pk__in=Programme.objects.values("schools"))


def coverage_school_list(*, user: User) -> QuerySet[School]:
    """The schools of the coverage table and map: the user's programme schools, or every school of a programme for
    the M&E viewer (counts only)."""
    if can_view_all_school_counts(user=user):
        return School.objects.filter(pk__in=Programme.objects.values("schools")).select_related("locality")
    return programme_school_list(user=user)


def programme_period(*, county_code: str) -> tuple[datetime.date, datetime.date] | None:
    """From the start of the county's earliest programme to the end of its latest one."""
    bounds = Programme.objects.filter(county_code=county_code).aggregate(start=Min("start"), end=Max("end"))
    return (bounds["start"], bounds["end"]) if bounds["start"] else None


@dataclass
class ChildRow:
    child: Child
    guardians: list[Guardian] = field(default_factory=list)


@dataclass
class ClassRoster:
    class_group: ClassGroup
    rows: list[ChildRow] = field(default_factory=list)


@dataclass
class SchoolLists:
    """The school's lists to tick participants from: its classes (children with their guardians) and teachers."""

    classes: list[ClassRoster]
    teachers: list[User]

    @property
    def child_ids(self) -> set[int]:
        return {row.child.pk for roster in self.classes for row in roster.rows}

    @property
    def guardian_ids(self) -> set[int]:
        return {g.pk for roster in self.classes for row in roster.rows for g in row.guardians}

    @property
    def teacher_ids(self) -> set[int]:
        return {t.pk for t in self.teachers}


def school_teachers(*, school: School, on: datetime.date | None = None) -> QuerySet[User]:
    """The school's teachers: form teachers of its classes this year and users holding the class teacher role
    over it."""
    day = on or timezone.localdate()
    year = school_year_current(county_code=school.county_code, on=day)
    assignments = RoleAssignment.objects.active(day).filter(role=Role.CLASS_TEACHER, schools=school)
    condition = Q(pk__in=assignments.values("user_id"))
    if year is not None:
        condition |= Q(pk__in=ClassGroup.objects.filter(school=school, school_year=year).values("teacher_id"))
    return User.objects.filter(condition, is_active=True).order_by("last_name", "first_name", "pk")


def school_lists(*, school: School, on: datetime.date | None = None) -> SchoolLists:
    """Four queries whatever the school's size: classes, enrolments, guardianships, teachers."""
    day = on or timezone.localdate()
    year = school_year_current(county_code=school.county_code, on=day)
    classes = list(ClassGroup.objects.filter(school=school, school_year=year).order_by("grade", "letter"))
    rosters = {c.pk: ClassRoster(class_group=c) for c in classes}
    enrolments = (
        Enrolment.objects.filter(class_group_id__in=list(rosters), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "child_id")
    )
    rows: dict[int, ChildRow] = {}
    for enrolment in enrolments:
        if enrolment.child_id in rows:
            continue
        row = ChildRow(child=enrolment.child)
        rows[enrolment.child_id] = row
        rosters[enrolment.class_group_id].rows.append(row)
    links = (
        Guardianship.objects.filter(child_id__in=list(rows))
        .select_related("guardian")
        .order_by("-is_primary_contact", "guardian__last_name", "guardian_id")
    )
    for link in links:
        rows[link.child_id].guardians.append(link.guardian)
    return SchoolLists(classes=[rosters[c.pk] for c in classes], teachers=list(school_teachers(school=school, on=day)))


# ---------------------------------------------------------------- activities


def activity_list_visible_to(*, user: User) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(activity_school_q(user, prefix="school__"))
        .select_related("school", "type")
        .annotate(participant_count=Count("participations"))
    )


def activity_get_for_user_or_404(*, user: User, pk: int) -> Activity:
    return get_object_or_404(activity_list_visible_to(user=user), pk=pk)


@dataclass
class ParticipantGroups:
    children: list[Participation]
    guardians: list[Participation]
    teachers: list[Participation]
    others: list[Participation]

    @property
    def total(self) -> int:
        return len(self.children) + len(self.guardians) + len(self.teachers) + len(self.others)


def _person_key(participation: Participation) -> tuple[str, str]:
    person = participation.child or participation.guardian or participation.teacher
    return (person.last_name, person.first_name) if person else (participation.name, "")


def activity_participants(*, activity: Activity) -> ParticipantGroups:
    groups: dict[str, list[Participation]] = defaultdict(list)
    rows = activity.participations.select_related("child", "guardian", "teacher").order_by("kind", "name", "pk")
    for row in rows:
        groups[row.kind].append(row)
    for people in groups.values():
        people.sort(key=_person_key)
    return ParticipantGroups(
        children=groups[ParticipantKind.CHILD],
        guardians=groups[ParticipantKind.GUARDIAN],
        teachers=groups[ParticipantKind.TEACHER],
        others=groups[ParticipantKind.OTHER],
    )


def activity_types(*, county_code: str, active_only: bool = True) -> QuerySet[ActivityType]:
    """One county's activity types (a school is offered its county's)."""
    types = ActivityType.objects.filter(county_code=county_code)
    return types.filter(active=True) if active_only else types


def campaign_kinds(*, county_code: str, active_only: bool = True) -> QuerySet[CampaignEventKind]:
    """One county's kinds of campaign event."""
    kinds = CampaignEventKind.objects.filter(county_code=county_code)
    return kinds.filter(active=True) if active_only else kinds


@dataclass
class CalendarItem:
    date: datetime.date
    kind: str  # "activity", "campaign", "session"
    title: str
    school: str
    url: str
    detail: str = ""


def calendar_items(
    *, user: User, start: datetime.date, end: datetime.date, school: School | None = None
) -> list[CalendarItem]:
    """Activities, campaign events and course sessions of the user's schools between two dates, by date.
    Three queries. Events and sessions are scoped by the same filters as their own selectors (`activity_school_q`,
    `course_q`), so the calendar needs nothing from the campaign and courses sub-packages."""
    activities = activity_list_visible_to(user=user).filter(date__range=(start, end))
    events = CampaignEvent.objects.filter(
        activity_school_q(user, prefix="school__"), date__range=(start, end)
    ).select_related("school", "kind")
    sessions = (
        CourseSession.objects.filter(date__range=(start, end), course__in=Course.objects.filter(course_q(user)))
        .select_related("course")
        .order_by("date")
    )
    if school is not None:
        activities = activities.filter(school=school)
        events = events.filter(school=school)
        sessions = sessions.filter(course__schools=school).distinct()
    items = [
        CalendarItem(
            date=a.date,
            kind="activity",
            title=a.title,
            school=a.school.short_name or a.school.name,
            url=a.get_absolute_url(),
            detail=str(a.type),
        )
        for a in activities
    ]
    items += [
        CalendarItem(
            date=e.date,
            kind="campaign",
            title=str(e.kind),
            school=e.school.short_name or e.school.name,
            url=e.get_absolute_url(),
            detail=e.description,
        )
        for e in events
    ]
    items += [
        CalendarItem(
            date=s.date,
            kind="session",
            title=s.course.title,
            school="",
            url=s.course.get_absolute_url(),
            detail=s.topic,
        )
        for s in sessions
    ]
    return sorted(items, key=lambda item: (item.date, item.kind, item.title))


# ---------------------------------------------------------------- coverage


def coverage_modules(*, county_code: str, on: datetime.date | None = None) -> tuple[SchoolYear | None, list[Module]]:
    year = school_year_current(county_code=county_code, on=on)
    return year, list(year.modules.order_by("number")) if year else []


@dataclass
class CoverageRow:
    school: School
    counts: list[int]  # per type, in the order of `CoverageTable.types`

    @property
    def types_held(self) -> int:
        return sum(1 for n in self.counts if n)


@dataclass
class CoverageTable:
    types: list[ActivityType]
    rows: list[CoverageRow]

    @property
    def schools_with_any(self) -> int:
        return sum(1 for row in self.rows if row.types_held)


def activity_coverage(*, schools: QuerySet[School], start: datetime.date, end: datetime.date) -> CoverageTable:
    """Which schools had which types of activity between two dates (a module): three queries."""
    school_list = list(schools.order_by("name"))
    counties = {school.county_code for school in school_list}
    types = list(
        ActivityType.objects.filter(county_code__in=counties)
        .filter(Q(active=True) | Q(activities__date__range=(start, end)))
        .distinct()
    )
    counts: dict[tuple[int, int], int] = {
        (r["school_id"], r["type_id"]): r["n"]
        for r in Activity.objects.filter(date__range=(start, end), school__in=[s.pk for s in school_list])
        .values("school_id", "type_id")
        .annotate(n=Count("pk"))
    }
    rows = [CoverageRow(school=s, counts=[counts.get((s.pk, t.pk), 0) for t in types]) for s in school_list]
    return CoverageTable(types=types, rows=rows)


# ---------------------------------------------------------------- figures for the results dashboard


@dataclass(frozen=True)
class ActivityCount:
    code: str
    label: str
    activities: int
    participations: int


def parents_reached(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Guardian ids who took part, by name, in an activity, a course session or a campaign meeting in the period.
    Campaign events counted only as numbers reached (leaflets, posters) name nobody and are not included."""
    ids = set(
        Participation.objects.filter(activity__date__range=(start, end), guardian__isnull=False).values_list(
            "guardian_id", flat=True
        )
    )
    ids |= set(
        SessionAttendance.objects.filter(
            session__date__range=(start, end), enrolment__guardian__isnull=False
        ).values_list("enrolment__guardian_id", flat=True)
    )
    ids |= set(
        CampaignEvent.guardians.through.objects.filter(campaignevent__date__range=(start, end)).values_list(
            "guardian_id", flat=True
        )
    )
    return ids


def _completed_enrolments(*, kind: str, start: datetime.date, end: datetime.date, person: str) -> set[int]:
    courses = {
        c.pk: c
        for c in Course.objects.filter(kind=kind, end__range=(start, end)).annotate(
            session_count=Count("sessions", distinct=True)
        )
    }
    enrolments = (
        CourseEnrolment.objects.filter(course_id__in=list(courses), **{f"{person}__isnull": False})
        .annotate(attended_count=Count("attendance"))
        .values_list("course_id", f"{person}_id", "attended_count")
    )
    return {
        person_id
        for course_id, person_id, attended in enrolments
        if course_completed(
            attended=attended,
            sessions=courses[course_id].session_count,  # type: ignore[attr-defined]
            percent=courses[course_id].completion_percent,
        )
    }


def parents_completed_course(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Guardian ids who completed a parent course whose last day falls in the period."""
    return _completed_enrolments(kind=CourseKind.PARENTS, start=start, end=end, person="guardian")


def teachers_trained(*, start: datetime.date, end: datetime.date) -> set[int]:
    """One enrolment id per teacher who completed a teacher course whose last day falls in the period: a teacher
    with an account is one person whatever the course; one without (on a trainee list, no account needed) is told
    apart by their name (`fold`: no case, diacritics or extra spaces) and school. The id kept is the person's first
    completed enrolment, so the set counts people. Two queries."""
    courses = {
        c.pk: c
        for c in Course.objects.filter(kind=CourseKind.TEACHERS, end__range=(start, end)).annotate(
            session_count=Count("sessions", distinct=True)
        )
    }
    enrolments = (
        CourseEnrolment.objects.filter(course_id__in=list(courses))
        .annotate(attended_count=Count("attendance"))
        .values_list("pk", "course_id", "teacher_id", "name", "school_id", "attended_count")
        .order_by("pk")
    )
    people: dict[object, int] = {}
    for pk, course_id, teacher_id, name, school_id, attended in enrolments:
        course = courses[course_id]
        if not course_completed(
            attended=attended,
            sessions=course.session_count,  # type: ignore[attr-defined]
            percent=course.completion_percent,
        ):
            continue
        person = ("account", teacher_id) if teacher_id is not None else ("list", fold(name), school_id)
        people.setdefault(person, pk)
    return set(people.values())


def teachers_with_accounts_trained(*, start: datetime.date, end: datetime.date) -> set[int]:
    """User ids (accounts.User) of teachers with an account who completed a teacher course ending in the period."""
    return _completed_enrolments(kind=CourseKind.TEACHERS, start=start, end=end, person="teacher")


def localities_with_activities(*, start: datetime.date, end: datetime.date) -> set[int]:
    """Locality ids (SIRUTA) of the schools where an activity or a campaign event was held in the period."""
    held: set[int | None] = set(
        Activity.objects.filter(date__range=(start, end))
        .order_by()
        .values_list("school__locality_id", flat=True)
        .distinct()
    )
    held |= set(
        CampaignEvent.objects.filter(date__range=(start, end))
        .order_by()
        .values_list("school__locality_id", flat=True)
        .distinct()
    )
    return {locality for locality in held if locality is not None}


# The kinds of activity held that are not an activity type: the two kinds of course and the information campaign,
# counted with negative numbers so they never meet an ActivityType id.
COURSE_KIND_IDS: dict[str, int] = {CourseKind.PARENTS: -1, CourseKind.TEACHERS: -2}
CAMPAIGN_KIND_ID = -3


def activity_kinds_held(*, start: datetime.date, end: datetime.date) -> set[int]:
    """The kinds of activity held in the period: each activity type (by code) with an activity, each kind of course
    with a session, and the information campaign when it held an event. Three queries."""
    # each county has its own copy of a type (decision 45): a kind is its code, represented by its first row's id
    kinds = set(
        Activity.objects.filter(date__range=(start, end))
        .values("type__code")
        .annotate(first=Min("type_id"))
        .values_list("first", flat=True)
    )
    kinds |= {
        COURSE_KIND_IDS[kind]
        for kind in CourseSession.objects.filter(date__range=(start, end))
        .order_by()
        .values_list("course__kind", flat=True)
        .distinct()
        if kind in COURSE_KIND_IDS
    }
    if CampaignEvent.objects.filter(date__range=(start, end)).exists():
        kinds.add(CAMPAIGN_KIND_ID)
    return kinds


def schools_with_activities(*, start: datetime.date, end: datetime.date) -> set[int]:
    return set(
        Activity.objects.filter(date__range=(start, end)).order_by().values_list("school_id", flat=True).distinct()
    )


def schools_reached_by_campaign(*, start: datetime.date, end: datetime.date) -> set[int]:
    return set(
        CampaignEvent.objects.filter(date__range=(start, end)).order_by().values_list("school_id", flat=True).distinct()
    )


def activities_by_type(*, start: datetime.date, end: datetime.date) -> list[ActivityCount]:
    """Every type (the inactive ones only if they were used) with its activities and participations in the period.
    Three queries."""
    activities = dict(
        Activity.objects.filter(date__range=(start, end))
        .values("type_id")
        .annotate(n=Count("pk"))
        .values_list("type_id", "n")
    )
    participations = dict(
        Participation.objects.filter(activity__date__range=(start, end))
        .values("activity__type_id")
        .annotate(n=Count("pk"))
        .values_list("activity__type_id", "n")
    )
    by_code: dict[str, list[Any]] = {}  # each county has its own copy of a type: counted together by code
    for t in ActivityType.objects.order_by("order", "name", "county_code"):
        if t.active or t.pk in activities:
            row = by_code.setdefault(t.code, [t.name, 0, 0])
            row[1] += activities.get(t.pk, 0)
            row[2] += participations.get(t.pk, 0)
    return [
        ActivityCount(code=code, label=label, activities=n, participations=p) for code, (label, n, p) in by_code.items()
    ]
