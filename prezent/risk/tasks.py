"""Background jobs of the risk app (Celery): the scoring engine's, the alerts' (the nightly escalation) and the
backtest page's (a backtest takes seconds to minutes: the page asks for it and shows it when done). Without
CELERY_BROKER_URL they run in-process, at once. Every task of the app is here, where Celery's autodiscovery looks.

Arguments are plain JSON values (ids, ISO dates), as a real broker carries them.
"""

import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from prezent.accounts.models import User
from prezent.core.dates import day_or_none
from prezent.risk.alerts.services import alerts_escalate_overdue
from prezent.risk.backtest.services import backtest_execute
from prezent.risk.models import BacktestRun
from prezent.risk.services import risk_recompute, risk_scores_prune
from prezent.schools.models import School


def _day(on: str | datetime.date | None) -> datetime.date:
    if isinstance(on, datetime.date):
        return on
    return (day_or_none(on) if on else None) or timezone.localdate()


@shared_task(name="prezent.risk.recompute_risk")
def recompute_risk_task(
    school_id: int | None = None,
    on: str | datetime.date | None = None,
    county_code: str = "",
    actor_id: int | None = None,
) -> dict:
    """Recompute every enrolled child's score (or one school's, or one county's) for `on` (today by default): the
    nightly job, and a county coordinator's recompute of their county (with them as the actor)."""
    school = School.objects.get(pk=school_id) if school_id else None
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return risk_recompute(on=_day(on), school=school, county_code=county_code, actor=actor).as_dict()


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
