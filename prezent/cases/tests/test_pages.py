"""Case pages: confidential notes never reach the roles that may not read them (pages, lists, searches), every
read is logged, bad input comes back as typed, the case list runs a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from prezent.attendance.services import register_save
from prezent.cases.models import Case, CaseNote, Intervention
from prezent.cases.selectors import attendance_before_after, case_note_search, case_notes_visible_to
from prezent.cases.services import case_open, intervention_record
from prezent.cases.tests.conftest import SECRET_TEXT, TEAM_TEXT, programme_consent
from prezent.children.tests.factories import enrol
from prezent.core.models import AccessLog
from prezent.core.testing import TEST_TODAY, pdf_text
from prezent.programme.services import membership_move
from prezent.schools.selectors import calendar_for

TODAY = TEST_TODAY


@pytest.mark.parametrize("role", ["teacher", "mediator"])
def test_confidential_notes_never_reach_teacher_or_mediator(client, cases_world, role):
    w = cases_world
    user = getattr(w.users, role)
    client.force_login(user)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert TEAM_TEXT in page
    assert SECRET_TEXT not in page
    assert list(case_notes_visible_to(user=user).values_list("text", flat=True)) == [TEAM_TEXT]
    assert not case_note_search(user=user, text="alcool").exists()


@pytest.mark.parametrize("role", ["caseworker", "school_coord", "county"])
def test_case_worker_and_coordinators_read_confidential_notes(client, cases_world, role):
    w = cases_world
    client.force_login(getattr(w.users, role))
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert SECRET_TEXT in page and TEAM_TEXT in page
    assert case_note_search(user=getattr(w.users, role), text="alcool").count() == 1


def test_teacher_sees_no_assessment_or_referral(client, cases_world):
    client.force_login(cases_world.users.teacher)
    response = client.get(reverse("cases:detail", args=[cases_world.case_a1.pk]))
    assert 'data-testid="assessments"' not in response.content.decode()
    assert "SPAS Ciurea" not in response.content.decode()
    assert 'data-testid="plan"' in response.content.decode()


def test_mediator_cannot_write_a_confidential_note(client, cases_world):
    w = cases_world
    client.force_login(w.users.mediator)
    data = {"written_on": TODAY.isoformat(), "text": "secret", "confidentiality": "confidential"}
    response = client.post(reverse("cases:note_add", args=[w.case_a1.pk]), data)
    assert response.status_code == 400
    assert not CaseNote.objects.filter(text="secret").exists()


def test_every_read_of_a_case_is_logged(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    client.get(reverse("cases:detail", args=[w.case_a1.pk]))
    log = AccessLog.objects.get(view="cases:detail")
    assert (log.user_id, log.child_id) == (w.users.caseworker.pk, w.child_a1.pk)


def test_a_negative_quantity_comes_back_with_the_message_and_what_was_typed(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    before = Intervention.objects.count()
    data = {
        "type": w.hot_meal.pk,
        "delivered_on": TODAY.isoformat(),
        "recipient": "child",
        "quantity": "-3",
        "notes": "prânz la cantină",
    }
    response = client.post(reverse("cases:intervention_add", args=[w.case_a1.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Cantitatea trebuie să fie un număr întreg pozitiv." in page
    assert 'value="-3"' in page and "prânz la cantină" in page
    assert Intervention.objects.count() == before


def test_a_review_date_before_the_plan_comes_back_with_the_message(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    data = {"revizuire-reviewed_on": "2026-11-01", "revizuire-notes": "revizuire"}
    response = client.post(reverse("cases:plan_review", args=[w.case_a1.pk]), data)
    assert response.status_code == 400
    assert "nu poate fi înaintea datei planului" in response.content.decode()
    assert not w.plan_a1.reviews.exists()


def test_open_from_an_alert_through_the_page(client, world, catalogue, ladder):
    from prezent.risk.tests.alert_fixtures import make_alert

    w = world
    programme_consent(w.child_a1, by=w.users.county, on=w.monday)
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=w.monday)
    client.force_login(w.users.caseworker)
    url = f"{reverse('cases:open')}?alerta={alert.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("cases:open"),
        {
            "alerta": alert.pk,
            "opened_on": TODAY.isoformat(),
            "case_worker": w.users.caseworker.pk,
            "legal_basis": "consent",
        },
    )
    case = Case.objects.get(child=w.child_a1)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.source_alert_id == alert.pk


def test_attendance_before_and_after_an_intervention(cases_world):
    """Absent 2 of 4 hours every day before the meals started, present every day after: 50 % → 100 %."""
    w = cases_world
    start = datetime.date(2026, 11, 16)
    Intervention.objects.filter(case=w.case_a1).update(delivered_on=start)
    calendar = calendar_for(w.class_a1.school_year)
    for day in calendar.school_days(datetime.date(2026, 10, 12), datetime.date(2026, 11, 27)):
        absences = {w.child_a1.pk: 2} if day < start else {}
        register_save(class_group=w.class_a1, day=day, absences=absences, actor=w.users.teacher)
    row = attendance_before_after(case=w.case_a1, today=datetime.date(2026, 11, 27))[0]
    assert row.started_on == start
    assert row.before.rate == pytest.approx(0.5)
    assert row.after.rate == pytest.approx(1.0)
    assert row.change_points == 50.0
    assert (row.before_days, row.after_days) == (20, 10)


def _many_cases(world, catalogue, n: int) -> None:
    w = world
    children = enrol(w.class_a2, n)
    for child in children:
        membership_move(
            programme=w.programme, child=child, to_status="proposed", on=w.monday, reason="s", actor=w.users.county
        )
        programme_consent(child, by=w.users.county, on=w.monday)
        case = case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.county)
        intervention_record(
            case=case,
            kind=catalogue["hot-meal"],
            delivered_on=w.monday,
            recipient="child",
            quantity=5,
            actor=w.users.county,
        )


def _list(client):
    response = client.get(reverse("cases:list") + "?ale_mele=1")
    assert response.status_code == 200
    return response


def test_the_case_list_of_150_cases_runs_a_constant_number_of_queries(
    client, world, catalogue, django_assert_num_queries
):
    """The same queries for 3 cases as for a case worker's 150 (all on one page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many_cases(world, catalogue, 3)
    client.force_login(world.users.caseworker)
    with CaptureQueriesContext(connection) as few:
        assert len(_list(client).context["page"].object_list) == 3
    _many_cases(world, catalogue, 147)
    assert len(few) <= 10
    with django_assert_num_queries(len(few)):
        response = _list(client)
    assert len(response.context["page"].object_list) == 150
    assert response.content.decode().count('data-testid="case-row"') == 150


def test_the_childs_page_links_the_case_and_offers_to_open_one(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    page = client.get(reverse("reports:child_detail", args=[w.child_a1.pk])).content.decode()
    assert w.case_a1.get_absolute_url() in page
    assert "?copil=" not in page  # the child already has an open case
    client.force_login(w.users.teacher)
    page = client.get(reverse("reports:child_detail", args=[w.child_a1.pk])).content.decode()
    assert w.case_a1.get_absolute_url() in page and "Deschide un caz" not in page


def test_the_case_page_has_no_duplicate_field_ids(client, cases_world):
    """Several forms share field names (reason, notes, on…): their prefixes keep every id unique."""
    import re

    from prezent.cases.services import visit_plan

    w = cases_world
    visit_plan(case=w.case_a1, planned_on=TODAY, actor=w.users.caseworker)  # two planned visits, two forms
    client.force_login(w.users.county)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) > 20
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_recorder_removes_an_intervention_from_the_case_page(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    action = reverse("cases:intervention_remove", args=[w.intervention_a1.pk])
    assert action in page and "Anulează intervenția" in page
    response = client.post(action, {f"i{w.intervention_a1.pk}-reason": "not_delivered"})
    assert response.status_code == 302 and response["Location"].endswith("#interventii")
    assert not Intervention.objects.filter(pk=w.intervention_a1.pk).exists()
    assert "Intervenția a fost anulată." in client.get(response["Location"]).content.decode()


def test_removing_without_a_reason_comes_back_with_the_message_and_changes_nothing(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    response = client.post(reverse("cases:intervention_remove", args=[w.intervention_a1.pk]), {})
    assert response.status_code == 400
    assert "Alegeți motivul anulării." in response.content.decode()
    assert Intervention.objects.filter(pk=w.intervention_a1.pk).exists()


def test_the_mediator_sees_no_remove_button_on_what_others_recorded(client, cases_world):
    w = cases_world
    client.force_login(w.users.mediator)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert reverse("cases:intervention_remove", args=[w.intervention_a1.pk]) not in page


def test_the_case_file_is_a_pdf_without_the_confidential_notes_and_its_read_is_logged(client, cases_world):
    w = cases_world
    client.force_login(w.users.caseworker)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert reverse("cases:file", args=[w.case_a1.pk]) in page
    response = client.get(reverse("cases:file", args=[w.case_a1.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="fisa-caz-{w.case_a1.pk}.pdf"'
    text = "".join(pdf_text(response.content).split())
    for words in ("FIȘA CAZULUI", w.child_a1.last_name, "Masă caldă", "SPAS Ciurea", "".join(TEAM_TEXT.split())):
        assert "".join(words.split()) in text, words
    assert "".join(SECRET_TEXT.split()) not in text
    assert AccessLog.objects.filter(user=w.users.caseworker, child_id=w.child_a1.pk, view="cases:file").exists()


def test_the_mediator_gets_no_case_file_link(client, cases_world):
    w = cases_world
    client.force_login(w.users.mediator)
    page = client.get(reverse("cases:detail", args=[w.case_a1.pk])).content.decode()
    assert reverse("cases:file", args=[w.case_a1.pk]) not in page
