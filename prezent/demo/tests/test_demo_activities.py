"""The demo's activities, courses and campaign: every school has activities and the campaign, each group of
schools two parent courses and one teacher course, the same seed gives the same rows, and `formator` signs in."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.activities.courses.selectors import course_enrolment_rows
from prezent.activities.models import (
    Activity,
    CampaignEvent,
    Course,
    CourseEnrolment,
    Participation,
    SessionAttendance,
)
from prezent.demo.staff import DEMO_PASSWORD
from prezent.programme.models import Programme

SEED_ARGS = ("--seed", "11", "--schools", "3", "--today", "2026-11-27")


def fingerprint() -> tuple:
    return (
        sorted(Activity.objects.values_list("school__siiir_code", "type__code", "date", "facilitator")),
        Participation.objects.count(),
        sorted(Course.objects.values_list("kind", "title", "start", "trainer__username")),
        sorted(CourseEnrolment.objects.values_list("course__title", "name", "pre_score")),
        SessionAttendance.objects.count(),
        sorted(CampaignEvent.objects.values_list("school__siiir_code", "kind__code", "date", "reached_parents")),
    )


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", *SEED_ARGS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed()
        first = fingerprint()
        call_command("flush", "--no-input", verbosity=0)
        output = seed()
        yield {"first": first, "second": fingerprint(), "output": output}
        call_command("flush", "--no-input", verbosity=0)


@pytest.mark.django_db
def test_every_school_has_a_year_of_activities_and_the_campaign(demo):
    schools = list(Programme.objects.get().schools.all())
    assert len(schools) == 3
    for school in schools:
        months = {d.month for d in Activity.objects.filter(school=school).values_list("date", flat=True)}
        assert len(months) >= 8
        assert CampaignEvent.objects.filter(school=school).count() >= 3
    assert (
        Participation.objects.filter(kind="child").exists() and Participation.objects.filter(kind="guardian").exists()
    )


@pytest.mark.django_db
def test_each_group_of_schools_has_two_parent_courses_and_one_teacher_course(demo):
    groups = RoleAssignment.objects.filter(role=Role.CASE_WORKER).count()
    assert Course.objects.filter(kind="parents").count() == 2 * groups
    assert Course.objects.filter(kind="teachers").count() == groups
    course = Course.objects.filter(kind="parents").order_by("start").first()
    rows = course_enrolment_rows(course=course)
    assert len(rows) >= 1 and any(r.completed for r in rows)


@pytest.mark.django_db
def test_same_seed_gives_the_same_activities(demo):
    assert demo["first"] == demo["second"]
    assert "Activități:" in demo["output"]


@pytest.mark.django_db
def test_the_demo_trainer_signs_in_and_sees_only_their_courses(demo, client):
    trainer = User.objects.get(username="formator")
    assert trainer.check_password(DEMO_PASSWORD)
    client.force_login(trainer)
    page = client.get(reverse("activities:course_list")).content.decode()
    own = Course.objects.filter(trainer__username="formator")
    assert own.count() == 3
    assert all(c.title in page for c in own)
    assert page.count("/activitati/cursuri/") - page.count("/activitati/cursuri/nou/") >= 3
    other = Course.objects.exclude(trainer__username="formator").first()
    if other is not None:
        assert client.get(other.get_absolute_url()).status_code == 404
