"""Alerts from the escalation ladder: no duplicates, self-closing when the cause is excused, any contact note
follows up, overdue alerts escalate once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from prezent.attendance.models import Absence
from prezent.attendance.services import absences_excuse, register_save
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.alerts import services as alerts_module
from prezent.risk.alerts.rules import StepRule, cause_text, number_ro, step_holds, step_rule_from, step_verdict
from prezent.risk.alerts.services import (
    alert_assign,
    alert_dismiss,
    alert_follow_up,
    alerts_escalate_overdue,
    alerts_sync,
    escalation_ladder_load_defaults,
)
from prezent.risk.models import Alert, AlertStatus, CloseReason, ContactNote, EscalationStep
from prezent.risk.tests import alert_fixtures
from prezent.risk.tests.alert_fixtures import TODAY, make_alert
from prezent.schools.tests.factories import ClassGroupFactory

alerts_world = alert_fixtures.alerts_world
ladder = alert_fixtures.ladder

ON = datetime.date(2026, 11, 27)


def _sync(children, values: dict[str, float | None], *, levels=None, on=ON, school=None):
    return alerts_sync(
        on=on,
        indicators={c.pk: dict(values) for c in children},
        levels=levels or {},
        school_by_child={c.pk: (school or c.enrolments.first().class_group.school_id) for c in children},
        county_code="IS",
    )


# --- pure rules ------------------------------------------------------------------------------------------------


def test_cause_reads_like_a_teacher_would_say_it():
    assert cause_text("unexcused_module", 12, 10) == "12 ore nemotivate în modulul curent (prag: 10)"
    assert cause_text("unexcused_share_year", 10.5, 10) == ("10,5% din orele anului școlar sunt nemotivate (prag: 10%)")
    assert number_ro(3.0) == "3"


def test_missing_indicator_neither_opens_nor_closes():
    rule = step_rule_from([["unexcused_module", ">=", 10]])
    assert step_verdict(rule, {"unexcused_module": None}, None).holds is None
    assert step_verdict(rule, {}, None).holds is None
    assert step_verdict(rule, {"unexcused_module": 9}, None).holds is False


def test_level_trigger_counts_levels_at_or_above():
    rule = StepRule(conditions=(), trigger_level="medium")
    assert step_verdict(rule, {}, "high").holds is True
    assert step_verdict(rule, {}, "medium").holds is True
    assert step_verdict(rule, {}, "low").holds is False
    assert step_verdict(rule, {}, None).holds is None


conditions = st.lists(
    st.tuples(
        st.sampled_from(["unexcused_module", "unexcused_year", "streak_days"]),
        st.sampled_from([">=", ">", "<=", "<", "==", "?"]),
        st.integers(min_value=0, max_value=80),
    ),
    max_size=3,
)


@given(
    rule_conditions=conditions,
    level_trigger=st.sampled_from(["", "medium", "high"]),
    values=st.dictionaries(
        st.sampled_from(["unexcused_module", "unexcused_year", "streak_days"]),
        st.one_of(st.none(), st.integers(min_value=0, max_value=100).map(float)),
    ),
    level=st.sampled_from([None, "none", "low", "medium", "high"]),
)
def test_the_quick_verdict_of_the_nightly_run_agrees_with_the_verdict_in_words(
    rule_conditions, level_trigger, values, level
):
    rule = step_rule_from([list(c) for c in rule_conditions], level_trigger)
    assert step_holds(rule, values, level) == step_verdict(rule, values, level).holds


@given(
    value=st.floats(min_value=0, max_value=500, allow_nan=False),
    more=st.floats(min_value=0, max_value=500, allow_nan=False),
    threshold=st.integers(min_value=0, max_value=200),
)
def test_more_unexcused_hours_never_clear_a_ge_trigger(value, more, threshold):
    rule = step_rule_from([["unexcused_year", ">=", threshold]])
    before = step_verdict(rule, {"unexcused_year": value}, None).holds
    after = step_verdict(rule, {"unexcused_year": value + more}, None).holds
    assert not (before and not after)


# --- ladder ----------------------------------------------------------------------------------------------------


def test_default_ladder_is_loaded_once(db):
    assert escalation_ladder_load_defaults(county_code="IS") == 5
    assert escalation_ladder_load_defaults(county_code="IS") == 0
    codes = list(EscalationStep.objects.filter(county_code="IS").values_list("code", "assignee_role", "due_days"))
    assert codes == [
        ("teacher-talk", "class_teacher", 3),
        ("written-notice", "class_teacher", 5),
        ("home-visit", "school_mediator", 7),
        ("case-file", "case_worker", 10),
        ("referral-spas", "case_worker", 10),
    ]


# --- sync ------------------------------------------------------------------------------------------------------


def test_sync_twice_never_opens_a_second_alert(world, ladder):
    first = _sync([world.child_a1], {"unexcused_module": 12, "streak_days": 0})
    second = _sync([world.child_a1], {"unexcused_module": 12, "streak_days": 0})
    assert (first.opened, second.opened) == (1, 0)
    alert = Alert.objects.get(child=world.child_a1)
    assert alert.step.code == "teacher-talk"
    assert alert.cause == "12 ore nemotivate în modulul curent (prag: 10)"
    assert alert.due_on == ON + datetime.timedelta(days=3)
    assert alert.assignee_role == "class_teacher"
    assert alert.school_id == world.school_a.pk


def test_sync_opens_only_the_highest_step_that_triggers(world, ladder):
    values = {"unexcused_module": 12, "streak_days": 3, "unexcused_year": 31}
    report = _sync([world.child_a1], values, levels={world.child_a1.pk: "high"})
    assert report.opened == 1
    alert = Alert.objects.get(child=world.child_a1)
    assert alert.step.code == "case-file"
    assert alert.cause == "nivel de risc: risc ridicat"


def test_each_step_reads_its_cause_in_words(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 4, "streak_days": 3, "unexcused_year": 4})
    _sync([world.child_a2], {"unexcused_module": 40, "streak_days": 0, "unexcused_year": 80})
    assert Alert.objects.get(child=world.child_a1).cause == "3 zile de școală consecutive absent (prag: 3)"
    referral = Alert.objects.get(child=world.child_a2)
    assert referral.step.code == "referral-spas"
    assert referral.cause == "80 ore nemotivate în anul școlar (prag: 72)"


def test_climbing_the_ladder_supersedes_the_lower_step(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12, "unexcused_year": 12})
    teacher = Alert.objects.get(child=world.child_a1)
    later = ON + datetime.timedelta(days=7)
    report = _sync([world.child_a1], {"unexcused_module": 22, "unexcused_year": 22}, on=later)
    assert (report.opened, report.superseded, report.closed) == (1, 1, 0)
    teacher.refresh_from_db()
    assert (teacher.status, teacher.close_reason, teacher.closed_on) == (
        AlertStatus.CLOSED,
        CloseReason.ESCALATED,
        later,
    )
    notice = Alert.objects.get(child=world.child_a1, status=AlertStatus.OPEN)
    assert notice.step.code == "written-notice"
    assert notice.escalated_from == teacher
    assert AuditEvent.objects.filter(action="alert.close", target_id=str(teacher.pk)).exists()


def test_nothing_opens_below_an_open_higher_step(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 22, "unexcused_year": 22})
    report = _sync([world.child_a1], {"unexcused_module": 12, "unexcused_year": 21, "streak_days": 3})
    assert report.opened == 0
    assert list(Alert.objects.values_list("step__code", flat=True)) == ["written-notice"]


def test_sync_updates_the_cause_text_of_an_open_alert(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12})
    report = _sync([world.child_a1], {"unexcused_module": 14})
    assert report.updated == 1
    assert Alert.objects.get().cause.startswith("14 ore")


def test_excused_absences_close_the_alert_with_cause_gone(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12})
    report = _sync([world.child_a1], {"unexcused_module": 2, "streak_days": 0}, on=ON + datetime.timedelta(days=1))
    alert = Alert.objects.get()
    assert report.closed == 1
    assert (alert.status, alert.close_reason) == (AlertStatus.CLOSED, CloseReason.CAUSE_GONE)
    assert alert.closed_on == ON + datetime.timedelta(days=1)
    assert AuditEvent.objects.filter(action="alert.close", target_id=str(alert.pk)).exists()


def test_unknown_indicator_keeps_the_alert_open(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12})
    report = _sync([world.child_a1], {"unexcused_module": None, "streak_days": None})
    assert report.closed == 0
    assert Alert.objects.get().status == AlertStatus.OPEN


@pytest.mark.parametrize("read_all", [False, True], ids=["id-list", "whole-county"])
def test_sync_only_touches_the_children_it_was_given(world, ladder, monkeypatch, read_all):
    if read_all:  # a county's nightly run reads every open alert and keeps its children's
        monkeypatch.setattr(alerts_module, "READ_ALL_FROM", 0)
    _sync([world.child_a1, world.child_a2], {"unexcused_module": 12})
    _sync([world.child_a2], {"unexcused_module": 0, "streak_days": 0})
    assert Alert.objects.get(child=world.child_a1).status == AlertStatus.OPEN
    assert Alert.objects.get(child=world.child_a2).status == AlertStatus.CLOSED
    _sync([world.child_a2], {"unexcused_module": 14})
    assert Alert.objects.get(child=world.child_a2, status=AlertStatus.OPEN).cause.startswith("14 ore")
    assert Alert.objects.get(child=world.child_a1).cause.startswith("12 ore")


def test_inactive_step_opens_nothing(world, ladder):
    EscalationStep.objects.filter(code="teacher-talk").update(is_active=False)
    assert _sync([world.child_a1], {"unexcused_module": 12}).opened == 0


def test_a_followed_up_cause_does_not_reopen_the_next_night(world, ladder, settings):
    settings.PREZENT_ALERT_REOPEN_DAYS = 30
    _sync([world.child_a1], {"unexcused_module": 12})
    alert = Alert.objects.get()
    alert_follow_up(
        alert=alert, kind="call", date=ON, outcome="Mama a promis.", parent_reached=True, actor=world.users.teacher
    )
    assert _sync([world.child_a1], {"unexcused_module": 12}, on=ON + datetime.timedelta(days=1)).opened == 0
    later = _sync([world.child_a1], {"unexcused_module": 12}, on=ON + datetime.timedelta(days=31))
    assert later.opened == 1


def test_real_register_then_excuse_closes_the_alert(world, ladder):
    """End to end: three full days absent open the teacher's alert; excusing them closes it as cause gone."""
    from prezent.risk.indicators import indicators_for_children

    days = [datetime.date(2026, 11, 25), datetime.date(2026, 11, 26), datetime.date(2026, 11, 27)]
    child = world.child_a1_other
    for day in days:
        register_save(class_group=world.class_a1, day=day, absences={child.pk: 4}, actor=world.users.teacher)

    def sync(on):
        return alerts_sync(
            on=on,
            indicators=indicators_for_children(child_ids=[child.pk], on=on),
            levels={},
            school_by_child={child.pk: world.school_a.pk},
            county_code="IS",
        )

    opened = sync(ON).opened
    assert opened == 1
    assert list(Alert.objects.filter(child=child).values_list("step__code", flat=True)) == ["teacher-talk"]
    absences_excuse(
        absences=list(Absence.objects.filter(child=child)),
        reason="medical",
        document_date=ON,
        actor=world.users.teacher,
    )
    assert sync(ON).closed == opened
    reasons = set(Alert.objects.filter(child=child).values_list("status", "close_reason"))
    assert reasons == {(AlertStatus.CLOSED, CloseReason.CAUSE_GONE)}


def test_sync_runs_a_fixed_number_of_queries(world, ladder, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = enrol(ClassGroupFactory(school=world.school_a, grade=5), 3)
    many = enrol(ClassGroupFactory(school=world.school_a, grade=6), 30)
    values = {"unexcused_module": 12, "unexcused_year": 25}
    school_of = {c.pk: world.school_a.pk for c in few + many}
    with CaptureQueriesContext(connection) as small:
        alerts_sync(
            on=ON,
            indicators={c.pk: values for c in few},
            levels={},
            school_by_child=school_of,
            county_code="IS",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        alerts_sync(
            on=ON,
            indicators={c.pk: values for c in many},
            levels={},
            school_by_child=school_of,
            county_code="IS",
        )
    assert Alert.objects.count() == 33  # one step per child: the highest that triggers


# --- follow-up -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ContactNote.Kind.values)
def test_any_kind_of_contact_note_closes_the_alert(alerts_world, kind):
    alert = alerts_world.alert_a1
    note = alert_follow_up(
        alert=alert,
        kind=kind,
        date=TODAY,
        outcome="Am vorbit cu bunica.",
        parent_reached=True,
        actor=alerts_world.users.teacher,
    )
    alert.refresh_from_db()
    assert (alert.status, alert.close_reason) == (AlertStatus.CLOSED, CloseReason.FOLLOWED_UP)
    assert note.alert_id == alert.pk and note.child_id == alerts_world.child_a1.pk
    assert alert.assigned_to == alerts_world.users.teacher
    event = AuditEvent.objects.get(action="alert.follow_up")
    assert event.details["contact_note"] == note.pk
    assert "Am vorbit" not in str(event.details)


def test_parent_not_reached_opens_the_next_step(alerts_world):
    alert = alerts_world.alert_a1  # teacher talks to parent
    alert_follow_up(
        alert=alert,
        kind="call",
        date=TODAY,
        outcome="Nu răspunde la telefon.",
        parent_reached=False,
        actor=alerts_world.users.teacher,
    )
    alert.refresh_from_db()
    assert alert.close_reason == CloseReason.FOLLOWED_UP
    following = Alert.objects.get(escalated_from=alert)
    assert following.step.code == "written-notice"
    assert following.cause == "Părintele nu a putut fi contactat (pasul „Dirigintele discută cu părintele”)"
    # the home visit is already open for this child: a visit that finds nobody adds no duplicate
    visit = alerts_world.alert_a1_visit
    alert_follow_up(
        alert=following,
        kind="letter",
        date=TODAY,
        outcome="Scrisoare trimisă, fără răspuns.",
        parent_reached=False,
        actor=alerts_world.users.teacher,
    )
    assert Alert.objects.filter(child=alerts_world.child_a1, step=visit.step).count() == 1


@pytest.mark.parametrize(
    ("days_ahead", "outcome"),
    [(1, "Am sunat."), (0, "   ")],
    ids=["future-date", "empty-outcome"],
)
def test_refused_follow_up_changes_nothing(alerts_world, days_ahead, outcome):
    alert = alerts_world.alert_a1
    with pytest.raises(ValidationError):
        alert_follow_up(
            alert=alert,
            kind="call",
            date=timezone.localdate() + datetime.timedelta(days=days_ahead),
            outcome=outcome,
            parent_reached=True,
            actor=alerts_world.users.teacher,
        )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    assert not ContactNote.objects.exists()
    assert not AuditEvent.objects.filter(action="alert.follow_up").exists()


def test_follow_up_of_a_closed_alert_is_refused(alerts_world):
    alert = alerts_world.alert_a1
    alert_dismiss(alert=alert, actor=alerts_world.users.county)
    with pytest.raises(ValidationError):
        alert_follow_up(
            alert=alert, kind="call", date=TODAY, outcome="x", parent_reached=True, actor=alerts_world.users.teacher
        )
    assert not ContactNote.objects.exists()


def test_assign_to_someone_who_cannot_see_the_alert_is_refused(alerts_world):
    alert = alerts_world.alert_a2  # class a2 is not the teacher's class
    with pytest.raises(ValidationError):
        alert_assign(alert=alert, user=alerts_world.users.teacher, actor=alerts_world.users.school_coord)
    alert.refresh_from_db()
    assert alert.assigned_to is None and alert.status == AlertStatus.OPEN


def test_assign_puts_the_alert_in_progress(alerts_world):
    alert = alerts_world.alert_a1
    alert_assign(alert=alert, user=alerts_world.users.mediator, actor=alerts_world.users.mediator)
    alert.refresh_from_db()
    assert (alert.assigned_to, alert.status) == (alerts_world.users.mediator, AlertStatus.IN_PROGRESS)


# --- escalation ------------------------------------------------------------------------------------------------


def test_overdue_alert_escalates_to_the_next_step_once(world, ladder):
    alert = make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    day = alert.due_on + datetime.timedelta(days=1)
    first = alerts_escalate_overdue(on=day)
    second = alerts_escalate_overdue(on=day)
    alert.refresh_from_db()
    assert (first.escalated, first.opened, second.escalated, second.opened) == (1, 1, 0, 0)
    assert (alert.status, alert.close_reason) == (AlertStatus.CLOSED, CloseReason.ESCALATED)
    new = Alert.objects.get(status=AlertStatus.OPEN)
    assert new.step.code == "written-notice"
    assert new.escalated_from_id == alert.pk
    assert new.due_on == day + datetime.timedelta(days=5)
    assert new.cause.startswith("Termen depășit la pasul „Dirigintele discută cu părintele”")


def test_not_yet_overdue_alert_stays(world, ladder):
    alert = make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    assert alerts_escalate_overdue(on=alert.due_on).escalated == 0


def test_escalation_skips_when_the_next_step_is_already_open(world, ladder):
    make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    make_alert(world.child_a1, world.school_a, ladder["written-notice"], opened_on=ON + datetime.timedelta(days=3))
    report = alerts_escalate_overdue(on=ON + datetime.timedelta(days=4))
    assert (report.escalated, report.opened) == (1, 0)
    assert Alert.objects.filter(step__code="written-notice").count() == 1


def test_escalation_skips_inactive_steps(world, ladder):
    EscalationStep.objects.filter(code="written-notice").update(is_active=False)
    make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    alerts_escalate_overdue(on=ON + datetime.timedelta(days=4))
    assert Alert.objects.get(status=AlertStatus.OPEN).step.code == "home-visit"


def test_overdue_last_step_stays_open(world, ladder):
    alert = make_alert(world.child_a1, world.school_a, ladder["referral-spas"], opened_on=ON)
    report = alerts_escalate_overdue(on=ON + datetime.timedelta(days=20))
    alert.refresh_from_db()
    assert (report.escalated, report.kept_open, alert.status) == (0, 1, AlertStatus.OPEN)


def test_escalated_alert_stays_while_a_lower_step_triggers_and_closes_when_excused(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12, "unexcused_year": 12})
    day = ON + datetime.timedelta(days=4)
    alerts_escalate_overdue(on=day)
    escalated = Alert.objects.get(status=AlertStatus.OPEN)
    assert escalated.step.code == "written-notice"
    # written-notice's own trigger (20 h in the year) does not hold, but the teacher step's still does
    assert _sync([world.child_a1], {"unexcused_module": 12, "unexcused_year": 12}, on=day).closed == 0
    assert _sync([world.child_a1], {"unexcused_module": 0, "unexcused_year": 0, "streak_days": 0}, on=day).closed == 1
    escalated.refresh_from_db()
    assert escalated.close_reason == CloseReason.CAUSE_GONE


def test_escalated_step_is_not_reopened_by_the_next_sync(world, ladder):
    _sync([world.child_a1], {"unexcused_module": 12})
    day = ON + datetime.timedelta(days=4)
    alerts_escalate_overdue(on=day)
    assert _sync([world.child_a1], {"unexcused_module": 12}, on=day).opened == 0
    assert Alert.objects.filter(status=AlertStatus.OPEN).count() == 1


def test_escalate_command_prints_counts_only(world, ladder, capsys):
    from django.core.management import call_command

    make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    call_command("escalate_alerts", "--date", "2026-12-05")
    out = capsys.readouterr().out
    assert "1 alerte escaladate" in out
    assert world.child_a1.last_name not in out


def test_escalate_task_runs_eagerly(world, ladder):
    from prezent.risk.tasks import escalate_alerts_task

    make_alert(world.child_a1, world.school_a, ladder["teacher-talk"], opened_on=ON)
    result = escalate_alerts_task.delay("2026-12-05").get()
    assert result == {"escalated": 1, "opened": 1, "kept_open": 0}


def test_a_county_new_to_prezent_starts_on_the_default_ladder(world):
    """No ladder was ever loaded for the county (a county set up from its own files): the first sync loads it and
    opens the alert; a county whose steps are all switched off stays without alerts."""
    assert not EscalationStep.objects.exists()
    report = _sync([world.child_a1], {"unexcused_module": 12, "streak_days": 0})
    assert EscalationStep.objects.filter(county_code="IS").count() == 5
    assert report.opened == 1

    EscalationStep.objects.update(is_active=False)
    Alert.objects.all().delete()
    assert _sync([world.child_a1], {"unexcused_module": 12, "streak_days": 0}).opened == 0
    assert EscalationStep.objects.filter(county_code="IS").count() == 5
