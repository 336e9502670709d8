"""The figures the results dashboard reads for a period."""

import datetime

import pytest

from prezent.activities.campaign.services import Reached, campaign_event_record
from prezent.activities.models import CourseEnrolment
from prezent.activities.selectors import (
    CAMPAIGN_KIND_ID,
    COURSE_KIND_IDS,
    ActivityCount,
    activities_by_type,
    activity_kinds_held,
    localities_with_activities,
    parents_completed_course,
    parents_reached,
    schools_reached_by_campaign,
    schools_with_activities,
    teachers_trained,
    teachers_with_accounts_trained,
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


def test_teachers_trained_count_people_with_or_without_an_account_once_each(recorded):
    w = recorded
    first = CourseFactory(kind="teachers", trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2027, 2, 1))
    second = CourseFactory(
        kind="teachers", trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2027, 3, 1)
    )
    first_sessions = course_with_sessions(first, [datetime.date(2027, 1, 15), datetime.date(2027, 1, 22)])
    second_sessions = course_with_sessions(second, [datetime.date(2027, 2, 15)])
    day = datetime.date(2027, 1, 15)
    account = CourseEnrolment.objects.create(course=first, teacher=w.users.teacher, name="t", enrolled_on=day)
    again = CourseEnrolment.objects.create(course=second, teacher=w.users.teacher, name="t", enrolled_on=day)
    listed = CourseEnrolment.objects.create(course=first, name="Popa Elena", school=w.school_a, enrolled_on=day)
    # the same person on the second course's list, written without diacritics and in capitals
    listed_again = CourseEnrolment.objects.create(course=second, name="POPA  ELENA", school=w.school_a, enrolled_on=day)
    namesake = CourseEnrolment.objects.create(course=first, name="Popa Elena", school=w.school_b, enrolled_on=day)
    dropped = CourseEnrolment.objects.create(course=first, name="Rusu Ana", school=w.school_a, enrolled_on=day)
    for enrolment in (account, listed, namesake):
        attend(enrolment, first_sessions)
    for enrolment in (again, listed_again):
        attend(enrolment, second_sessions)
    attend(dropped, first_sessions[:1])  # below the course's 80 %
    trained = teachers_trained(start=SPRING[0], end=SPRING[1])
    assert trained == {account.pk, listed.pk, namesake.pk}  # each person once, by their first completed enrolment
    assert teachers_with_accounts_trained(start=SPRING[0], end=SPRING[1]) == {w.users.teacher.pk}
    assert teachers_trained(start=AUTUMN[0], end=AUTUMN[1]) == set()


def test_localities_and_kinds_of_activity_held(recorded):
    w = recorded
    # the world's activities and campaign events are at schools A and B (two communes)
    assert localities_with_activities(start=AUTUMN[0], end=AUTUMN[1]) == {
        w.school_a.locality_id,
        w.school_b.locality_id,
    }
    assert w.school_a.locality_id != w.school_b.locality_id
    assert localities_with_activities(start=SPRING[0], end=SPRING[1]) == set()
    kinds = activity_kinds_held(start=AUTUMN[0], end=AUTUMN[1])
    assert {activity_type("scoala-parintilor").pk, CAMPAIGN_KIND_ID} <= kinds
    assert COURSE_KIND_IDS["parents"] in kinds and COURSE_KIND_IDS["teachers"] not in kinds  # the world's course
    course = CourseFactory(
        kind="parents", trainer=w.users.trainer, schools=[w.school_b], end=datetime.date(2026, 12, 1)
    )
    course_with_sessions(course, [datetime.date(2026, 11, 20)])
    assert activity_kinds_held(start=AUTUMN[0], end=AUTUMN[1]) == kinds | {COURSE_KIND_IDS["parents"]}
    assert activity_kinds_held(start=SPRING[0], end=SPRING[1]) == set()


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


def _trainee_csv(*lines: str) -> bytes:
    return ("Lista cursanților\n\nNume;Prenume;Cod SIIIR\n" + "\n".join(lines) + "\n").encode()


def test_a_trainee_list_enrols_teachers_without_accounts_once_and_counts_them(recorded):
    from prezent.activities.courses.services import TraineeImportError, course_trainees_import
    from prezent.core.models import AuditEvent

    w = recorded
    course = CourseFactory(
        kind="teachers", trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2027, 2, 1)
    )
    sessions = course_with_sessions(course, [datetime.date(2027, 1, 15)])
    code = w.school_a.siiir_code
    bad = _trainee_csv(
        f"Popa;Elena;{code}",
        f";;{code}",
        f"Rusu;Ion;{w.school_b.siiir_code}",
        f"POPA;ELENA;{code}",
        f"Ene\x07;Ana;{code}",
        f"Stan;\u202eMaria;{code}",
    )
    with pytest.raises(TraineeImportError) as refused:
        course_trainees_import(course=course, source=bad, actor=w.users.trainer, on=datetime.date(2027, 1, 10))
    assert [(e.line, e.message) for e in refused.value.errors] == [
        (5, "numele lipsește"),
        (6, f"școala „{w.school_b.siiir_code}” nu este printre școlile cursului"),
        (7, "aceeași persoană apare și pe linia 4"),
        (8, "numele conține un caracter invizibil sau de control"),
        (9, "numele conține un caracter invizibil sau de control"),
    ]
    assert not course.enrolments.exists()  # nothing written
    good = _trainee_csv(f"Popa;Elena;{code}", f"Rusu;Ion;{w.school_a.name}")
    day = datetime.date(2027, 1, 10)
    assert course_trainees_import(course=course, source=good, actor=w.users.trainer, on=day) == (2, 0)
    assert course_trainees_import(course=course, source=good, actor=w.users.trainer, on=day) == (0, 2)
    assert sorted(course.enrolments.values_list("name", "school_id")) == [
        ("Popa Elena", w.school_a.pk),
        ("Rusu Ion", w.school_a.pk),
    ]
    event = AuditEvent.objects.filter(action="course.trainees_import").latest("pk")
    assert event.details == {"rows": 2, "enrolled": 0, "already": 2} and "Popa" not in str(event.details)
    for enrolment in course.enrolments.all():
        attend(enrolment, sessions)
    assert len(teachers_trained(start=SPRING[0], end=SPRING[1])) == 2


def test_the_trainee_list_page_refuses_a_bad_file_with_its_lines_and_keeps_nothing(client, recorded):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    w = recorded
    course = CourseFactory(kind="teachers", trainer=w.users.trainer, schools=[w.school_a])
    client.force_login(w.users.trainer)
    url = reverse("activities:course_trainees", args=[course.pk])
    assert "Încarcă lista" in client.get(url).content.decode()
    upload = SimpleUploadedFile("lista.csv", _trainee_csv(";;x"), content_type="text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "linia 4: numele lipsește" in html and "linia 4: școala „x” nu este printre școlile cursului" in html
    assert not course.enrolments.exists()
    upload = SimpleUploadedFile("lista.xls", b"\xd0\xcf\x11\xe0 old", content_type="application/vnd.ms-excel")
    assert "Alegeți un fișier .xlsx sau .csv" in client.post(url, {"file": upload}).content.decode()
    upload = SimpleUploadedFile(
        "lista.csv", _trainee_csv(f"Popa;Elena;{w.school_a.siiir_code}"), content_type="text/csv"
    )
    response = client.post(url, {"file": upload}, follow=True)
    assert "1 cursanți înscriși" in response.content.decode()
    assert course.enrolments.get().name == "Popa Elena"
