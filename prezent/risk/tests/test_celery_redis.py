"""One task through a real Celery worker and Redis (production's path), instead of in-process.

Skipped unless CELERY_BROKER_URL is set. Run it on its own, since the variable switches every task of the process
to the broker:

    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 .venv/bin/pytest prezent/risk/tests/test_celery_redis.py
"""

import datetime
import os
import time

import pytest
from django.db import OperationalError

from prezent.accounts.tests.factories import UserFactory
from prezent.attendance.services import register_save
from prezent.children.tests.factories import enrol
from prezent.risk.models import RiskScore
from prezent.risk.tasks import recompute_children_task
from prezent.schools.tests.factories import ClassGroupFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs a broker: set CELERY_BROKER_URL (Redis)"
)

ON = datetime.date(2026, 11, 28)


@pytest.fixture
def worker(transactional_db):
    """A real worker (solo pool, in a thread of this process) consuming from the broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    assert not app.conf.task_always_eager, "CELERY_BROKER_URL is set, so tasks must go through the broker"
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        yield app


def test_recompute_children_task_runs_in_a_worker_through_redis(worker):
    teacher = UserFactory()
    group = ClassGroupFactory(hours_per_day=4)
    child = enrol(group, 1)[0]
    for day in (23, 24, 25, 26, 27):
        register_save(class_group=group, day=datetime.date(2026, 11, day), absences={child.pk: 4}, actor=teacher)

    result = recompute_children_task.delay(child_ids=[child.pk], on=ON.isoformat())
    assert result.id  # queued on the broker, not run in this call

    deadline = time.monotonic() + 60
    score = None
    while time.monotonic() < deadline:
        try:
            score = RiskScore.objects.filter(child=child, computed_on=ON, is_current=True).first()
        except OperationalError:
            # The suite's SQLite database is in memory, shared with the worker's thread: a read while the worker's
            # transaction writes the table is refused ("table is locked") instead of waiting for it. Ask again.
            score = None
        if score is not None:
            break
        time.sleep(0.2)
    assert score is not None, "the worker did not store the score within 60 s"
    assert score.level == "high"
    assert score.indicators["unexcused_year"] == 20.0


def _poll(read, *, seconds: float = 90):
    """`read()` until it returns something true (a locked in-memory table is asked again, as above)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = read()
        except OperationalError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    return None


def test_the_nightly_fan_out_runs_as_a_chord_through_redis(worker):
    """The nightly task through the broker: a county task, its batches (a group) and, once they are all done,
    the county's ladder sync — the chord's callback, which needs the result backend (Redis)."""
    from prezent.core.models import AuditEvent
    from prezent.risk.tasks import recompute_risk_task

    teacher = UserFactory()
    children = []
    for county in ("CJ", "IS"):
        group = ClassGroupFactory(hours_per_day=4, school__county_code=county, school__locality__county_code=county)
        pupils = enrol(group, 2)
        for day in (23, 24, 25, 26, 27):
            register_save(
                class_group=group, day=datetime.date(2026, 11, day), absences={pupils[0].pk: 4}, actor=teacher
            )
        children += [c.pk for c in pupils]

    recompute_risk_task.delay(on=ON.isoformat())

    synced = _poll(lambda: AuditEvent.objects.filter(action="risk.ladder_sync").count() == 2)
    assert synced, "the ladder of both counties was not synced within 90 s"
    scores = set(RiskScore.objects.filter(computed_on=ON, is_current=True).values_list("child_id", flat=True))
    assert scores == set(children)
    assert AuditEvent.objects.filter(action="risk.recompute_batch").count() == 2
