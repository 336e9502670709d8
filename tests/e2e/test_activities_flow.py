"""Issue 5 in a browser: a school coordinator records an activity on a phone with 12 participants ticked from the
school's lists; a trainer marks a session and downloads a certificate whose PDF text has the participant's name
with its diacritics; an evidence file of the wrong type, or too large, is refused and nothing is stored."""

import datetime

import pytest
from playwright.sync_api import expect

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.activities.models import Activity, CampaignEvidence, CourseEnrolment
from prezent.activities.services import catalogues_load_defaults
from prezent.activities.tests.factories import (
    CampaignEventFactory,
    CourseFactory,
    add_guardian,
    attend,
    course_with_sessions,
)
from prezent.children.tests.factories import enrol
from prezent.risk.tests.test_notices import pdf_text
from prezent.schools.tests.factories import ClassGroupFactory

from .conftest import PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"


@pytest.fixture
def school(transactional_db, settings, tmp_path):
    settings.PREZENT_EVIDENCE_ROOT = str(tmp_path / "evidence")
    catalogues_load_defaults(county_code="IS")
    coordinator = UserFactory(username="coord.scoala", first_name="Maria", last_name="Popescu")
    teacher = UserFactory(username="prof", first_name="Ion", last_name="Ionescu")
    group = ClassGroupFactory(teacher=teacher, grade=3, letter="A")
    assign(coordinator, Role.SCHOOL_COORDINATOR, schools=[group.school])
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    children = enrol(group, 10)
    guardians = [add_guardian(child) for child in children]
    return group.school, coordinator, children, guardians


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_school_coordinator_records_an_activity_with_12_participants_on_a_phone(page, live_server, school, screenshot):
    the_school, _coordinator, children, guardians = school
    login(page, live_server, "coord.scoala", PASSWORD)
    page.goto(f"{live_server.url}/activitati/?scoala={the_school.pk}")
    page.get_by_role("link", name="Înregistrează o activitate").click()
    page.select_option("#id_type", label="Club de lectură și povești")
    page.fill("#id_title", "Ora poveștilor")
    page.fill("#id_facilitator", "Ioana Munteanu")
    page.select_option("#id_audience", "mixed")
    for child in children[:8]:
        page.locator(f"input[name='children'][value='{child.pk}']").check()
    for guardian in guardians[:3]:
        page.locator(f"input[name='guardians'][value='{guardian.pk}']").check()
    page.locator("summary", has_text="Cadre didactice").click()
    page.get_by_label("Ion Ionescu").check()
    expect(page.locator("[data-people-count]")).to_contain_text("Persoane bifate: 12")
    screenshot("ticked")
    page.get_by_role("button", name="Salvează activitatea").click()
    expect(page.get_by_text("Activitatea a fost înregistrată cu 12 participanți.")).to_be_visible()
    expect(page.get_by_test_id("participant-total")).to_contain_text("12 persoane")
    screenshot("saved")
    activity = Activity.objects.get(title="Ora poveștilor")
    assert activity.participations.count() == 12
    assert sorted(activity.participations.values_list("kind", flat=True)) == ["child"] * 8 + ["guardian"] * 3 + [
        "teacher"
    ]


def test_trainer_marks_a_session_and_downloads_a_certificate(page, live_server, school, screenshot):
    the_school, _coordinator, _children, guardians = school
    trainer = UserFactory(username="formator", first_name="Elena", last_name="Bălan")
    assign(trainer, Role.TRAINER)
    course = CourseFactory(
        trainer=trainer,
        schools=[the_school],
        title="Părinți implicați, copii prezenți",
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 12, 15),
    )
    sessions = course_with_sessions(
        course, [datetime.date(2026, 10, 5) + datetime.timedelta(days=7 * i) for i in range(5)]
    )
    guardian = guardians[0]
    guardian.first_name, guardian.last_name = "Ștefania", "Țurcanu"
    guardian.save()
    enrolment = CourseEnrolment.objects.create(
        course=course, guardian=guardian, name="Țurcanu Ștefania", enrolled_on=datetime.date(2026, 10, 1)
    )
    attend(enrolment, sessions[:3])  # 3 of 5: not yet 80 %

    login(page, live_server, "formator", PASSWORD)
    page.goto(f"{live_server.url}/activitati/cursuri/")
    page.get_by_role("link", name="Părinți implicați, copii prezenți").click()
    expect(page.get_by_text("neabsolvit")).to_be_visible()
    page.get_by_role("link", name="02.11.2026 · Tema 5").click()
    page.get_by_label("Țurcanu Ștefania").check()
    screenshot("session")
    page.get_by_role("button", name="Salvează prezența").click()
    expect(page.get_by_text("Prezența a fost salvată: 1 din 1.")).to_be_visible()
    expect(page.locator("table").last).to_contain_text("4/5 (80 %)")
    screenshot("course")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descarcă certificatul").click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert pdf.startswith(b"%PDF")
    assert "ȚurcanuȘtefania" in "".join(pdf_text(pdf).split())


def test_wrong_type_or_too_large_evidence_is_refused_and_nothing_stored(
    page, live_server, school, screenshot, settings
):
    the_school, coordinator, _children, _guardians = school
    event = CampaignEventFactory(school=the_school, created_by=coordinator)
    settings.PREZENT_EVIDENCE_MAX_BYTES = 50 * 1024
    login(page, live_server, "coord.scoala", PASSWORD)
    page.goto(f"{live_server.url}/activitati/campanie/{event.pk}/")
    page.set_input_files(
        "#id_file", files=[{"name": "foaie.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00not an image"}]
    )
    page.get_by_role("button", name="Încarcă").click()
    expect(page.get_by_test_id("upload-errors")).to_contain_text("Fișierul nu este o fotografie sau un PDF")
    screenshot("wrong-type")
    big = b"%PDF-1.4\n" + b"0" * (60 * 1024)
    page.set_input_files("#id_file", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big}])
    page.get_by_role("button", name="Încarcă").click()
    expect(page.get_by_test_id("upload-errors")).to_contain_text("Fișierul este prea mare")
    screenshot("too-large")
    assert not CampaignEvidence.objects.exists()
    page.set_input_files(
        "#id_file", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("button", name="Încarcă").click()
    expect(page.get_by_text("Dovada a fost adăugată.")).to_be_visible()
    assert CampaignEvidence.objects.count() == 1
