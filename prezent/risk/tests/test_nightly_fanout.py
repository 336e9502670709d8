"""The nightly recompute at national scale: one chord per county (its batches of whole schools, then its ladder
once), in-process here (no broker: Celery runs every task eagerly). Idempotent batches and ladder syncs; a county
that fails does not stop the others; a dropped connection is retried."""

import datetime

import pytest
from django.db import OperationalError

import prezent.risk.services as risk_services
import prezent.risk.tasks as risk_tasks
from prezent.accounts.tests.factories import UserFactory
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.core.models import AuditEvent
from prezent.risk.models import Alert, RiskScore
from prezent.risk.services import risk_batches_plan, risk_ladder_sync, risk_recompute, risk_recompute_batch
from prezent.risk.tasks import recompute_risk_task
from prezent.schools.tests.factories import ClassGroupFactory

ON = datetime.date(2026, 11, 28)
WEEK = [datetime.date(2026, 11, d) for d in (23, 24, 25, 26, 27)]
COUNTIES = ("CJ", "IS")


@pytest.fixture
def counties(db):
    """Two counties of three schools each, a class of 4 in each school, half of every class absent all week
    (their alerts open)."""
    teacher = UserFactory()
    children: dict[str, list[int]] = {}
    for county in COUNTIES:
        children[county] = []
        for _ in range(3):
            group = ClassGroupFactory(school__county_code=county, school__locality__county_code=county)
            pupils = enrol(group, 4)
            for day in WEEK:
                register_save(class_group=group, day=day, absences={c.pk: 4 for c in pupils[:2]}, actor=teacher)
            children[county] += [c.pk for c in pupils]
    return children


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 5 children: each county's 12 pupils in 3 batches (whole schools of 4 each)."""
    monkeypatch.setattr(risk_services, "NIGHTLY_BATCH", 5)


@pytest.fixture
def calls(monkeypatch):
    """Every batch and ladder sync the tasks run, in order: (kind, county)."""
    seen: list[tuple[str, str]] = []
    batch, sync = risk_tasks.risk_recompute_batch, risk_tasks.risk_ladder_sync

    def spy_batch(**kwargs):
        seen.append(("batch", kwargs["county_code"]))
        return batch(**kwargs)

    def spy_sync(**kwargs):
        seen.append(("sync", kwargs["county_code"]))
        return sync(**kwargs)

    monkeypatch.setattr(risk_tasks, "risk_recompute_batch", spy_batch)
    monkeypatch.setattr(risk_tasks, "risk_ladder_sync", spy_sync)
    return seen


def _scores():
    return sorted(RiskScore.objects.values_list("child_id", "computed_on", "points", "level", "is_current"))


def _alerts():
    return sorted(Alert.objects.values_list("child_id", "step_id", "status", "close_reason", "cause"))


def test_the_plan_is_batches_of_whole_schools_of_one_county(counties, small_batches):
    batches = risk_batches_plan(on=ON, county_code="CJ")
    assert [len(b) for b in batches] == [4, 4, 4]
    assert sorted(c for b in batches for c in b) == sorted(counties["CJ"])
    assert risk_batches_plan(on=ON, county_code="CJ") == batches  # the same date, the same batches


def test_the_fan_out_scores_every_county_and_syncs_each_ladder_once(counties, small_batches, calls):
    result = recompute_risk_task.delay(on=ON.isoformat()).get()

    assert result == {"on": ON.isoformat(), "counties": ["CJ", "IS"], "failed": []}
    scored = set(RiskScore.objects.filter(computed_on=ON, is_current=True).values_list("child_id", flat=True))
    assert scored == set(counties["CJ"]) | set(counties["IS"])
    assert RiskScore.objects.count() == 24  # one per child and date
    for county in COUNTIES:
        mine = [kind for kind, c in calls if c == county]
        assert mine == ["batch", "batch", "batch", "sync"]  # the ladder once, after all the county's batches
    opened = Alert.objects.filter(child_id__in=counties["CJ"] + counties["IS"]).values_list("child_id", flat=True)
    assert len(set(opened)) == 12  # the absent half of each class
    assert AuditEvent.objects.filter(action="risk.recompute_batch").count() == 6
    assert AuditEvent.objects.filter(action="risk.ladder_sync").count() == 2


def test_the_fan_out_agrees_with_the_single_run(counties, small_batches):
    recompute_risk_task.delay(on=ON.isoformat()).get()
    scores, alerts = _scores(), _alerts()
    assert alerts

    report = risk_recompute(on=ON)  # the synchronous path (the command's): nothing left to change

    assert _scores() == scores
    assert _alerts() == alerts
    assert (report.children, report.alerts_opened, report.alerts_closed) == (24, 0, 0)


def test_a_batch_run_twice_changes_nothing(counties):
    batch = counties["IS"]
    first = risk_recompute_batch(on=ON, child_ids=batch, county_code="IS")
    risk_ladder_sync(on=ON, county_code="IS")
    scores, alerts = _scores(), _alerts()

    again = risk_recompute_batch(on=ON, child_ids=batch, county_code="IS")
    synced = risk_ladder_sync(on=ON, county_code="IS")

    assert first.children == again.children == 12
    assert _scores() == scores  # the same scores, no duplicates
    assert RiskScore.objects.count() == 12
    assert (synced.opened, synced.closed) == (0, 0)
    assert _alerts() == alerts


def test_a_failing_county_does_not_stop_the_others(counties, small_batches, calls, monkeypatch):
    spy = risk_tasks.risk_recompute_batch

    def broken_in_cluj(**kwargs):
        if kwargs["county_code"] == "CJ":
            raise ValueError("a bug met only in Cluj's data")
        return spy(**kwargs)

    monkeypatch.setattr(risk_tasks, "risk_recompute_batch", broken_in_cluj)

    result = recompute_risk_task.delay(on=ON.isoformat()).get()

    assert result["counties"] == ["IS"] and result["failed"] == ["CJ"]
    assert set(RiskScore.objects.values_list("child_id", flat=True)) == set(counties["IS"])
    assert ("sync", "CJ") not in calls  # half a county's scores never move its alerts
    assert ("sync", "IS") in calls


def test_a_batch_is_retried_after_a_dropped_connection(counties, monkeypatch):
    real = risk_tasks.risk_recompute_batch
    attempts = []

    def flaky(**kwargs):
        attempts.append(kwargs["county_code"])
        if len(attempts) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(risk_tasks, "risk_recompute_batch", flaky)

    # In-process, as a worker does it (a worker never propagates: the retry is the task sent again, here run at
    # once); a failed attempt leaves nothing behind, its transaction rolled back.
    result = risk_tasks.recompute_batch_task.apply(
        kwargs={"child_ids": counties["IS"], "on": ON.isoformat(), "county_code": "IS"}, throw=False
    )

    assert result.get()["children"] == 12
    assert attempts == ["IS", "IS"]
    assert set(RiskScore.objects.values_list("child_id", flat=True)) == set(counties["IS"])


def test_the_tasks_are_acknowledged_late_and_retried():
    for task in (risk_tasks.recompute_county_task, risk_tasks.recompute_batch_task, risk_tasks.sync_ladder_task):
        assert task.acks_late is True
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff and task.max_retries == 5
