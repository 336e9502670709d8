"""Issue 3 in a browser: the coordinator edits a rule (a new version), recomputes, and a child's reasons change;
a teacher excuses the absences and the alert they caused closes itself."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prezent.accounts.tests.factories import Role, UserFactory, assign
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.risk.alerts.services import escalation_ladder_load_defaults
from prezent.risk.models import Alert, RuleSet
from prezent.risk.selectors import risk_score_current_for
from prezent.risk.services import risk_defaults_load, risk_recompute
from prezent.schools.tests.factories import ClassGroupFactory

from .conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "parola-test-123"
ABSENT_DAYS = (datetime.date(2026, 11, 16), datetime.date(2026, 11, 18), datetime.date(2026, 11, 20))


@pytest.fixture
def flagged(transactional_db):
    teacher, county = UserFactory(username="prof"), UserFactory(username="coord")
    group = ClassGroupFactory(teacher=teacher, hours_per_day=4)
    assign(teacher, Role.CLASS_TEACHER, schools=[group.school])
    assign(county, Role.COUNTY_COORDINATOR, county="IS")
    child, _other = enrol(group, 2)
    for offset in range(12):
        day = datetime.date(2026, 11, 16) + datetime.timedelta(days=offset)
        if day.weekday() < 5:
            absences = {child.pk: 4} if day in ABSENT_DAYS else {}
            register_save(class_group=group, day=day, absences=absences, actor=teacher)
    risk_defaults_load(county_code="IS")
    escalation_ladder_load_defaults(county_code="IS")
    risk_recompute(on=timezone.localdate())
    return child


def test_coordinator_edits_a_threshold_and_the_childs_reasons_change(page, live_server, flagged):
    alert = Alert.objects.get(child=flagged, status="open", step__code="teacher-talk")
    assert "modulul curent" in alert.cause
    login(page, live_server, "coord", PASSWORD)
    page.goto(f"{live_server.url}/copii/{flagged.pk}/")
    expect(page.get_by_test_id("risk-reasons")).to_contain_text("modulul curent")

    page.goto(f"{live_server.url}/risc/reguli/")
    prefix = page.locator("select[name$='-indicator']").evaluate_all(
        "els => els.find(e => e.value === 'unexcused_module').name.replace('-indicator', '')"
    )
    page.fill(f"[name='{prefix}-threshold']", "30")
    page.fill("[name='note']", "pragul de ore nemotivate pe modul crescut la 30")
    page.get_by_role("button", name="Salvează ca versiune nouă").click()
    expect(page.get_by_text("A fost salvată versiunea 2")).to_be_visible()
    assert RuleSet.objects.filter(county_code="IS").count() == 2
    page.get_by_role("button", name="Recalculează scorurile acum").click()
    expect(page.get_by_text("Recalcularea scorurilor a pornit.")).to_be_visible()

    page.goto(f"{live_server.url}/copii/{flagged.pk}/")
    expect(page.get_by_test_id("risk")).not_to_contain_text("modulul curent")
    assert risk_score_current_for(child=flagged).rule_set.version == 2


def test_teacher_excuses_the_absences_and_the_alert_closes_itself(page, live_server, flagged):
    assert Alert.objects.filter(child=flagged, status="open", step__code="teacher-talk").exists()
    login(page, live_server, "prof", PASSWORD)
    page.goto(f"{live_server.url}/copii/{flagged.pk}/")
    for box in page.locator("input[name='absence_ids']").all():
        box.check()
    page.select_option("#id_reason", "medical")
    page.get_by_role("button", name="Motivează").click()
    expect(page.get_by_text("Ore motivate: 12.")).to_be_visible()
    alert = Alert.objects.get(child=flagged, step__code="teacher-talk")
    assert (alert.status, alert.close_reason) == ("closed", "cause_gone")
