"""Training courses: completion (80 % by default, configurable), attendance per session, scores, enrolment from
the lists and the certificates in Romanian (PDF)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from prezent.activities.courses.selectors import course_candidates, course_enrolment_rows
from prezent.activities.courses.services import (
    course_certificates_issue,
    course_enrol,
    course_scores_save,
    course_session_add,
    course_settings_save,
    session_attendance_save,
)
from prezent.activities.logic import course_completed
from prezent.activities.models import CourseEnrolment, CourseSession, SessionAttendance
from prezent.activities.tests.factories import CourseFactory, attend, course_with_sessions
from prezent.core.models import AuditEvent
from prezent.core.testing import pdf_text

DATES = [datetime.date(2026, 10, 5) + datetime.timedelta(days=7 * i) for i in range(5)]


def flat(text: str) -> str:
    return "".join(text.split())


def test_completion_default_is_eighty_percent_of_sessions():
    assert course_completed(attended=4, sessions=5)
    assert not course_completed(attended=3, sessions=5)
    assert not course_completed(attended=0, sessions=0)
    assert course_completed(attended=3, sessions=5, percent=60)


@given(attended=st.integers(0, 40), sessions=st.integers(1, 40), percent=st.integers(1, 100))
def test_completion_matches_the_share_of_sessions(attended, sessions, percent):
    attended = min(attended, sessions)
    assert course_completed(attended=attended, sessions=sessions, percent=percent) == (
        attended / sessions >= percent / 100 - 1e-12
    )


@pytest.fixture
def five_sessions(activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a], end=datetime.date(2026, 11, 30))
    sessions = course_with_sessions(course, DATES)
    four = CourseEnrolment.objects.create(course=course, name="Ana Șerban", enrolled_on=DATES[0])
    three = CourseEnrolment.objects.create(course=course, name="Ion Țăranu", enrolled_on=DATES[0])
    attend(four, sessions[:4])
    attend(three, sessions[:3])
    return course, sessions, four, three


def test_enrolment_rows_apply_the_courses_threshold(five_sessions, activities_world):
    course, _sessions, four, three = five_sessions
    rows = {r.enrolment.pk: r for r in course_enrolment_rows(course=course)}
    assert (rows[four.pk].attended, rows[four.pk].completed, rows[four.pk].percent) == (4, True, 80)
    assert (rows[three.pk].attended, rows[three.pk].completed) == (3, False)
    course_settings_save(
        course=course, start=course.start, end=course.end, completion_percent=60, actor=activities_world.users.county
    )
    rows = {r.enrolment.pk: r for r in course_enrolment_rows(course=course)}
    assert rows[three.pk].completed


def test_a_trainer_marks_a_session_and_the_attendance_is_exactly_the_ticked(client, five_sessions, activities_world):
    _course, sessions, four, three = five_sessions
    client.force_login(activities_world.users.trainer)
    url = reverse("activities:session_attendance", kwargs={"pk": sessions[4].pk})
    response = client.post(url, {"present": [three.pk]})
    assert response.status_code == 302
    assert set(SessionAttendance.objects.filter(session=sessions[4]).values_list("enrolment_id", flat=True)) == {
        three.pk
    }
    client.post(url, {"present": [four.pk]})
    assert set(SessionAttendance.objects.filter(session=sessions[4]).values_list("enrolment_id", flat=True)) == {
        four.pk
    }


def test_attendance_of_someone_not_enrolled_is_refused(five_sessions, activities_world):
    _course, sessions, _four, _three = five_sessions
    with pytest.raises(ValidationError):
        session_attendance_save(
            session=sessions[0], enrolment_ids=[activities_world.enrolment_t.pk], actor=activities_world.users.trainer
        )
    assert not SessionAttendance.objects.filter(session=sessions[0], enrolment=activities_world.enrolment_t).exists()


def test_a_session_outside_the_course_dates_is_refused_with_a_message(client, activities_world):
    w = activities_world
    client.force_login(w.users.trainer)
    before = CourseSession.objects.count()
    url = reverse("activities:course_session_add", kwargs={"pk": w.course_t.pk})
    response = client.post(url, {"date": "2027-03-01", "topic": "Tema târzie"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sesiunea trebuie să fie între 01.10.2026 și 15.12.2026." in page and 'value="Tema târzie"' in page
    assert CourseSession.objects.count() == before
    with pytest.raises(ValidationError):
        course_session_add(course=w.course_t, date=datetime.date(2026, 9, 1), topic="x", actor=w.users.trainer)


def test_scores_out_of_range_are_refused_and_nothing_changes(client, activities_world):
    w = activities_world
    client.force_login(w.users.trainer)
    url = reverse("activities:course_scores", kwargs={"pk": w.course_t.pk})
    e = w.enrolment_t
    response = client.post(url, {f"pre_{e.pk}": "45", f"post_{e.pk}": "140"})
    assert response.status_code == 400
    e.refresh_from_db()
    assert (e.pre_score, e.post_score) == (None, None)
    assert client.post(url, {f"pre_{e.pk}": "45", f"post_{e.pk}": "82.5"}).status_code == 302
    e.refresh_from_db()
    assert (e.pre_score, e.post_score) == (Decimal("45.0"), Decimal("82.5"))


def test_scores_of_another_courses_participant_are_refused(activities_world):
    w = activities_world
    other = CourseEnrolment.objects.create(course=w.course_other, name="X Y", enrolled_on=DATES[0])
    with pytest.raises(ValidationError):
        course_scores_save(course=w.course_t, scores={other.pk: (Decimal(1), None)}, actor=w.users.trainer)


def test_parent_course_candidates_are_the_guardians_of_its_schools(activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    candidates = course_candidates(course=course)
    assert [c.pk for c in candidates] == [w.guardian_a1.pk]
    assert candidates[0].name == "Țurcanu Ștefania"
    assert w.child_a1.last_name not in candidates[0].detail
    # already enrolled people are not offered again
    assert course_candidates(course=w.course_t) == []


def test_teacher_course_candidates_are_the_schools_teachers(activities_world):
    w = activities_world
    course = CourseFactory(kind="teachers", trainer=w.users.trainer, schools=[w.school_a])
    assert [c.pk for c in course_candidates(course=course)] == [w.users.teacher.pk]
    count = course_enrol(
        course=course, person_ids=[w.users.teacher.pk], names=["Elena Rusu"], on=DATES[0], actor=w.users.trainer
    )
    assert count == 2
    assert set(course.enrolments.values_list("teacher_id", flat=True)) == {w.users.teacher.pk, None}


def test_enrolling_someone_not_on_the_lists_is_refused(activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    with pytest.raises(ValidationError):
        course_enrol(course=course, person_ids=[w.guardian_b1.pk], on=DATES[0], actor=w.users.trainer)
    assert not course.enrolments.exists()


def test_the_enrol_page_enrols_ticked_parents_and_named_people(client, activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    client.force_login(w.users.trainer)
    url = reverse("activities:course_enrol", kwargs={"pk": course.pk})
    assert "Țurcanu Ștefania" in client.get(url).content.decode()
    response = client.post(url, {"people": [w.guardian_a1.pk], "names": "Mihaela Ștefănescu\n"})
    assert response.status_code == 302
    assert sorted(course.enrolments.values_list("name", flat=True)) == ["Mihaela Ștefănescu", "Țurcanu Ștefania"]


def test_a_named_person_with_a_direction_character_is_refused_and_nobody_is_enrolled(client, activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    client.force_login(w.users.trainer)
    url = reverse("activities:course_enrol", kwargs={"pk": course.pk})
    response = client.post(url, {"people": [w.guardian_a1.pk], "names": "Mihaela Ștefănescu\n\u202eucsenafetȘ"})
    assert response.status_code == 400
    assert "Rândul 2: numele conține un caracter invizibil sau de control" in response.content.decode()
    assert not course.enrolments.exists()


def test_the_certificate_carries_the_name_with_its_diacritics(activities_world):
    w = activities_world
    pdf = course_certificates_issue(course=w.course_t, enrolment=w.enrolment_t, actor=w.users.trainer)
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    for words in ("Țurcanu Ștefania", "CERTIFICAT DE ABSOLVIRE", "a absolvit cursul de educație parentală"):
        assert flat(words) in text
    event = AuditEvent.objects.get(action="course.certificates")
    assert event.details == {"enrolments": [w.enrolment_t.pk]}


def test_all_certificates_at_once_hold_only_the_graduates(five_sessions, activities_world):
    course, _sessions, _four, _three = five_sessions
    text = flat(pdf_text(course_certificates_issue(course=course, actor=activities_world.users.county)))
    assert flat("Ana Șerban") in text and flat("Ion Țăranu") not in text


def test_no_certificate_before_completion(client, five_sessions, activities_world):
    course, _sessions, _four, three = five_sessions
    with pytest.raises(ValidationError):
        course_certificates_issue(course=course, enrolment=three, actor=activities_world.users.trainer)
    client.force_login(activities_world.users.trainer)
    url = reverse("activities:certificate", kwargs={"pk": course.pk, "enrolment_id": three.pk})
    response = client.get(url, follow=True)
    assert "Participantul nu a absolvit încă acest curs." in response.content.decode()


def test_the_certificate_view_downloads_a_pdf(client, activities_world):
    w = activities_world
    client.force_login(w.users.trainer)
    url = reverse("activities:certificate", kwargs={"pk": w.course_t.pk, "enrolment_id": w.enrolment_t.pk})
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert flat("Țurcanu Ștefania") in flat(pdf_text(response.content))


def test_a_trainer_lists_only_their_courses(client, activities_world):
    w = activities_world
    client.force_login(w.users.trainer)
    page = client.get(reverse("activities:course_list")).content.decode()
    assert w.course_t.title in page and w.course_other.title not in page


def test_course_list_queries_do_not_grow_with_courses(client, activities_world, django_assert_num_queries):
    w = activities_world
    for _ in range(15):
        CourseFactory(trainer=w.users.trainer, schools=[w.school_a])
    client.force_login(w.users.trainer)
    client.get(reverse("activities:course_list"))
    with django_assert_num_queries(8):
        response = client.get(reverse("activities:course_list"))
    assert response.content.decode().count("Educație parentală") == 16


def test_the_county_coordinator_creates_a_course_for_a_trainer(client, activities_world):
    w = activities_world
    client.force_login(w.users.county)
    data = {
        "kind": "teachers",
        "title": "Copiii în situație de risc",
        "trainer": w.users.trainer.pk,
        "schools": [w.school_a.pk, w.school_b.pk],
        "start": "2027-01-11",
        "end": "2027-02-12",
        "hours": 24,
        "completion_percent": 80,
    }
    response = client.post(reverse("activities:course_create"), data)
    assert response.status_code == 302
    bad = client.post(reverse("activities:course_create"), {**data, "title": "Invers", "end": "2027-01-01"})
    assert bad.status_code == 400 and "Cursul nu se poate termina înainte să înceapă." in bad.content.decode()
    assert not w.users.trainer.courses_trained.filter(title="Invers").exists()


def test_course_page_does_not_query_per_participant(client, activities_world, django_assert_max_num_queries):
    w = activities_world
    for n in range(20):
        enrolment = CourseEnrolment.objects.create(course=w.course_t, name=f"Participant {n}", enrolled_on=DATES[0])
        attend(enrolment, w.sessions_t[: n % 3])
    client.force_login(w.users.trainer)
    url = reverse("activities:course_detail", kwargs={"pk": w.course_t.pk})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("Descarcă certificatul") == 7  # 6 with both sessions + the world's one


def test_the_enrol_page_filters_candidates_by_school(client, activities_world):
    w = activities_world
    course = CourseFactory(trainer=w.users.trainer, schools=[w.school_a, w.school_b])
    client.force_login(w.users.trainer)
    url = reverse("activities:course_enrol", kwargs={"pk": course.pk})
    label_b = w.school_b.short_name or w.school_b.name
    everyone = client.get(url).content.decode()
    only_b = client.get(url, {"scoala": label_b}).content.decode()
    assert f'value="{w.guardian_a1.pk}"' in everyone and f'value="{w.guardian_b1.pk}"' in everyone
    assert f'value="{w.guardian_a1.pk}"' not in only_b and f'value="{w.guardian_b1.pk}"' in only_b
