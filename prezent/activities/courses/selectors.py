"""Reads of the training courses, scoped to the user (out of scope is 404): a trainer reads only their own."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.activities.logic import course_completed
from prezent.activities.models import Course, CourseEnrolment, CourseKind, CourseSession, SessionAttendance
from prezent.activities.permissions import course_q
from prezent.activities.selectors import school_teachers
from prezent.children.models import Guardianship


def course_list_visible_to(*, user: User) -> QuerySet[Course]:
    return (
        Course.objects.filter(course_q(user))
        .select_related("trainer")
        .annotate(session_count=Count("sessions", distinct=True), enrolment_count=Count("enrolments", distinct=True))
    )


def course_get_for_user_or_404(*, user: User, pk: int) -> Course:
    return get_object_or_404(course_list_visible_to(user=user), pk=pk)


def session_get_for_user_or_404(*, user: User, pk: int) -> CourseSession:
    return get_object_or_404(
        CourseSession.objects.filter(course__in=Course.objects.filter(course_q(user))).select_related("course"),
        pk=pk,
    )


@dataclass
class EnrolmentRow:
    enrolment: CourseEnrolment
    attended: int
    sessions: int
    completed: bool

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.sessions) if self.sessions else 0


def course_enrolment_rows(*, course: Course) -> list[EnrolmentRow]:
    """Each participant with sessions attended and whether they completed the course (two queries)."""
    sessions = course.sessions.count()
    enrolments = course.enrolments.annotate(attended_count=Count("attendance")).order_by("name", "pk")
    return [
        EnrolmentRow(
            enrolment=e,
            attended=e.attended_count,  # type: ignore[attr-defined]
            sessions=sessions,
            completed=course_completed(
                attended=e.attended_count,  # type: ignore[attr-defined]
                sessions=sessions,
                percent=course.completion_percent,
            ),
        )
        for e in enrolments
    ]


def session_attendee_ids(*, session: CourseSession) -> set[int]:
    return set(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", flat=True))


@dataclass
class Candidate:
    pk: int
    name: str
    detail: str


def course_candidates(*, course: Course, on: datetime.date | None = None) -> list[Candidate]:
    """Who can be enrolled from the lists: for a parent course, the guardians of the children of the course's
    schools (a guardian's name and their child's class, never the child's name); for a teacher course, the
    schools' teachers. People already enrolled are left out."""
    day = on or timezone.localdate()
    schools = list(course.schools.all())
    if course.kind == CourseKind.TEACHERS:
        enrolled = set(course.enrolments.exclude(teacher=None).values_list("teacher_id", flat=True))
        seen: dict[int, Candidate] = {}
        for school in schools:
            for teacher in school_teachers(school=school, on=day):
                if teacher.pk not in enrolled and teacher.pk not in seen:
                    seen[teacher.pk] = Candidate(
                        teacher.pk, teacher.get_full_name() or teacher.username, school.short_name or school.name
                    )
        return sorted(seen.values(), key=lambda c: c.name)
    enrolled = set(course.enrolments.exclude(guardian=None).values_list("guardian_id", flat=True))
    links = (
        Guardianship.objects.filter(
            child__enrolments__class_group__school__in=schools,
            child__enrolments__start__lte=day,
        )
        .filter(Q(child__enrolments__end__isnull=True) | Q(child__enrolments__end__gte=day))
        .exclude(guardian_id__in=enrolled)
        .select_related("guardian")
        .values(
            "guardian_id",
            "guardian__last_name",
            "guardian__first_name",
            "child__enrolments__class_group__school__short_name",
            "child__enrolments__class_group__school__name",
        )
        .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
    )
    candidates: dict[int, Candidate] = {}
    for link in links:
        if link["guardian_id"] not in candidates:
            school_label = (
                link["child__enrolments__class_group__school__short_name"]
                or link["child__enrolments__class_group__school__name"]
            )
            candidates[link["guardian_id"]] = Candidate(
                link["guardian_id"], f"{link['guardian__last_name']} {link['guardian__first_name']}", school_label
            )
    return list(candidates.values())


def trainer_choices() -> QuerySet[User]:
    assignments = RoleAssignment.objects.active().filter(role=Role.TRAINER)
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).order_by("last_name", "pk")
