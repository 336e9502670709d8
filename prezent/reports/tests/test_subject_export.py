"""The access export of a child and their family (GDPR art. 15), for the county coordinator acting for the
data-protection officer: everything Prezent holds, as JSON and as a Romanian PDF, logged and audited, in a fixed
number of queries."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.attendance.services import register_save
from prezent.cases.tests import conftest as cases_conftest
from prezent.cases.tests.conftest import SECRET_TEXT, TEAM_TEXT
from prezent.children.models import EthnicityDeclaration
from prezent.children.services import ethnicity_declare
from prezent.core.models import AccessLog, AuditEvent
from prezent.core.testing import TEST_NOW, TEST_TODAY, pdf_text
from prezent.reports.privacy.selectors import subject_export

# the cases app's world: a case with every kind of record (prezent/cases/tests/conftest.py)
cases_world = cases_conftest.cases_world
catalogue = cases_conftest.catalogue
ladder = cases_conftest.ladder


def _json(client, child) -> dict:
    response = client.get(reverse("reports:subject_export_json", kwargs={"pk": child.pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f"date-personale-copil-{child.pk}.json" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_json_holds_every_kind_of_record_of_the_child_and_family(client, cases_world):
    w = cases_world
    ethnicity_declare(
        ethnicity="roma", declared_on=w.monday, legal_basis="consent", child=w.child_a1, actor=w.users.county
    )
    client.force_login(w.users.county)
    client.get(reverse("reports:child_detail", kwargs={"pk": w.child_a1.pk}))
    data = _json(client, w.child_a1)
    sections = data["sections"]
    assert data["child_id"] == w.child_a1.pk
    assert sections["child"]["rows"][0]["last_name"] == w.child_a1.last_name
    assert sections["child"]["rows"][0]["cnp"] == w.child_a1.cnp
    assert sections["guardians"]["rows"] and sections["guardianships"]["rows"][0]["relationship"] == "mother"
    assert sections["enrolments"]["rows"][0]["class_group"] == w.class_a1.pk
    assert sections["absences"]["rows"][0]["hours"] == 2
    assert sections["attendance_summary"]["rows"][0]["absent_hours"] == 2
    assert sections["target_group"]["rows"][0]["status"] == "proposed"
    assert len(sections["cases"]["rows"]) == 1
    for key in ("assessments", "assessment_needs", "plans", "planned_services", "interventions", "visits", "referrals"):
        assert sections[key]["rows"], key
    # the county coordinator reads confidential notes, so both are in
    assert {row["text"] for row in sections["case_notes"]["rows"]} == {TEAM_TEXT, SECRET_TEXT}
    assert sections["consents"]["rows"][0]["purpose"] == "programme"
    assert sections["ethnicity"]["rows"][0]["ethnicity"] == EthnicityDeclaration.Ethnicity.ROMA
    # who read the record: the page read before and this export itself
    views = {row["view"] for row in sections["access_log"]["rows"]}
    assert {"child_detail", "reports:subject_export_json"} <= views
    assert str(w.users.county.pk) in data["staff"]


def test_the_export_is_logged_and_audited_with_counts_only(client, cases_world):
    w = cases_world
    client.force_login(w.users.county)
    _json(client, w.child_a1)
    assert AccessLog.objects.filter(child_id=w.child_a1.pk, view="reports:subject_export_json").count() == 1
    event = AuditEvent.objects.get(action="child.subject_export")
    assert event.target_id == str(w.child_a1.pk) and event.actor == w.users.county
    assert event.details["format"] == "json" and event.details["sections"]["case_notes"] == 2
    assert w.child_a1.last_name not in json.dumps(event.details)


def test_the_pdf_is_in_romanian_and_names_the_sections(client, cases_world):
    w = cases_world
    client.force_login(w.users.county)
    response = client.get(
        reverse("reports:subject_export_pdf", kwargs={"pk": w.child_a1.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert w.child_a1.last_name not in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "DATELE PERSONALE ȚINUTE DE PREZENT" in text
    for title in ("Identitatea copilului", "Părinți și tutori", "Note de caz", "Cine a citit fișa copilului"):
        assert title in text
    assert w.child_a1.last_name in text
    assert AuditEvent.objects.get(action="child.subject_export").details["format"] == "pdf"


def test_an_export_reads_a_fixed_number_of_queries_whatever_the_records(cases_world):
    w = cases_world

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            subject_export(user=w.users.county, child=w.child_a1, today=TEST_TODAY, now=TEST_NOW)
        return len(queries)

    count()  # the reader's scope is read once and kept on the user
    before = count()
    for day in (datetime.date(2026, 11, 24), datetime.date(2026, 11, 25), datetime.date(2026, 11, 26)):
        register_save(class_group=w.class_a1, day=day, absences={w.child_a1.pk: 3}, actor=w.users.teacher)
    assert count() == before
