"""The figures the results dashboard reads for a period."""

import datetime

import pytest

from prezent.activities.campaign.services import Reached, campaign_event_record
from prezent.activities.models import CourseEnrolment
from prezent.activities.selectors import (
    ActivityCount,
    activities_by_type,
    parents_completed_course,
    parents_reached,
    schools_reached_by_campaign,
    schools_with_activities,
    teachers_trained,
)
from prezent.activities.services import ActivityDetails, activity_record
from prezent.activities.tests.factories import (
    ActivityFactory,
    CourseFactory,
    activity_type,
    add_guardian,
    attend,
    campaign_kind,
    course_with_sessions,
)

AUTUMN = (datetime.date(2026, 9, 1), datetime.date(2026, 12, 31))
SPRING = (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30))


@pytest.fixture
def recorded(activities_world):
    w = activities_world
    w.guardian_a2 = add_guardian(w.child_a2)
    w.guardian_meeting = add_guardian(w.child_a1_other)
    activity_record(
        school=w.school_a,
        details=ActivityDetails(
            type=activity_type("scoala-parintilor"),
            title="Școala părinților",
            date=datetime.date(2026, 11, 4),
            start_time=None,
            place="",
            facilitator="Ioana Munteanu",
            audience="parents",
            notes="",
        ),
        child_ids=[w.child_a1.pk],
        guardian_ids=[w.guardian_a2.pk],
        actor=w.users.school_coord,
    )
    campaign_event_record(
        school=w.school_a,
        kind=campaign_kind(),
        date=datetime.date(2026, 11, 5),
        description="",
        reached=Reached(parents=10),
        guardian_ids=[w.guardian_meeting.pk],
        actor=w.users.school_coord,
    )
    return w


def test_parents_reached_by_activity_session_and_meeting(recorded):
    w = recorded
    assert parents_reached(start=AUTUMN[0], end=AUTUMN[1]) == {
        w.guardian_a1.pk,
        w.guardian_a2.pk,
        w.guardian_meeting.pk,
    }
    assert parents_reached(start=SPRING[0], end=SPRING[1]) == set()


def test_parents_completed_a_course_ending_in_the_period(recorded):
    w = recorded
    assert parents_completed_course(start=AUTUMN[0], end=AUTUMN[1]) == {w.guardian_a1.pk}
    assert parents_completed_course(start=SPRING[0], end=SPRING[1]) == set()


def test_a_parent_below_the_threshold_has_not_completed(recorded):
    w = recorded
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2026, 12, 1))
    sessions = course_with_sessions(course, [datetime.date(2026, 10, d) for d in (1, 8, 15, 22, 29)])
    enrolment = CourseEnrolment.objects.create(
        course=course, guardian=w.guardian_a2, name="x", enrolled_on=datetime.date(2026, 10, 1)
    )
    attend(enrolment, sessions[:3])
    assert w.guardian_a2.pk not in parents_completed_course(start=AUTUMN[0], end=AUTUMN[1])
    course.completion_percent = 60
    course.save()
    assert w.guardian_a2.pk in parents_completed_course(start=AUTUMN[0], end=AUTUMN[1])


def test_teachers_trained_are_user_ids(recorded):
    w = recorded
    course = CourseFactory(
        kind="teachers", trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2027, 2, 1)
    )
    sessions = course_with_sessions(course, [datetime.date(2027, 1, 15), datetime.date(2027, 1, 22)])
    enrolment = CourseEnrolment.objects.create(
        course=course, teacher=w.users.teacher, name="t", enrolled_on=datetime.date(2027, 1, 15)
    )
    outsider = CourseEnrolment.objects.create(course=course, name="Extern", enrolled_on=datetime.date(2027, 1, 15))
    attend(enrolment, sessions)
    attend(outsider, sessions)
    assert teachers_trained(start=SPRING[0], end=SPRING[1]) == {w.users.teacher.pk}
    assert teachers_trained(start=AUTUMN[0], end=AUTUMN[1]) == set()


def test_schools_with_activities_and_reached_by_campaign(recorded):
    w = recorded
    assert schools_with_activities(start=AUTUMN[0], end=AUTUMN[1]) == {w.school_a.pk, w.school_b.pk}
    assert schools_reached_by_campaign(start=AUTUMN[0], end=AUTUMN[1]) == {w.school_a.pk, w.school_b.pk}
    assert schools_reached_by_campaign(start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 9)) == {
        w.school_a.pk
    }
    ActivityFactory(school=w.school_b, date=datetime.date(2027, 3, 3))
    assert schools_with_activities(start=SPRING[0], end=SPRING[1]) == {w.school_b.pk}


def test_activities_by_type_counts_activities_and_participations(recorded):
    counts = {c.code: c for c in activities_by_type(start=AUTUMN[0], end=AUTUMN[1])}
    assert counts["scoala-parintilor"] == ActivityCount(
        code="scoala-parintilor", label="Întâlnire cu părinții (școala părinților)", activities=1, participations=2
    )
    assert counts["lectura"].activities == 2 and counts["lectura"].participations == 0
    assert len(counts) == 10
    with pytest.raises(AttributeError):
        counts["lectura"].activities = 3  # type: ignore[misc]
