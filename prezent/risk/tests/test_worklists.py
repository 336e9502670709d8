"""Work lists: "my alerts" per role, the school overview and the county overview, with constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prezent.children.tests.factories import enrol
from prezent.core.models import AccessLog
from prezent.risk.alerts.selectors import alert_worklist, county_overview, school_overview
from prezent.risk.alerts.services import alert_assign, alert_follow_up
from prezent.risk.models import AlertStatus, RiskScore, RuleSet
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import TODAY, make_alert
from prezent.schools.tests.factories import ClassGroupFactory, SchoolFactory

alerts_world = alert_fixtures.alerts_world
ladder = alert_fixtures.ladder


def _ids(alerts):
    return {a.pk for a in alerts}


def test_teacher_my_alerts_are_own_pupils_teacher_steps(alerts_world):
    w = alerts_world
    assert _ids(alert_worklist(user=w.users.teacher, on=TODAY)) == {w.alert_a1.pk}
    assert _ids(alert_worklist(user=w.users.teacher, on=TODAY, mine=False)) == {w.alert_a1.pk}


def test_mediator_my_alerts_are_the_mediator_steps_of_the_school(alerts_world):
    w = alerts_world
    assert _ids(alert_worklist(user=w.users.mediator, on=TODAY)) == {w.alert_a1_visit.pk}
    everything = {w.alert_a1.pk, w.alert_a1_visit.pk, w.alert_a2.pk}
    assert _ids(alert_worklist(user=w.users.mediator, on=TODAY, mine=False)) == everything


def test_case_worker_sees_only_target_group_children(alerts_world):
    w = alerts_world
    assert _ids(alert_worklist(user=w.users.caseworker, on=TODAY, mine=False)) == {w.alert_a1.pk, w.alert_a1_visit.pk}


def test_county_coordinator_sees_the_county(alerts_world):
    w = alerts_world
    assert len(alert_worklist(user=w.users.county, on=TODAY, mine=False)) == 4
    assert not alert_worklist(user=w.users.me_viewer, on=TODAY, mine=False).exists()


def test_an_alert_taken_by_a_colleague_leaves_my_list(alerts_world):
    w = alerts_world
    alert_assign(alert=w.alert_a1_visit, user=w.users.county, actor=w.users.county)
    assert not alert_worklist(user=w.users.mediator, on=TODAY).exists()
    assert _ids(alert_worklist(user=w.users.county, on=TODAY)) == {w.alert_a1_visit.pk}


def test_filters_overdue_and_closed(alerts_world):
    w = alerts_world
    later = TODAY + datetime.timedelta(days=5)
    assert _ids(alert_worklist(user=w.users.mediator, on=later, mine=False, overdue=True)) == {
        w.alert_a1.pk,
        w.alert_a2.pk,
    }
    alert_follow_up(
        alert=w.alert_a2, kind="meeting", date=TODAY, outcome="Ședință.", parent_reached=True, actor=w.users.mediator
    )
    closed = alert_worklist(user=w.users.mediator, on=TODAY, mine=False, status="closed")
    assert _ids(closed) == {w.alert_a2.pk}
    assert len(alert_worklist(user=w.users.mediator, on=TODAY, mine=False, status="all")) == 3


def test_list_page_shows_my_alerts_and_marks_overdue(client, alerts_world):
    w = alerts_world
    w.alert_a1.due_on = timezone.localdate() - datetime.timedelta(days=1)
    w.alert_a1.save()
    client.force_login(w.users.teacher)
    page = client.get(reverse("risk:alert_list")).content.decode()
    # By the alerts' links, not by names: two children drawn by Faker may share a last name.
    assert reverse("risk:alert_detail", kwargs={"pk": w.alert_a1.pk}) in page
    assert "depășit" in page
    assert reverse("risk:alert_detail", kwargs={"pk": w.alert_a2.pk}) not in page


def test_detail_page_logs_the_read(client, alerts_world):
    client.force_login(alerts_world.users.teacher)
    response = client.get(reverse("risk:alert_detail", kwargs={"pk": alerts_world.alert_a1.pk}))
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=alerts_world.users.teacher, child_id=alerts_world.child_a1.pk).exists()


def test_follow_up_form_in_the_future_is_refused_and_changes_nothing(client, alerts_world):
    client.force_login(alerts_world.users.teacher)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("risk:alert_follow_up", kwargs={"pk": alerts_world.alert_a1.pk}),
        {"kind": "call", "date": tomorrow.isoformat(), "outcome": "Am sunat.", "parent_reached": "on"},
    )
    assert response.status_code == 400
    assert "viitor" in response.content.decode()
    alerts_world.alert_a1.refresh_from_db()
    assert alerts_world.alert_a1.status == AlertStatus.OPEN


def _make_teacher_alerts(world, ladder, n):
    children = enrol(world.class_a1, n)
    for child in children:
        make_alert(child, world.school_a, ladder["teacher-talk"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["teacher", "county", "mediator", "caseworker"])
def test_worklist_runs_a_constant_number_of_queries(client, alerts_world, django_assert_max_num_queries, role):
    w = alerts_world
    client.force_login(getattr(w.users, role))
    url = reverse("risk:alert_list") + "?mine=0&status=open"
    _make_teacher_alerts(w, w.ladder, 3)
    few = _count(client, url)
    _make_teacher_alerts(w, w.ladder, 17)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def _score(child, school, level, rule_set):
    RiskScore.objects.create(
        child=child, school=school, computed_on=TODAY, rule_set=rule_set, points=1, level=level, is_current=True
    )


@pytest.fixture
def rule_set(db):
    return RuleSet.objects.create(county_code="IS", version=1, name="Reguli de test")


def test_school_overview_counts_levels_and_alerts(alerts_world, rule_set, django_assert_max_num_queries):
    w = alerts_world
    _score(w.child_a1, w.school_a, "high", rule_set)
    _score(w.child_a1_other, w.school_a, "low", rule_set)
    _score(w.child_a2, w.school_a, "low", rule_set)
    w.alert_a2.due_on = TODAY - datetime.timedelta(days=1)
    w.alert_a2.save()
    with django_assert_max_num_queries(4):  # levels, partial data (two), alerts per step
        overview = school_overview(school=w.school_a, on=TODAY)
    assert overview.levels == {"high": 1, "low": 2}
    assert (overview.open, overview.overdue) == (3, 1)
    steps = {row.name: (row.open, row.overdue) for row in overview.steps}
    assert steps == {"Dirigintele discută cu părintele": (2, 1), "Vizită la domiciliu": (1, 0)}


def test_county_overview_per_school_in_constant_queries(alerts_world, rule_set, django_assert_max_num_queries):
    w = alerts_world
    _score(w.child_b1, w.school_b, "medium", rule_set)
    with CaptureQueriesContext(connection) as ctx:
        overview = county_overview(user=w.users.county, on=TODAY)
    rows = {row.school.pk: row for row in overview.rows}
    assert (rows[w.school_a.pk].open, rows[w.school_b.pk].open) == (3, 1)
    assert rows[w.school_b.pk].levels == {"medium": 1}
    assert overview.total.open == 4
    for _ in range(4):
        school = SchoolFactory()
        child = enrol(ClassGroupFactory(school=school), 1)[0]
        make_alert(child, school, w.ladder["home-visit"])
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        overview = county_overview(user=w.users.county, on=TODAY)
    assert len(overview.rows) == 6


def test_overview_pages_render(client, alerts_world, rule_set):
    _score(alerts_world.child_a1, alerts_world.school_a, "high", rule_set)
    client.force_login(alerts_world.users.county)
    school_page = client.get(reverse("risk:alert_school_overview", kwargs={"pk": alerts_world.school_a.pk}))
    assert "Vizită la domiciliu" in school_page.content.decode()
    county_page = client.get(reverse("risk:alert_county_overview")).content.decode()
    assert alerts_world.school_b.name in county_page
    assert alerts_world.child_a1.last_name not in county_page  # counts only
