"""Issue 4 in a browser: the case worker opens a case from an alert (which closes it: the step is done), records an
assessment, a plan and a home visit, and writes a confidential note that the class teacher never sees; an
intervention recorded twice is removed, the case file is downloaded, and the coordinator approves the closure."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.cases.models import Assessment, Case, HomeVisit, Intervention, InterventionPlan
from prezent.cases.services import intervention_types_load_defaults
from prezent.cases.tests.conftest import programme_consent
from prezent.children.tests.factories import enrol
from prezent.programme.models import Programme
from prezent.programme.services import membership_move
from prezent.risk.alerts.services import escalation_ladder_load_defaults
from prezent.risk.models import Alert, AlertStatus, ContactNote, EscalationStep
from prezent.risk.tests.alert_fixtures import make_alert
from prezent.risk.tests.test_notices import pdf_text
from prezent.schools.tests.factories import ClassGroupFactory

from .conftest import PHONE, login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"
TEAM_NOTE = "Dirigintele confirmă: vine zilnic de două săptămâni."
SECRET_NOTE = "Violență în familie semnalată de mamă; discutat doar cu coordonatorul."


@pytest.fixture
def alerted(transactional_db):
    teacher, worker, county = UserFactory(username="profesor"), UserFactory(username="asistent"), UserFactory()
    group = ClassGroupFactory(teacher=teacher)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    assign(worker, Role.CASE_WORKER, schools=[group.school])
    assign(county, Role.COUNTY_COORDINATOR, county="IS")
    child = enrol(group, 1, first_name="Ionuț", last_name="Rusu")[0]
    monday = timezone.localdate() - datetime.timedelta(days=14)
    programme = Programme.objects.create(
        code="RO10-0070", name="Împreună pentru copii!", county_code="IS", start=monday, end=datetime.date(2027, 7, 31)
    )
    programme.schools.set([group.school])
    membership_move(programme=programme, child=child, to_status="proposed", on=monday, reason="evaluare", actor=county)
    programme_consent(child, by=county, on=monday)
    intervention_types_load_defaults(county_code="IS")
    escalation_ladder_load_defaults(county_code="IS")
    step = EscalationStep.objects.get(county_code="IS", code="case-file")
    return make_alert(child, group.school, step, opened_on=monday, cause="risc ridicat (9 puncte)")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_case_worker_opens_a_case_from_an_alert_which_closes_it(page, live_server, alerted, screenshot):
    today = timezone.localdate().isoformat()
    login(page, live_server, "asistent", PASSWORD)

    # The work page lists the open alert; its "caz" link opens a case from it.
    page.goto(f"{live_server.url}/cazuri/")
    alerts = page.get_by_test_id("open-alerts")
    expect(alerts).to_contain_text("Rusu Ionuț")
    screenshot("1-work-page")
    alerts.get_by_role("link", name="caz").click()
    expect(page.locator("main")).to_contain_text("risc ridicat (9 puncte)")
    page.get_by_role("button", name="Deschide cazul").click()
    expect(page.get_by_text("Cazul a fost deschis.")).to_be_visible()
    case = Case.objects.get(child=alerted.child)
    assert case.source_alert_id == alerted.pk
    # "open a case file" is done: its alert closes with that reason (docs/architecture.md, decision 38)
    alerted.refresh_from_db()
    assert (alerted.status, alerted.close_reason) == (AlertStatus.CLOSED, "case_opened")

    # Intake assessment.
    page.get_by_role("link", name="Evaluare inițială").click()
    page.select_option("#id_level_education", "3")
    page.select_option("#id_level_economic", "2")
    page.fill("#id_note_education", "Lipsește lunea și vinerea.")
    page.get_by_label("sărăcie / familia primește ajutor social").check()
    page.fill("#id_summary", "Nevoi mari la educație; familia primește VMG.")
    screenshot("2-assessment")
    page.get_by_role("button", name="Salvează evaluarea").click()
    expect(page.get_by_text("Evaluarea a fost salvată.")).to_be_visible()
    assert Assessment.objects.get(case=case).kind == "intake"

    # The plan: a refused service row keeps what was typed, then the plan is saved.
    page.get_by_role("link", name="Întocmește planul").click()
    page.fill("#id_goals", "Prezență peste 90 % până la sfârșitul modulului.")
    page.select_option("#id_s0_type", label="Masă caldă")
    page.get_by_role("button", name="Salvează planul").click()
    expect(page.get_by_text("Completați responsabilul și termenul acestui serviciu.")).to_be_visible()
    expect(page.locator("#id_goals")).to_have_value("Prezență peste 90 % până la sfârșitul modulului.")
    page.fill("#id_s0_responsible", "asistentul social")
    page.fill("#id_s0_target_date", today)
    page.get_by_role("button", name="Salvează planul").click()
    expect(page.get_by_text("Planul de intervenție a fost salvat.")).to_be_visible()
    assert InterventionPlan.objects.get(case=case).services.count() == 1

    # The home visit (no open alert left to answer) is the early warning's contact note too.
    page.get_by_text("Înregistrează sau planifică o vizită").click()
    page.fill("#id_visited_on", today)
    page.fill("#id_outcome", "Mama a fost acasă; Ionuț vine la masa caldă de luni.")
    page.get_by_role("button", name="Salvează vizita").click()
    expect(page.get_by_text("Vizita a fost înregistrată")).to_be_visible()
    visit = HomeVisit.objects.get(case=case)
    assert ContactNote.objects.get(pk=visit.contact_note_id).kind == "home_visit"

    # A team note and a confidential note.
    for text, level in ((TEAM_NOTE, "team"), (SECRET_NOTE, "confidential")):
        page.get_by_text("Adaugă o notă").click()
        page.fill("#id_text", text)
        page.select_option("#id_confidentiality", level)
        page.get_by_role("button", name="Adaugă nota").click()
        expect(page.get_by_text("Nota a fost adăugată.")).to_be_visible()
    expect(page.get_by_test_id("notes")).to_contain_text(SECRET_NOTE)
    screenshot("3-case-page")
    assert not Alert.objects.filter(child=alerted.child, status__in=("open", "in_progress")).exists()

    # The class teacher opens the same case: the team note, never the confidential one.
    page.get_by_role("button", name="Ieșire").click()
    login(page, live_server, "profesor", PASSWORD)
    page.goto(f"{live_server.url}/cazuri/{case.pk}/")
    expect(page.get_by_test_id("notes")).to_contain_text(TEAM_NOTE)
    assert SECRET_NOTE not in page.content()
    expect(page.get_by_test_id("assessments")).to_have_count(0)
    screenshot("4-teacher-view")


def test_a_negative_quantity_is_refused_and_the_coordinator_approves_the_closure(
    page, live_server, alerted, screenshot
):
    from prezent.accounts.models import User
    from prezent.cases.services import case_open

    worker = User.objects.get(username="asistent")
    case = case_open(child=alerted.child, opened_on=alerted.opened_on, case_worker=worker, actor=worker)
    coordinator = UserFactory(username="coordonator")
    assign(coordinator, Role.COUNTY_COORDINATOR, county="IS")
    today = timezone.localdate().isoformat()

    login(page, live_server, "asistent", PASSWORD)
    page.goto(f"{live_server.url}/cazuri/{case.pk}/")
    page.get_by_text("Înregistrează o intervenție").click()
    page.select_option("#id_type", label="Masă caldă")
    page.fill("#id_quantity", "-3")
    page.fill("#id_notes", "prânz la cantina școlii")
    page.get_by_role("button", name="Înregistrează intervenția").click()
    expect(page.get_by_text("Cantitatea trebuie să fie un număr întreg pozitiv.")).to_be_visible()
    expect(page.locator("#id_notes")).to_have_value("prânz la cantina școlii")
    screenshot("1-refused-quantity")
    page.fill("#id_quantity", "20")
    page.get_by_role("button", name="Înregistrează intervenția").click()
    expect(page.get_by_text("Intervenția a fost înregistrată.")).to_be_visible()

    # The same meals recorded twice by mistake: the second record is removed, with its reason.
    page.get_by_text("Înregistrează o intervenție").click()
    page.select_option("#id_type", label="Masă caldă")
    page.fill("#id_quantity", "20")
    page.get_by_role("button", name="Înregistrează intervenția").click()
    twice = Intervention.objects.filter(case=case).latest("pk")
    its_form = page.locator(f"form[action$='/interventii/{twice.pk}/anulare/']")
    remove = page.locator("details.inline-remove", has=its_form)
    remove.locator("summary").click()
    remove.get_by_label("De ce se anulează").select_option("duplicate")
    screenshot("1b-remove-twice")
    remove.get_by_role("button", name="Anulează intervenția").click()
    expect(page.get_by_text("Intervenția a fost anulată.")).to_be_visible()
    assert list(Intervention.objects.filter(case=case).values_list("quantity", flat=True)) == [20]

    # The case file, for the paper file or a referral.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descarcă fișa (PDF, fără notele confidențiale)").click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert "FIȘACAZULUI" in "".join(pdf_text(pdf).split())

    page.get_by_text("Cere închiderea cazului").click()
    page.select_option("#id_inchidere-reason", "regular_attendance")
    page.fill("#id_inchidere-on", today)
    page.get_by_role("button", name="Cere închiderea").click()
    expect(page.get_by_text("coordonatorul județean o aprobă")).to_be_visible()
    page.get_by_role("button", name="Ieșire").click()

    login(page, live_server, "coordonator", PASSWORD)
    page.goto(f"{live_server.url}/cazuri/")
    page.get_by_test_id("closures").get_by_role("link").click()
    page.get_by_role("button", name="Aprob închiderea").click()
    expect(page.get_by_text("Cazul a fost închis.")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closure_approved_by_id) == (
        "closed",
        "regular_attendance",
        coordinator.pk,
    )
    screenshot("2-closed")
