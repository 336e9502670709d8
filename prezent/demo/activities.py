"""The demo's programme work: a year of non-formal activities in every school, two parent courses and one teacher
course per group of schools (the ~10 schools of each case worker), and the information campaign in every school.

Built after `demo_seed` from what it wrote (schools, classes, enrolments, guardians, staff), with random.Random(seed)
and lists in a fixed order, then written with bulk inserts: the same seed and `today` give the same rows. Nothing
after `today` is recorded as done: activities and campaign events are in the past, sessions after `today` have no
attendance. Three trainers are created; `formator` (the demo password) trains the demo school's group.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.activities.models import (
    Activity,
    ActivityType,
    CampaignEvent,
    CampaignEventKind,
    CampaignMaterial,
    Course,
    CourseEnrolment,
    CourseSession,
    Participation,
    SessionAttendance,
)
from prezent.activities.services import catalogues_load_defaults
from prezent.children.models import Enrolment, Guardian, Guardianship
from prezent.core.services import audit_record
from prezent.programme.models import MembershipStatus, Programme, TargetGroupMembership
from prezent.schools.models import ClassGroup, School, SchoolYear

D = datetime.date
COUNTY = "IS"
TRAINERS = (("formator", "Elena", "Bălan"), ("formator.2", "Mihai", "Ștefănescu"), ("formator.3", "Ioana", "Țepeș"))
FACILITATORS = ("Ioana Munteanu", "Andrei Rusu", "Maria Ciobanu", "Vasile Lungu", "Cristina Țurcanu", "Ana Șerban")
PLACES = ("sala de clasă", "biblioteca școlii", "sala de sport", "curtea școlii", "căminul cultural")
PARENT_COURSES = (
    ("Părinți implicați, copii prezenți la școală", (D(2025, 10, 6), 6)),
    ("Comunicarea în familie și sprijinul la teme", (D(2026, 3, 2), 6)),
)
TEACHER_COURSE = ("Copiii în situație de risc: identificare și sprijin", (D(2026, 1, 12), 5))
PARENT_TOPICS = (
    "De ce contează fiecare zi de școală",
    "Rutina de dimineață și temele",
    "Cum vorbim cu copilul despre școală",
    "Drepturi, beneficii sociale și acte",
    "Colaborarea cu dirigintele",
    "Planul familiei pentru anul școlar",
)
TEACHER_TOPICS = (
    "Semnalele timpurii ale abandonului",
    "Absențele: motivare, înștiințare, sesizare",
    "Lucrul cu familiile vulnerabile",
    "Educația incluzivă a copiilor romi",
    "Planul de servicii și urmărirea cazului",
)
CAMPAIGN_PLAN = (
    ("intalnire", D(2025, 10, 13), "Întâlnire de informare cu părinții despre program", (("Pliante", 60),)),
    ("pliante", D(2025, 10, 20), "Pliante „Fiecare zi contează” pentru familii", (("Pliante", 150),)),
    ("afis", D(2025, 10, 6), "Afișe la intrarea în școală și la primărie", (("Afișe A2", 4),)),
    ("media-locala", D(2025, 11, 10), "Anunț în publicația locală și la radio", ()),
)


@dataclass
class SchoolData:
    school: School
    recorder_id: int
    classes: dict[int, list[int]] = field(default_factory=dict)  # school year id → class ids
    teachers: list[int] = field(default_factory=list)


def _school_months(start: D, end: D) -> list[D]:
    months, day = [], start.replace(day=1)
    while day <= end:
        if day.month not in (7, 8):
            months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _weekday_in(rng: random.Random, month: D, today: D) -> D | None:
    last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    days = [
        month + datetime.timedelta(days=i)
        for i in range((last - month).days + 1)
        if (month + datetime.timedelta(days=i)).weekday() < 5 and month + datetime.timedelta(days=i) <= today
    ]
    return rng.choice(days) if days else None


class ActivitiesDemo:
    def __init__(self, *, seed: int, today: D) -> None:
        self.rng = random.Random(f"activities-{seed}")
        self.today = today
        self.counts: dict[str, int] = defaultdict(int)

    def run(self) -> dict[str, int]:
        programme = Programme.objects.filter(county_code=COUNTY).order_by("pk").first()
        if programme is None:
            return {}
        schools = list(programme.schools.order_by("pk"))
        catalogues_load_defaults(county_code=COUNTY)
        self.years = list(SchoolYear.objects.filter(county_code=COUNTY).order_by("start"))
        self._load(schools)
        self._activities()
        self._courses()
        self._campaign()
        audit_record(actor=None, action="demo.activities", target_type="demo", details=dict(self.counts))
        return dict(self.counts)

    # -- reading what the demo wrote -----------------------------------------------------------------------------

    def _load(self, schools: list[School]) -> None:
        recorders = dict(
            RoleAssignment.objects.filter(role=Role.SCHOOL_COORDINATOR, schools__in=schools)
            .order_by("pk")
            .values_list("schools", "user_id")
        )
        fallback = User.objects.filter(role_assignments__role=Role.COUNTY_COORDINATOR).order_by("pk").first()
        self.schools = [
            SchoolData(school=s, recorder_id=recorders.get(s.pk, fallback.pk if fallback else 0)) for s in schools
        ]
        by_pk = {d.school.pk: d for d in self.schools}
        self.class_teacher: dict[int, int | None] = {}
        for pk, school_id, year_id, teacher_id in (
            ClassGroup.objects.filter(school__in=schools)
            .order_by("school_year__start", "grade", "letter", "pk")
            .values_list("pk", "school_id", "school_year_id", "teacher_id")
        ):
            by_pk[school_id].classes.setdefault(year_id, []).append(pk)
            self.class_teacher[pk] = teacher_id
            if teacher_id and teacher_id not in by_pk[school_id].teachers:
                by_pk[school_id].teachers.append(teacher_id)
        self.pupils: dict[int, list[tuple[int, D, D | None]]] = defaultdict(list)
        for child_id, class_id, start, end in (
            Enrolment.objects.filter(class_group__school__in=schools)
            .order_by("class_group_id", "child_id", "pk")
            .values_list("child_id", "class_group_id", "start", "end")
        ):
            self.pupils[class_id].append((child_id, start, end))
        self.guardians: dict[int, list[int]] = defaultdict(list)
        for child_id, guardian_id in (
            Guardianship.objects.filter(child__enrolments__class_group__school__in=schools)
            .distinct()
            .order_by("child_id", "-is_primary_contact", "guardian_id")
            .values_list("child_id", "guardian_id")
        ):
            self.guardians[child_id].append(guardian_id)
        included = TargetGroupMembership.objects.filter(status=MembershipStatus.INCLUDED).values_list(
            "child_id", flat=True
        )
        self.target_parents: set[int] = {g for child in included for g in self.guardians.get(child, [])[:1]}
        self.groups: list[list[SchoolData]] = []
        assignments = RoleAssignment.objects.filter(role=Role.CASE_WORKER).order_by("pk").prefetch_related("schools")
        for assignment in assignments:
            group = [by_pk[s.pk] for s in sorted(assignment.schools.all(), key=lambda s: s.pk) if s.pk in by_pk]
            if group:
                self.groups.append(group)
        if not self.groups and self.schools:
            self.groups = [self.schools]

    def _year_for(self, day: D) -> SchoolYear | None:
        return next((y for y in self.years if y.start <= day <= y.end), None)

    def _children_on(self, class_id: int, day: D) -> list[int]:
        return [c for c, start, end in self.pupils.get(class_id, []) if start <= day and (end is None or end >= day)]

    # -- activities ------------------------------------------------------------------------------------------------

    def _activities(self) -> None:
        types = list(ActivityType.objects.filter(county_code=COUNTY, active=True).order_by("order", "pk"))
        if not types or not self.years:
            return
        months = _school_months(self.years[0].start, self.today)
        activities: list[Activity] = []
        plans: list[tuple[Activity, list[int], list[int], list[int]]] = []
        rng = self.rng
        for data in self.schools:
            for month in months:
                for _n in range(rng.choice((1, 2, 2, 3))):
                    day = _weekday_in(rng, month, self.today)
                    year = self._year_for(day) if day else None
                    class_ids = data.classes.get(year.pk, []) if year else []
                    if day is None or not class_ids:
                        continue
                    kind = rng.choice(types)
                    class_id = rng.choice(class_ids)
                    pupils = self._children_on(class_id, day)
                    if not pupils:
                        continue
                    children = rng.sample(pupils, min(len(pupils), rng.randint(8, 20)))
                    guardians: list[int] = []
                    if kind.audience in ("parents", "mixed"):
                        for child in children[: rng.randint(4, 12)]:
                            guardians.extend(self.guardians.get(child, [])[:1])
                    if kind.audience == "parents":
                        children = []
                    teachers = [t for t in (self.class_teacher.get(class_id),) if t]
                    activity = Activity(
                        school=data.school,
                        type=kind,
                        title=kind.name,
                        date=day,
                        start_time=datetime.time(rng.choice((12, 13, 14, 15)), 0),
                        place=rng.choice(PLACES),
                        facilitator=rng.choice(FACILITATORS),
                        audience=kind.audience,
                        created_by_id=data.recorder_id,
                    )
                    activities.append(activity)
                    plans.append((activity, sorted(set(children)), sorted(set(guardians)), teachers))
        Activity.objects.bulk_create(activities, batch_size=1000)
        rows: list[Participation] = []
        for activity, children, guardians, teachers in plans:
            rows += [Participation(activity=activity, kind="child", child_id=c) for c in children]
            rows += [Participation(activity=activity, kind="guardian", guardian_id=g) for g in guardians]
            rows += [Participation(activity=activity, kind="teacher", teacher_id=t) for t in teachers]
            if self.rng.random() < 0.15:
                rows.append(Participation(activity=activity, kind="other", name="Voluntar Holt România"))
        Participation.objects.bulk_create(rows, batch_size=2000)
        self.counts["activities"] = len(activities)
        self.counts["participations"] = len(rows)

    # -- courses ---------------------------------------------------------------------------------------------------

    def _trainers(self) -> list[User]:
        from prezent.demo.staff import DEMO_PASSWORD

        trainers = []
        for username, first, last in TRAINERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "password": make_password(DEMO_PASSWORD if username == "formator" else None),
                },
            )
            if created:
                RoleAssignment.objects.create(
                    user=user, role=Role.TRAINER, scope_kind=RoleAssignment.ScopeKind.NONE, valid_from=D(2025, 9, 1)
                )
            trainers.append(user)
        return trainers

    def _courses(self) -> None:
        trainers = self._trainers()
        demo_school_ids = set(RoleAssignment.objects.filter(user__username="scoala").values_list("schools", flat=True))
        demo_group = next(
            (i for i, group in enumerate(self.groups) if any(d.school.pk in demo_school_ids for d in group)), 0
        )
        order = [demo_group] + [i for i in range(len(self.groups)) if i != demo_group]
        courses: list[tuple[Course, list[SchoolData], list[str]]] = []
        for n, index in enumerate(order):
            group = self.groups[index]
            trainer = trainers[0] if n == 0 else trainers[1 + n % (len(trainers) - 1)]
            for title, (first, count) in PARENT_COURSES:
                courses.append((self._course("parents", title, first, count, trainer, group), group, []))
            title, (first, count) = TEACHER_COURSE
            courses.append((self._course("teachers", title, first, count, trainer, group), group, []))
        Course.objects.bulk_create([c for c, _g, _t in courses])
        through = Course.schools.through
        through.objects.bulk_create(
            [through(course_id=c.pk, school_id=d.school.pk) for c, group, _t in courses for d in group]
        )
        sessions: list[CourseSession] = []
        by_course: dict[int, list[CourseSession]] = {}
        for course, _group, _t in courses:
            topics = PARENT_TOPICS if course.kind == "parents" else TEACHER_TOPICS
            count = 6 if course.kind == "parents" else 5
            rows = [
                CourseSession(course=course, date=course.start + datetime.timedelta(days=7 * i), topic=topics[i])
                for i in range(count)
            ]
            by_course[course.pk] = rows
            sessions += rows
        CourseSession.objects.bulk_create(sessions)
        enrolments: list[CourseEnrolment] = []
        names = self._names(courses)
        for course, group, _t in courses:
            enrolments += self._enrolments(course, group, names)
        CourseEnrolment.objects.bulk_create(enrolments, batch_size=1000)
        attendance = []
        for enrolment in enrolments:
            assiduity = self.rng.choice((1.0, 0.95, 0.9, 0.85, 0.6))
            for session in by_course[enrolment.course_id]:
                if session.date <= self.today and self.rng.random() < assiduity:
                    attendance.append(SessionAttendance(session=session, enrolment=enrolment))
        SessionAttendance.objects.bulk_create(attendance, batch_size=2000)
        self.counts["courses"] = len(courses)
        self.counts["course_enrolments"] = len(enrolments)
        self.counts["session_attendance"] = len(attendance)

    def _course(self, kind: str, title: str, first: D, sessions: int, trainer: User, group: list[SchoolData]) -> Course:
        return Course(
            kind=kind,
            title=title,
            trainer=trainer,
            county_code=COUNTY,
            start=first,
            end=first + datetime.timedelta(days=7 * (sessions - 1)),
            place=group[0].school.locality.name if group else "",
            hours=2 * sessions,
            completion_percent=80,
        )

    def _names(self, courses: list[tuple[Course, list[SchoolData], list[str]]]) -> dict[tuple[str, int], str]:
        school_ids = [d.school.pk for d in self.schools]
        guardians = Guardian.objects.filter(guardianship__child__enrolments__class_group__school__in=school_ids)
        names = {
            ("g", pk): f"{last} {first}"
            for pk, last, first in guardians.distinct().values_list("pk", "last_name", "first_name")
        }
        teacher_ids = {t for d in self.schools for t in d.teachers}
        names.update(
            {
                ("t", pk): f"{first} {last}".strip() or username
                for pk, first, last, username in User.objects.filter(pk__in=teacher_ids).values_list(
                    "pk", "first_name", "last_name", "username"
                )
            }
        )
        return names

    def _enrolments(
        self, course: Course, group: list[SchoolData], names: dict[tuple[str, int], str]
    ) -> list[CourseEnrolment]:
        rng = self.rng
        if course.kind == "teachers":
            # the programme trained nearly all the teachers of its schools (1,023 planned): most of the group's
            # teachers take its course
            pool = sorted({t for d in group for t in d.teachers})
            chosen = rng.sample(pool, round(len(pool) * rng.uniform(0.6, 0.85)))
            return [
                CourseEnrolment(
                    course=course,
                    teacher_id=t,
                    name=names.get(("t", t), ""),
                    enrolled_on=course.start,
                    pre_score=Decimal(rng.randint(40, 70)),
                    post_score=Decimal(rng.randint(70, 95)) if course.end <= self.today else None,
                )
                for t in sorted(chosen)
            ]
        year = self._year_for(course.start)
        pool_set: set[int] = set()
        for d in group:
            for class_id in d.classes.get(year.pk, []) if year else []:
                for child in self._children_on(class_id, course.start):
                    pool_set.update(self.guardians.get(child, [])[:1])
        # parent education is for the parents of the target group's children first; others fill the places left
        wanted = rng.randint(12, 18)
        first = sorted(pool_set & self.target_parents)
        chosen = rng.sample(first, min(len(first), wanted))
        rest = sorted(pool_set - set(chosen))
        chosen += rng.sample(rest, min(len(rest), wanted - len(chosen)))
        return [
            CourseEnrolment(
                course=course,
                guardian_id=g,
                name=names.get(("g", g), ""),
                enrolled_on=course.start,
                pre_score=Decimal(rng.randint(35, 65)) if rng.random() < 0.7 else None,
                post_score=Decimal(rng.randint(60, 95)) if course.end <= self.today and rng.random() < 0.7 else None,
            )
            for g in sorted(chosen)
        ]

    # -- campaign --------------------------------------------------------------------------------------------------

    def _campaign(self) -> None:
        kinds = {k.code: k for k in CampaignEventKind.objects.filter(county_code=COUNTY)}
        events: list[CampaignEvent] = []
        materials: list[tuple[CampaignEvent, str, int]] = []
        named: list[tuple[CampaignEvent, list[int]]] = []
        rng = self.rng
        for data in self.schools:
            year = self._year_for(D(2025, 10, 13))
            pupils = sorted(
                {
                    c
                    for class_id in (data.classes.get(year.pk, []) if year else [])
                    for c in self._children_on(class_id, D(2025, 10, 13))
                }
            )
            for code, first, description, stuff in CAMPAIGN_PLAN:
                if code not in kinds or (code == "media-locala" and rng.random() < 0.5):
                    continue
                day = first + datetime.timedelta(days=rng.randint(0, 4))
                if day > self.today:
                    continue
                size = len(pupils)
                event = CampaignEvent(
                    school=data.school,
                    kind=kinds[code],
                    date=day,
                    description=description,
                    reached_children=0 if code == "intalnire" else round(size * rng.uniform(0.5, 0.9)),
                    reached_parents=round(size * rng.uniform(0.2, 0.6)),
                    reached_teachers=len(data.teachers),
                    reached_others=rng.randint(0, 30),
                    created_by_id=data.recorder_id,
                )
                events.append(event)
                materials += [(event, name, qty) for name, qty in stuff]
                if code == "intalnire":
                    present = rng.sample(pupils, min(len(pupils), rng.randint(6, 15)))
                    named.append((event, sorted({g for c in present for g in self.guardians.get(c, [])[:1]})))
        CampaignEvent.objects.bulk_create(events, batch_size=1000)
        CampaignMaterial.objects.bulk_create([CampaignMaterial(event=e, name=n, quantity=q) for e, n, q in materials])
        through = CampaignEvent.guardians.through
        links = [through(campaignevent_id=e.pk, guardian_id=g) for e, ids in named for g in ids]
        through.objects.bulk_create(links, batch_size=2000)
        for event, ids in named:
            if event.reached_parents < len(ids):
                event.reached_parents = len(ids)
        CampaignEvent.objects.bulk_update([e for e, _ids in named], ["reached_parents"])
        self.counts["campaign_events"] = len(events)
        self.counts["campaign_named_parents"] = len(links)


@transaction.atomic
def demo_activities_seed(*, seed: int, today: D) -> dict[str, int]:
    """Build the activities, courses and campaign of the demo; counts only."""
    return ActivitiesDemo(seed=seed, today=today).run()


def demo_activities_line(*, seed: int, today: D) -> str:
    """Seed and describe the result in one line (for `seed_demo`)."""
    import time

    started = time.monotonic()
    counts = demo_activities_seed(seed=seed, today=today)
    return _(
        "Activități: %(activities)d activități (%(participations)d participări), %(courses)d cursuri "
        "(formator: „formator”), %(events)d acțiuni de informare (%(s).1f s)."
    ) % {
        "activities": counts.get("activities", 0),
        "participations": counts.get("participations", 0),
        "courses": counts.get("courses", 0),
        "events": counts.get("campaign_events", 0),
        "s": time.monotonic() - started,
    }
