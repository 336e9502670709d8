"""Background jobs of the risk app (Celery): the scoring engine's, the alerts' (the nightly escalation) and the
backtest page's (a backtest takes seconds to minutes: the page asks for it and shows it when done). Without
CELERY_BROKER_URL they run in-process, at once. Every task of the app is here, where Celery's autodiscovery looks.

Arguments are plain JSON values (ids, ISO dates), as a real broker carries them.

The nightly recompute fans out (docs/architecture.md, decision 49): `recompute_risk_task` starts one
`recompute_county_task` per county; each splits its county's pupils into batches of whole schools and runs them as
a chord — a group of `recompute_batch_task` (score and store) and, when all of them are done, one
`sync_ladder_task` for the county's alerts. Every step is idempotent, acknowledged only once done (a worker lost
mid-task gives the task back to the queue) and retried with backoff when the database or the broker is briefly
unreachable.
"""

import datetime
import logging
from typing import Any

from celery import chord, group, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from prezent.accounts.models import User
from prezent.core.dates import day_or_none
from prezent.risk.alerts.services import alerts_escalate_overdue
from prezent.risk.backtest.services import backtest_execute
from prezent.risk.models import BacktestRun
from prezent.risk.services import (
    risk_batches_plan,
    risk_counties_enrolled,
    risk_ladder_sync,
    risk_recompute,
    risk_recompute_batch,
    risk_scores_prune,
)
from prezent.schools.models import School

logger = logging.getLogger(__name__)

# A database restarting, a connection dropped, the broker briefly away: try again later, up to 5 times, waiting
# about 30 s, 60 s, 120 s … (jittered, at most 10 minutes). Anything else is a bug and fails at once.
RETRIED = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RELIABLE = {
    "autoretry_for": RETRIED,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


def _day(on: str | datetime.date | None) -> datetime.date:
    if isinstance(on, datetime.date):
        return on
    return (day_or_none(on) if on else None) or timezone.localdate()


@shared_task(name="prezent.risk.recompute_risk")
def recompute_risk_task(
    school_id: int | None = None,
    on: str | datetime.date | None = None,
    county_code: str | None = None,
    actor_id: int | None = None,
) -> dict:
    """The nightly job: recompute every enrolled child's score for `on` (today by default), one county after
    another started as its own chord (or only `county_code`'s). With `school_id`, that school's children in this
    task (the ladder synced at the end), as before. With `actor_id`, a county coordinator's recompute of their
    county: one run in this task, its audit event naming them."""
    day = _day(on)
    if school_id:
        return risk_recompute(on=day, school=School.objects.get(pk=school_id)).as_dict()
    if actor_id and county_code:
        actor = User.objects.filter(pk=actor_id).first()
        return risk_recompute(on=day, county_code=county_code, actor=actor).as_dict()
    counties = [county_code] if county_code else risk_counties_enrolled(on=day)
    started: list[str] = []
    failed: list[str] = []
    for county in counties:
        try:
            recompute_county_task.delay(county_code=county, on=day.isoformat())
        except Exception:  # in-process (no broker) a county's failure surfaces here: the next counties still run
            logger.exception("Nightly recompute of county %s failed", county)
            failed.append(county)
        else:
            started.append(county)
    return {"on": day.isoformat(), "counties": started, "failed": failed}


@shared_task(name="prezent.risk.recompute_county", **RELIABLE)
def recompute_county_task(county_code: str, on: str) -> dict:
    """One county's nightly run: its pupils in batches of whole schools, scored in parallel (a group), then its
    ladder synced once when every batch is done (the chord's callback). A batch that fails for good leaves the
    ladder unsynced for the night: it never acts on half a county's scores."""
    day = _day(on)
    batches = risk_batches_plan(on=day, county_code=county_code)
    header = group(
        recompute_batch_task.si(child_ids=batch, on=day.isoformat(), county_code=county_code) for batch in batches
    )
    chord(header)(sync_ladder_task.si(county_code=county_code, on=day.isoformat()))
    return {"county": county_code, "batches": len(batches), "children": sum(len(b) for b in batches)}


@shared_task(name="prezent.risk.recompute_batch", **RELIABLE)
def recompute_batch_task(child_ids: list[int], on: str, county_code: str) -> dict:
    """Score and store one batch of a county's pupils (idempotent: run again, it writes the same scores)."""
    return risk_recompute_batch(on=_day(on), child_ids=[int(c) for c in child_ids], county_code=county_code).as_dict()


@shared_task(name="prezent.risk.sync_ladder", **RELIABLE)
def sync_ladder_task(county_code: str, on: str) -> dict[str, int]:
    """The county's alerts brought in line with its scores of `on`, once its batches are done (idempotent)."""
    synced = risk_ladder_sync(on=_day(on), county_code=county_code)
    return {"opened": synced.opened, "closed": synced.closed}


@shared_task(name="prezent.risk.recompute_children")
def recompute_children_task(
    child_ids: list[int], on: str | datetime.date | None = None, actor_id: int | None = None
) -> dict:
    """Recompute the scores of a few children, after a register or an excuse changed their absences."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return risk_recompute(on=_day(on), child_ids=[int(c) for c in child_ids], actor=actor).as_dict()


@shared_task(name="prezent.risk.prune_scores")
def prune_scores_task() -> dict:
    """Thin the scores older than PREZENT_RISK_SCORES_KEEP_DAYS (prezent/risk/retention.py): the weekly job."""
    return risk_scores_prune(today=timezone.localdate()).as_dict()


@shared_task(name="prezent.risk.escalate_alerts")
def escalate_alerts_task(day: str | None = None) -> dict[str, int]:
    """Escalate every overdue alert once (the nightly job, after the recompute); returns counts only (no names)."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = alerts_escalate_overdue(on=on)
    return {"escalated": report.escalated, "opened": report.opened, "kept_open": report.kept_open}


@shared_task(name="prezent.risk.backtest")
def backtest_task(run_id: int, today: str | None = None) -> dict[str, Any]:
    """Compute a backtest asked for on the county coordinator's page (`backtest_request`); counts only back."""
    run = BacktestRun.objects.select_related("rule_set").get(pk=run_id)
    run = backtest_execute(run=run, today=_day(today))
    return {"run": run.pk, "status": run.status, "pupils": run.result.get("pupils", 0)}
