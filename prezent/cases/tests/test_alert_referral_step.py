"""The early warning's "referral to SPAS / DGASPC" is done by such a referral recorded in the child's open case
(registered with risk, decision 38): the nightly run opens no alert for the child and closes the open one with the
reason; a referral in a closed case does not count; the alert links to the case's referral form."""

import datetime

from django.urls import reverse

from prezent.cases.models import Referral
from prezent.cases.selectors import children_referred_to_social_assistance
from prezent.cases.services import case_close_approve, case_close_request, case_open, intervention_record
from prezent.cases.tests.conftest import programme_consent
from prezent.programme.services import membership_move
from prezent.risk.alerts.services import alerts_sync
from prezent.risk.alerts.steps import step_work
from prezent.risk.models import Alert, AlertStatus, CloseReason
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import make_alert

ladder = alert_fixtures.ladder

OPEN = (AlertStatus.OPEN, AlertStatus.IN_PROGRESS)


def _case(w, child):
    if child != w.child_a1:  # the world proposes only child_a1 for the target group
        membership_move(
            programme=w.programme,
            child=child,
            to_status="proposed",
            on=w.monday,
            reason="screening",
            actor=w.users.county,
        )
    programme_consent(child, by=w.users.county, on=w.monday)
    return case_open(child=child, opened_on=w.monday, case_worker=w.users.caseworker, actor=w.users.county)


def _refer(w, case, institution=Referral.Institution.SPAS):
    # written directly, as an import or the demo would: the nightly run must find it without the service's help
    return Referral.objects.create(
        case=case,
        institution=institution,
        institution_name="SPAS Ciurea",
        sent_on=w.monday,
        reason="Absențe repetate, familie fără venit.",
        author=w.users.caseworker,
    )


def _sync(w, child, on, hours=80):
    """Tonight's ladder for the child: 80 unexcused hours in the year trigger the referral step (72 h)."""
    return alerts_sync(
        on=on,
        indicators={child.pk: {"unexcused_year": hours}},
        levels={child.pk: ""},
        school_by_child={child.pk: w.school_a.pk},
        county_code="IS",
    )


def test_cases_registers_the_referral_step(db):
    work = step_work("referral-spas")
    assert work is not None and work.done is not None and work.action is not None
    assert work.done_reason == CloseReason.REFERRAL_SENT


def test_the_done_check_finds_the_referrals_to_spas_or_dgaspc_in_open_cases_in_one_query(
    world, catalogue, django_assert_num_queries
):
    w = world
    _refer(w, _case(w, w.child_a1), Referral.Institution.SPAS)
    _refer(w, _case(w, w.child_a1_other), Referral.Institution.DGASPC)
    health = _case(w, w.child_a2)
    _refer(w, health, Referral.Institution.HEALTH)  # another institution does not do the step
    # nor does the catalogue's "referral to other services", which does not say to whom
    intervention_record(
        case=health, kind=catalogue["referral"], delivered_on=w.monday, recipient="family", actor=w.users.caseworker
    )
    closed = _case(w, w.child_b1)
    _refer(w, closed, Referral.Institution.SPAS)
    case_close_request(case=closed, reason="moved_school", on=w.monday, actor=w.users.caseworker)
    case_close_approve(case=closed, on=w.monday, actor=w.users.county)
    asked = [w.child_a1.pk, w.child_a1_other.pk, w.child_a2.pk, w.child_b1.pk, 999_999]
    with django_assert_num_queries(1):
        done = children_referred_to_social_assistance(asked)
    assert done == {w.child_a1.pk, w.child_a1_other.pk}
    assert children_referred_to_social_assistance([]) == set()


def test_the_nightly_run_closes_the_open_referral_alert_once_the_referral_is_recorded_and_does_not_reopen_it(
    world, ladder
):
    w = world
    case = _case(w, w.child_a1)
    first = _sync(w, w.child_a1, w.monday)
    alert = Alert.objects.get(child=w.child_a1, status__in=OPEN)
    assert (first.opened, alert.step) == (1, ladder["referral-spas"])
    _refer(w, case)
    tuesday = w.monday + datetime.timedelta(days=1)
    report = _sync(w, w.child_a1, tuesday)
    alert.refresh_from_db()
    assert (report.done, report.opened) == (1, 0)
    assert (alert.status, alert.close_reason, alert.closed_on) == (
        AlertStatus.CLOSED,
        CloseReason.REFERRAL_SENT,
        tuesday,
    )
    # the next nights open nothing, on the referral step or below it, while the hours still trigger it
    for days in (2, 3):
        assert _sync(w, w.child_a1, w.monday + datetime.timedelta(days=days), hours=95).opened == 0
    assert not Alert.objects.filter(child=w.child_a1, status__in=OPEN).exists()


def test_a_referral_in_a_closed_case_does_not_count(world, ladder):
    w = world
    case = _case(w, w.child_a1)
    _refer(w, case)
    case_close_request(case=case, reason="moved_school", on=w.monday, actor=w.users.caseworker)
    case_close_approve(case=case, on=w.monday, actor=w.users.county)
    report = _sync(w, w.child_a1, w.monday + datetime.timedelta(days=1))
    assert report.opened == 1
    assert Alert.objects.get(child=w.child_a1, status__in=OPEN).step == ladder["referral-spas"]


def test_recording_the_referral_on_the_case_page_closes_the_alert_at_once(client, world, ladder):
    w = world
    case = _case(w, w.child_a1)
    alert = make_alert(w.child_a1, w.school_a, ladder["referral-spas"], opened_on=w.monday)
    other = make_alert(w.child_a1, w.school_a, ladder["home-visit"], opened_on=w.monday)
    client.force_login(w.users.caseworker)
    response = client.post(
        reverse("cases:referral_add", kwargs={"pk": case.pk}),
        {
            "institution": "dgaspc",
            "institution_name": "DGASPC Iași",
            "sent_on": w.monday.isoformat(),
            "reason": "Absențe repetate.",
        },
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    other.refresh_from_db()
    assert (alert.status, alert.close_reason, alert.closed_on) == (
        AlertStatus.CLOSED,
        CloseReason.REFERRAL_SENT,
        w.monday,
    )
    assert other.status == AlertStatus.OPEN  # another step is not done by the referral


def test_a_referral_to_another_institution_leaves_the_alert_open(world, ladder):
    from prezent.cases.services import referral_create

    w = world
    case = _case(w, w.child_a1)
    alert = make_alert(w.child_a1, w.school_a, ladder["referral-spas"], opened_on=w.monday)
    referral_create(
        case=case,
        institution="police",
        institution_name="Poliția Ciurea",
        sent_on=w.monday,
        reason="Copilul lipsește de acasă.",
        actor=w.users.caseworker,
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_referral_alert_links_to_the_case_s_referral_form_for_those_who_record_referrals(client, world, ladder):
    w = world
    case = _case(w, w.child_a1)
    alert = make_alert(w.child_a1, w.school_a, ladder["referral-spas"], opened_on=w.monday)
    link = f"{case.get_absolute_url()}?alerta={alert.pk}#sesizari"
    seen = {}
    for name in ("caseworker", "school_coord", "county", "mediator"):
        client.force_login(getattr(w.users, name))
        response = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk}))
        assert response.status_code == 200, name
        seen[name] = link in response.content.decode()
    # the mediator sees the alert and the case, but referrals are recorded by those who manage the case
    assert seen == {"caseworker": True, "school_coord": True, "county": True, "mediator": False}
    client.force_login(w.users.caseworker)
    detail = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    # the step's own action is the page's main button; a contact is the second way
    assert f'<a class="button primary" href="{link}">' in detail
    assert '<button class="primary">Salvează contactul' not in detail
    page = client.get(link.split("#")[0]).content.decode()
    assert '<option value="spas" selected>' in page
    assert '<details class="card" open><summary>Sesizare nouă' in page


def test_a_referral_alert_without_a_case_has_no_referral_link(client, world, ladder):
    w = world
    alert = make_alert(w.child_a1, w.school_a, ladder["referral-spas"], opened_on=w.monday)
    client.force_login(w.users.caseworker)
    page = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    assert "#sesizari" not in page
    assert '<button class="primary">Salvează contactul și închide alerta</button>' in page
