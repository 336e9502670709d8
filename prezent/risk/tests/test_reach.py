"""Every open alert reaches a person: an alert whose step's role nobody holding it can act on goes to the school's
coordinator (else the county coordinator), is on their default list and on the county coordinator's "unreached"
filter; the county overview lists the programme's schools first and leaves out units without pupils."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.accounts.models import Role
from prezent.accounts.tests.factories import UserFactory, assign
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.alerts.selectors import alert_reach, alert_worklist, county_overview
from prezent.risk.alerts.services import alert_assign, alerts_escalate_overdue, alerts_sync
from prezent.risk.models import Alert
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import TODAY, make_alert
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

alerts_world = alert_fixtures.alerts_world
ladder = alert_fixtures.ladder

ON = datetime.date(2026, 11, 27)
HIGH = {"unexcused_year": 40.0, "unexcused_module": 12.0, "streak_days": 0.0}  # home visit … and a high level


def _sync(children, *, values=None, levels=None, on=ON):
    return alerts_sync(
        on=on,
        indicators={c.pk: dict(values or {}) for c in children},
        levels={c.pk: level for c, level in (levels or {}).items()},
        school_by_child={c.pk: c.enrolments.first().class_group.school_id for c in children},
        county_code="IS",
    )


def _open(child) -> Alert:
    return Alert.objects.select_related("step").get(child=child, status__in=("open", "in_progress"))


def _on_default_list(user, alert: Alert) -> bool:
    return alert_worklist(user=user, on=ON).filter(pk=alert.pk).exists()


def _propose(world, child) -> None:
    """Proposed for the target group (written through the reverse relation: risk's tests may not import programme)."""
    world.programme.memberships.create(child=child, status="proposed", since=ON)


# --- routing ---------------------------------------------------------------------------------------------------


def test_a_case_worker_step_for_a_child_outside_the_target_group_goes_to_the_school_coordinator(world, ladder):
    w = world
    _sync([w.child_a2], levels={w.child_a2: "high"})  # child_a2 is in no target group: no case worker sees them
    alert = _open(w.child_a2)
    assert (alert.step.code, alert.assignee_role) == ("case-file", Role.SCHOOL_COORDINATOR)
    assert _on_default_list(w.users.school_coord, alert)
    assert not alert_worklist(user=w.users.caseworker, on=ON, mine=False).filter(pk=alert.pk).exists()
    unreached = alert_worklist(user=w.users.county, on=ON, unreached=True)
    assert list(unreached.values_list("pk", flat=True)) == [alert.pk]


def test_a_case_worker_step_for_a_target_group_child_stays_with_the_case_worker(world, ladder):
    w = world
    _sync([w.child_a1], levels={w.child_a1: "high"})  # child_a1 is proposed
    alert = _open(w.child_a1)
    assert alert.assignee_role == Role.CASE_WORKER
    assert _on_default_list(w.users.caseworker, alert)
    assert not alert_worklist(user=w.users.county, on=ON, unreached=True).exists()


def test_a_teacher_step_in_a_class_without_a_teacher_goes_to_the_school_coordinator(world, ladder):
    w = world
    _sync([w.child_a2, w.child_a1], values={"unexcused_module": 12.0})  # class_a2 has no teacher, class_a1 has one
    assert _open(w.child_a2).assignee_role == Role.SCHOOL_COORDINATOR
    assert _open(w.child_a1).assignee_role == Role.CLASS_TEACHER


def test_without_a_school_coordinator_the_county_coordinator_gets_it(world, ladder):
    w = world
    _sync([w.child_b1], values={"unexcused_module": 12.0})  # school_b: no teacher, no school coordinator
    alert = _open(w.child_b1)
    assert alert.assignee_role == Role.COUNTY_COORDINATOR
    assert _on_default_list(w.users.county, alert)


def test_an_ended_role_reaches_nobody(world, ladder):
    w = world
    w.users.school_coord.role_assignments.update(valid_until=ON - datetime.timedelta(days=1))
    _sync([w.child_a2], levels={w.child_a2: "high"})
    assert _open(w.child_a2).assignee_role == Role.COUNTY_COORDINATOR


def test_the_nightly_run_gives_an_alert_back_when_the_role_can_reach_the_child(world, ladder):
    w = world
    _sync([w.child_a2], levels={w.child_a2: "high"})
    assert _open(w.child_a2).assignee_role == Role.SCHOOL_COORDINATOR
    _propose(w, w.child_a2)
    report = _sync([w.child_a2], levels={w.child_a2: "high"})
    alert = _open(w.child_a2)
    assert (report.rerouted, alert.assignee_role) == (1, Role.CASE_WORKER)
    assert AuditEvent.objects.filter(action="alert.route", target_id=str(alert.pk)).exists()


def test_an_alert_someone_took_stays_with_them(world, ladder):
    w = world
    _sync([w.child_a2], levels={w.child_a2: "high"})
    alert = _open(w.child_a2)
    alert_assign(alert=alert, user=w.users.county, actor=w.users.county)
    _propose(w, w.child_a2)
    assert _sync([w.child_a2], levels={w.child_a2: "high"}).rerouted == 0
    alert.refresh_from_db()
    assert (alert.assignee_role, alert.assigned_to_id) == (Role.SCHOOL_COORDINATOR, w.users.county.pk)


def test_an_escalation_is_routed_too(world, ladder):
    w = world
    overdue = make_alert(w.child_a2, w.school_a, ladder["home-visit"], opened_on=ON - datetime.timedelta(days=20))
    alerts_escalate_overdue(on=ON)
    opened = Alert.objects.get(escalated_from=overdue)
    assert (opened.step.code, opened.assignee_role) == ("case-file", Role.SCHOOL_COORDINATOR)


def test_reach_reads_a_constant_number_of_queries(world, ladder, django_assert_max_num_queries):
    w = world
    pairs = {(w.child_a1.pk, w.school_a.pk), (w.child_b1.pk, w.school_b.pk)}
    with CaptureQueriesContext(connection) as ctx:
        alert_reach(pairs=pairs)
    more = enrol(ClassGroupFactory(school=w.school_b, letter="X"), 30)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        alert_reach(pairs=pairs | {(c.pk, w.school_b.pk) for c in more})


# --- every open alert is on someone's default list ---------------------------------------------------------------


@pytest.fixture
def demo_like(world, ladder):
    """Schools with and without a school coordinator, mediator or teacher; children in and out of the target group;
    every step of the ladder triggered for some child."""
    w = world
    school_c = SchoolFactory(county_code="IS")
    coord_c = UserFactory(username="coord_c")
    assign(coord_c, Role.SCHOOL_COORDINATOR, schools=[school_c])
    teacher_c = UserFactory(username="teacher_c")
    assign(teacher_c, Role.CLASS_TEACHER, schools=[school_c])
    children = [w.child_a1, w.child_a1_other, w.child_a2, w.child_b1]
    children += enrol(ClassGroupFactory(school=school_c, teacher=teacher_c), 4)
    children += enrol(ClassGroupFactory(school=school_c), 4)
    children += enrol(ClassGroupFactory(school=w.school_b, letter="Y"), 3)
    for child in children[4::3]:
        _propose(w, child)
    profiles = [
        ({"unexcused_module": 12.0}, None),
        ({"unexcused_year": 22.0}, None),
        ({"unexcused_year": 35.0}, None),
        ({"unexcused_year": 40.0}, "high"),
        ({"unexcused_year": 80.0}, "high"),
    ]
    indicators, levels = {}, {}
    for i, child in enumerate(children):
        values, level = profiles[i % len(profiles)]
        indicators[child.pk] = dict(values)
        if level:
            levels[child.pk] = level
    alerts_sync(
        on=ON,
        indicators=indicators,
        levels=levels,
        school_by_child={c.pk: c.enrolments.first().class_group.school_id for c in children},
        county_code="IS",
    )
    users = [*vars(w.users).values(), coord_c, teacher_c]
    return w, users


def test_every_open_alert_is_on_someone_s_default_list(demo_like):
    _, users = demo_like
    open_alerts = set(Alert.objects.filter(status__in=("open", "in_progress")).values_list("pk", flat=True))
    assert len(open_alerts) >= 10
    assert {a.step.code for a in Alert.objects.select_related("step")} == {
        "teacher-talk",
        "written-notice",
        "home-visit",
        "case-file",
        "referral-spas",
    }
    on_lists: set[int] = set()
    for user in users:
        on_lists.update(alert_worklist(user=user, on=ON).values_list("pk", flat=True))
    assert open_alerts - on_lists == set()


# --- the work list's filters -----------------------------------------------------------------------------------


def test_the_school_coordinator_s_default_list_holds_the_school_s_unreached_alerts(client, world, ladder):
    w = world
    _sync([w.child_a2], levels={w.child_a2: "high"})
    client.force_login(w.users.school_coord)
    page = client.get(reverse("risk:alert_list")).content.decode()
    assert w.child_a2.last_name in page


def test_unreached_filter_runs_a_constant_number_of_queries(client, world, ladder, django_assert_max_num_queries):
    w = world
    client.force_login(w.users.county)
    url = reverse("risk:alert_list") + "?mine=unreached"
    _sync(enrol(w.class_a2, 2), levels=None, values={"unexcused_module": 12.0})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    more = enrol(w.class_a2, 15)
    _sync(more, values={"unexcused_module": 12.0})
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        page = client.get(url).content.decode()
    assert all(c.last_name in page for c in more)
    assert w.child_a1.last_name not in page


# --- the alert page links to the step's action ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("caseworker", True), ("school_coord", True), ("county", True), ("mediator", False)],
)
def test_a_case_file_alert_links_to_opening_the_case_for_those_who_may(client, world, ladder, role, shown):
    w = world
    alert = make_alert(w.child_a1, w.school_a, ladder["case-file"], opened_on=TODAY)
    client.force_login(getattr(w.users, role))
    page = client.get(reverse("risk:alert_detail", kwargs={"pk": alert.pk})).content.decode()
    link = f'href="{reverse("cases:open")}?alerta={alert.pk}"'
    assert (link in page) is shown


def test_a_teacher_step_has_no_link_elsewhere(client, alerts_world):
    w = alerts_world
    client.force_login(w.users.county)
    page = client.get(reverse("risk:alert_detail", kwargs={"pk": w.alert_a1.pk})).content.decode()
    assert reverse("cases:open") not in page


def test_an_unreached_alert_says_why_it_came_to_me(client, world, ladder):
    w = world
    _sync([w.child_a2], levels={w.child_a2: "high"})
    client.force_login(w.users.school_coord)
    page = client.get(reverse("risk:alert_detail", kwargs={"pk": _open(w.child_a2).pk})).content.decode()
    assert "nicio persoană cu acest rol nu vede copilul" in page


# --- the county overview ---------------------------------------------------------------------------------------


@pytest.fixture
def county_world(alerts_world):
    """school_a and school_b are the programme's; a school out of it with pupils; a nursery-like unit without."""
    w = alerts_world
    w.outside = SchoolFactory(county_code="IS", name="AAA Școala din afara programului")
    w.empty = SchoolFactory(county_code="IS", name="AAA Clubul copiilor")
    ClassGroupFactory(school=w.empty)  # a class, but nobody enrolled
    child = enrol(ClassGroupFactory(school=w.outside), 1)[0]
    make_alert(child, w.outside, w.ladder["home-visit"])
    make_alert(enrol(ClassGroupFactory(school=w.outside), 1)[0], w.outside, w.ladder["home-visit"])
    return w


def test_county_overview_puts_the_programme_first_and_leaves_out_units_without_pupils(county_world):
    w = county_world
    rows = [r.school.pk for r in county_overview(user=w.users.county, on=TODAY).rows]
    assert w.empty.pk not in rows
    assert rows[-1] == w.outside.pk  # "AAA…" sorts first by name, but is not the programme's
    assert set(rows[:2]) == {w.school_a.pk, w.school_b.pk}
    only = [r.school.pk for r in county_overview(user=w.users.county, on=TODAY, programme_only=True).rows]
    assert set(only) == {w.school_a.pk, w.school_b.pk}


def test_county_overview_sorts_by_open_alerts_within_the_programme(county_world):
    w = county_world
    rows = [r.school.pk for r in county_overview(user=w.users.county, on=TODAY, sort="open").rows]
    assert rows == [w.school_a.pk, w.school_b.pk, w.outside.pk]  # 3 open, 1 open; the outside school (2) last


def test_county_overview_page_filters_and_runs_a_constant_number_of_queries(
    client, county_world, django_assert_max_num_queries
):
    w = county_world
    client.force_login(w.users.county)
    url = reverse("risk:alert_county_overview")
    default = client.get(url).content.decode()
    assert w.school_a.name in default and w.outside.name not in default
    every = client.get(url + "?scoli=toate&ordine=overdue").content.decode()
    assert w.outside.name in every and w.empty.name not in every
    with CaptureQueriesContext(connection) as ctx:
        client.get(url + "?scoli=toate")
    for _ in range(5):
        school = SchoolFactory(county_code="IS")
        make_alert(enrol(ClassGroupFactory(school=school), 1)[0], school, w.ladder["home-visit"])
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(url + "?scoli=toate").status_code == 200
