"""The early warning's "open a case file" is done by an open case (registered with risk, decision 38): it does not
open for a child whose case is open, and its open alert closes, with the reason, when the case opens."""

import datetime

from django.urls import reverse

from prezent.cases.services import case_open
from prezent.cases.tests.conftest import programme_consent
from prezent.core.models import AuditEvent
from prezent.risk.alerts.services import alerts_escalate_overdue, alerts_sync
from prezent.risk.alerts.steps import step_work
from prezent.risk.models import Alert, AlertStatus, CloseReason
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import make_alert

ladder = alert_fixtures.ladder


def _open_case(w, child):
    programme_consent(child, by=w.users.county, on=w.monday)
    return case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.caseworker)


def _sync_high(w, child, on):
    return alerts_sync(
        on=on,
        indicators={child.pk: {}},
        levels={child.pk: "high"},
        school_by_child={child.pk: w.school_a.pk},
        county_code="IS",
    )


def test_cases_registers_the_case_file_step(db):
    work = step_work("case-file")
    assert work is not None and work.done is not None and work.action is not None
    assert work.done_reason == CloseReason.CASE_OPENED


def test_opening_a_case_closes_the_open_case_file_alert_with_the_reason(world, ladder):
    w = world
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=w.monday)
    visit = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    _open_case(w, w.child_a1)
    alert.refresh_from_db()
    visit.refresh_from_db()
    assert (alert.status, alert.close_reason, alert.closed_on) == (
        AlertStatus.CLOSED,
        CloseReason.CASE_OPENED,
        w.monday,
    )
    assert visit.status == AlertStatus.OPEN  # another step is not done by the case
    assert AuditEvent.objects.filter(
        action="alert.close", target_id=str(alert.pk), details__reason=CloseReason.CASE_OPENED.value
    ).exists()


def test_opening_from_the_case_file_alert_closes_it(world, ladder):
    w = world
    programme_consent(w.child_a1, by=w.users.county, on=w.monday)
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=w.monday)
    case_open(
        child=w.child_a1, opened_on=w.monday, case_worker=w.users.caseworker, source_alert=alert, actor=w.users.county
    )
    alert.refresh_from_db()
    assert (alert.status, alert.close_reason) == (AlertStatus.CLOSED, CloseReason.CASE_OPENED)


def test_the_nightly_run_opens_no_case_file_alert_for_a_child_whose_case_is_open(world, ladder):
    w = world
    _open_case(w, w.child_a1)
    report = _sync_high(w, w.child_a1, w.monday + datetime.timedelta(days=1))
    assert report.opened == 0
    assert not Alert.objects.filter(child=w.child_a1, step=ladder["case-file"]).exists()


def test_the_nightly_run_closes_a_case_file_alert_whose_case_is_open(world, ladder):
    w = world
    _open_case(w, w.child_a1)
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=w.monday)  # opened by hand, say
    report = _sync_high(w, w.child_a1, w.monday + datetime.timedelta(days=1))
    alert.refresh_from_db()
    assert (report.done, alert.close_reason) == (1, CloseReason.CASE_OPENED)
    assert not Alert.objects.filter(child=w.child_a1, status__in=("open", "in_progress")).exists()


def test_without_a_case_the_case_file_alert_opens(world, ladder):
    w = world
    assert _sync_high(w, w.child_a1, w.monday).opened == 1
    assert Alert.objects.get(child=w.child_a1).step == ladder["case-file"]


def test_an_overdue_home_visit_does_not_escalate_to_a_case_that_is_open(world, ladder):
    w = world
    _open_case(w, w.child_a1)
    overdue = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday - datetime.timedelta(days=20))
    report = alerts_escalate_overdue(on=w.monday)
    overdue.refresh_from_db()
    assert (overdue.status, report.opened) == (AlertStatus.CLOSED, 0)
    assert not Alert.objects.filter(child=w.child_a1, step=ladder["case-file"]).exists()


def test_the_alert_s_link_opens_the_case_page_with_the_child_chosen(client, world, ladder):
    w = world
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=w.monday)
    client.force_login(w.users.caseworker)
    detail = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    link = f"{reverse('cases:open')}?alerta={alert.pk}"
    assert link in detail
    page = client.get(link)
    assert page.status_code == 200
    assert w.child_a1.last_name in page.content.decode()


def test_a_home_visit_alert_links_to_the_case_s_visit_form_for_those_who_record_visits(client, world, ladder):
    w = world
    case = _open_case(w, w.child_a1)
    alert = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    link = f"{case.get_absolute_url()}?alerta={alert.pk}#vizite"
    for user, shown in ((w.users.mediator, True), (w.users.caseworker, True), (w.users.teacher, False)):
        client.force_login(user)
        response = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk}))
        if response.status_code == 404:  # the teacher does not see a mediator's alert at all
            assert not shown
            continue
        assert (link in response.content.decode()) is shown
    client.force_login(w.users.mediator)
    page = client.get(link.split("#")[0]).content.decode()
    assert f'<option value="{alert.pk}" selected>' in page


def test_a_home_visit_alert_without_a_case_has_no_case_link(client, world, ladder):
    w = world
    alert = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    client.force_login(w.users.mediator)
    page = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    assert "#vizite" not in page
