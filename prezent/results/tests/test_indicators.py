"""The built-in indicators on the results world (see conftest.py): values, baseline comparison, breakdowns,
locking, late data and the number of queries."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.programme.services import membership_move
from prezent.results.indicators import REGISTRY, evaluate
from prezent.results.models import PeriodActual, PeriodStatus
from prezent.results.selectors import report_for, span_for, target_on
from prezent.results.services import period_lock, target_revise


def _figures(w, end=None, **kwargs):
    span = span_for(programme=w.programme, start=w.monday, end=end or w.monday + datetime.timedelta(days=4))
    return evaluate(span=span, with_roma=True, **kwargs)


def test_the_indicators_of_casework_and_activities_are_computed():
    fed = {"children_served", "parents", "parents_completed_course", "teachers", "schools_with_activities"}
    assert fed | {"schools_reached_by_campaign"} <= set(REGISTRY)
    assert not any(REGISTRY[code].about_children for code in fed - {"children_served"})


def test_target_group_counts_girls_and_roma(results_world):
    figures = _figures(results_world)
    assert figures["children"].value == 8
    girls = sum(1 for c in [*results_world.group, results_world.child_b1] if c.sex == "F")
    assert figures["children_girls"].value == girls
    assert figures["children_roma"].value == 2
    assert figures["dropped_out"].value == 0


def test_attendance_is_compared_with_the_same_children_in_the_baseline_year(results_world):
    figures = _figures(results_world)
    # Baseline (24.11.2025): the seven of school a missed 4 of 4 hours, child_b1 none.
    assert figures["attendance_rate"].baseline == pytest.approx(100 / 8)
    # This year (23.11.2026): child_a1 missed 2 of 4 hours; the others none.
    assert figures["attendance_rate"].value == pytest.approx((50 + 700) / 8)
    assert figures["attendance_improved"].value == 7
    assert figures["attendance_change"].value == pytest.approx((50 + 6 * 100 + 0) / 8)
    assert figures["unexcused_per_child"].value == pytest.approx(2 / 8)
    assert figures["unexcused_per_child"].baseline == pytest.approx(28 / 8)


def test_a_child_who_dropped_out_is_counted(results_world):
    enrolment = results_world.child_a1.enrolments.get(end__isnull=True)
    enrolment.end, enrolment.end_reason = results_world.monday + datetime.timedelta(days=1), "dropped_out"
    enrolment.save()
    assert _figures(results_world)["dropped_out"].value == 1
    assert _figures(results_world, end=results_world.monday)["dropped_out"].value == 0


def test_breakdown_by_school_hides_the_school_with_one_child(results_world):
    report = report_for(programme=results_world.programme, period=results_world.p2, with_roma=True)
    row = report.row("children")
    by_school = {c.key: c for b in row.breakdowns if b.dimension == "school" for c in b.cells}
    school_a, school_b = by_school[str(results_world.school_a.pk)], by_school[str(results_world.school_b.pk)]
    assert school_b.suppressed and school_b.shown == "<5" and not school_b.complementary
    # 8 children in all: the 7 of school a would give away the one of school b, so they are hidden too
    assert school_a.suppressed and school_a.complementary and school_a.value is None and school_a.shown == "ascuns"
    roma = report.row("children_roma")
    assert roma.suppressed and roma.value is None  # 2 Roma children: hidden, even from the coordinator


def test_roma_is_left_out_for_roles_without_it(results_world):
    report = report_for(programme=results_world.programme, period=results_world.p2, with_roma=False)
    assert report.row("children_roma") is None
    assert all(b.dimension != "roma" for row in report.rows for b in row.breakdowns)


def test_school_view_counts_only_the_children_placed_there(results_world):
    figures = _figures(results_world, school_ids=frozenset({results_world.school_a.pk}))
    assert figures["children"].value == 7
    assert figures["attendance_improved"].value == 7


def test_indicator_without_computation_shows_no_figure(results_world):
    report = report_for(programme=results_world.programme, period=results_world.p2, with_roma=True)
    volunteers = report.row("volunteers")
    assert volunteers is not None and not volunteers.computed and volunteers.value is None


def test_target_in_force_is_the_latest_revision_on_the_day(results_world):
    indicator = results_world.indicator_children
    assert target_on(indicator, results_world.monday).value == 10
    assert target_on(indicator, results_world.monday + datetime.timedelta(days=1)).value == 12
    report = report_for(programme=results_world.programme, period=results_world.p2, with_roma=True)
    assert report.row("children").target.value == 12
    assert report.row("children").progress == pytest.approx(66.7)


def test_target_revision_needs_a_reason_and_keeps_history(results_world):
    indicator = results_world.indicator_children
    with pytest.raises(ValidationError):
        target_revise(indicator=indicator, value=15, set_on=results_world.monday, reason=" ", actor=None)
    assert indicator.targets.count() == 2
    target_revise(
        indicator=indicator,
        value=15,
        set_on=datetime.date(2026, 11, 26),
        reason="extindere",
        actor=results_world.users.county,
    )
    assert list(indicator.targets.order_by("set_on", "pk").values_list("value", flat=True)) == [10, 12, 15]
    assert AuditEvent.objects.filter(action="results.target_revise").count() == 1


def test_locking_freezes_the_figures_and_late_data_shows_in_the_next_period(results_world):
    w = results_world
    with pytest.raises(ValidationError):
        period_lock(period=w.p2, actor=w.users.county)  # P1 first
    period_lock(period=w.p1, actor=w.users.county)
    w.p1.refresh_from_db()
    assert w.p1.status == PeriodStatus.LOCKED and w.p1.locked_by == w.users.county
    assert PeriodActual.objects.get(period=w.p1, code="children").value == 8
    with pytest.raises(ValidationError):
        period_lock(period=w.p1, actor=w.users.county)

    # A child included on Monday is recorded after P1 was locked: late data for P1.
    late_child = enrol(w.class_a1, 1)[0]
    membership_move(programme=w.programme, child=late_child, to_status="proposed", on=w.monday, reason="x", actor=None)
    membership_move(programme=w.programme, child=late_child, to_status="included", on=w.monday, reason="x", actor=None)

    locked = report_for(programme=w.programme, period=w.p1, with_roma=True)
    assert locked.frozen and locked.row("children").value == 8
    following = report_for(programme=w.programme, period=w.p2, with_roma=True)
    assert following.row("children").value == 9
    assert following.row("children").late == 1
    period_lock(period=w.p2, actor=w.users.county)
    assert float(PeriodActual.objects.get(period=w.p2, code="children").late_previous) == 1
    assert AuditEvent.objects.filter(action="results.period_lock").count() == 2


def test_dashboard_queries_do_not_grow_with_the_children(client, results_world):
    client.force_login(results_world.users.county)
    url = reverse("results:dashboard") + f"?perioada={results_world.p2.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    more = enrol(results_world.class_a1, 12)
    for child in more:
        membership_move(
            programme=results_world.programme,
            child=child,
            to_status="proposed",
            on=results_world.monday,
            reason="x",
            actor=None,
        )
        membership_move(
            programme=results_world.programme,
            child=child,
            to_status="included",
            on=results_world.monday,
            reason="x",
            actor=None,
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    # a fixed number: a few per indicator (20 built-in, the money and the funder's figures included), none per child
    assert len(small.captured_queries) < 70


def test_evaluator_and_coordinator_get_the_same_report(client, results_world):
    """One funder report for everyone who may read it: the evaluator sees the Roma aggregates the coordinator sees,
    with the same small cells hidden; a role that never sees ethnicity (the school coordinator) has no results."""
    from openpyxl import load_workbook

    def read(user):
        client.force_login(user)
        html = client.get(reverse("results:dashboard")).content.decode()
        response = client.get(reverse("results:indicators_xlsx") + f"?perioada={results_world.p2.pk}")
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        sheets = {name: list(book[name].iter_rows(values_only=True))[3:] for name in book.sheetnames}
        return html, sheets

    evaluator_html, evaluator_sheets = read(results_world.users.me_viewer)
    county_html, county_sheets = read(results_world.users.county)
    for html in (evaluator_html, county_html):
        assert 'data-testid="actual-children_roma">&lt;5<' in html  # two Roma children: suppressed for both
    assert evaluator_sheets == county_sheets
    indicators = {row[0] for row in evaluator_sheets["Indicatori"]}
    assert "children_roma" in indicators
    roma = [row for row in evaluator_sheets["Dezagregare"] if row[0] == "children" and "romă" in str(row[2])]
    # 2 Roma of 8: both cells of the split hidden, the 6 others as the complement of the small cell
    assert sorted((row[4], row[5]) for row in roma) == [("<5", "<5"), ("ascuns", "ascuns")]
    assert results_world.child_a1.last_name not in evaluator_html


def test_lock_view_refuses_an_unfinished_period_and_changes_nothing(client, results_world):
    from prezent.results.models import ReportingPeriod

    future = ReportingPeriod.objects.create(
        programme=results_world.programme,
        name="Viitor",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
    )
    client.force_login(results_world.users.county)
    response = client.post(reverse("results:period_lock", args=[future.pk]), follow=True)
    future.refresh_from_db()
    assert future.status == PeriodStatus.OPEN
    assert "după ce s-a încheiat" in response.content.decode()


def test_period_create_rejects_overlap_and_keeps_nothing(client, results_world):
    client.force_login(results_world.users.county)
    before = results_world.programme.periods.count()
    response = client.post(
        reverse("results:period_create"), {"name": "Suprapusă", "start": "2026-11-24", "end": "2026-12-10"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "se suprapune" in html and 'value="Suprapusă"' in html
    assert results_world.programme.periods.count() == before


def test_target_form_keeps_what_was_typed_on_error(client, results_world):
    client.force_login(results_world.users.county)
    response = client.post(
        reverse("results:target_revise", args=[results_world.indicator_children.pk]),
        {"value": "abc", "set_on": "2026-11-25", "reason": "motiv scris"},
    )
    assert response.status_code == 400
    assert "motiv scris" in response.content.decode()
    assert results_world.indicator_children.targets.count() == 2


def test_attendance_trend_by_month_against_the_baseline_year(results_world):
    from prezent.results.indicators import Data
    from prezent.results.selectors import attendance_trend

    span = span_for(
        programme=results_world.programme,
        start=results_world.monday,
        end=results_world.monday + datetime.timedelta(days=4),
    )
    rows = {row.month: row for row in attendance_trend(span=span, child_ids=Data(span).target_group_q)}
    november = rows[datetime.date(2026, 11, 1)]
    assert november.rate == pytest.approx(93.8)  # 2 hours missed of 8 children × 4 hours
    assert november.baseline_rate == pytest.approx(12.5)  # 28 of 32 hours missed on 24.11.2025
    assert november.difference == pytest.approx(81.3)
    assert rows[datetime.date(2026, 9, 1)].rate is None  # no register in September: "not recorded", never 100 %


def test_a_locked_periods_monthly_trend_is_frozen_too(results_world):
    from prezent.attendance.services import register_save
    from prezent.results.selectors import trend_for

    w = results_world
    period_lock(period=w.p1, actor=w.users.county)
    w.p1.refresh_from_db()
    before = [
        (r.month, r.rate) for r in trend_for(report=report_for(programme=w.programme, period=w.p1, with_roma=True))
    ]
    # A register for Tuesday recorded late: every child of the target group in class a1 missed 4 hours.
    register_save(
        class_group=w.class_a1,
        day=w.monday + datetime.timedelta(days=1),
        absences={c.pk: 4 for c in w.group},
        actor=w.users.county,
        hours=4,
    )
    frozen = [
        (r.month, r.rate) for r in trend_for(report=report_for(programme=w.programme, period=w.p1, with_roma=True))
    ]
    live = [(r.month, r.rate) for r in trend_for(report=report_for(programme=w.programme, period=w.p2, with_roma=True))]
    assert frozen == before
    assert dict(before)[datetime.date(2026, 11, 1)] == pytest.approx(93.8)
    assert dict(live)[datetime.date(2026, 11, 1)] < 60


def test_an_indicator_not_about_children_has_no_breakdown_and_no_figure_for_one_school(results_world, monkeypatch):
    from prezent.results import indicators
    from prezent.results.indicators import COUNT, Measure, Spec

    spec = Spec("teachers", "Cadre didactice formate", "x", "people", lambda data: Measure(COUNT, frozenset({1, 2, 3})))
    monkeypatch.setitem(indicators.REGISTRY, "teachers", Spec(**{**spec.__dict__, "about_children": False}))
    county = _figures(results_world)["teachers"]
    assert county.value == 3 and county.breakdowns == {}
    school = _figures(results_world, school_ids=frozenset({results_world.school_a.pk}))["teachers"]
    assert school.value is None
