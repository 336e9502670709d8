"""Background work of the alerts: the nightly escalation of overdue alerts (Celery beat, after the recompute)."""

import datetime

from celery import shared_task
from django.utils import timezone

from prezent.risk.alerts import alerts_escalate_overdue

ESCALATE_TASK_NAME = "prezent.risk.escalate_alerts"


@shared_task(name=ESCALATE_TASK_NAME)
def escalate_alerts_task(day: str | None = None) -> dict[str, int]:
    """Escalate every overdue alert once; returns counts only (no names)."""
    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    report = alerts_escalate_overdue(on=on)
    return {"escalated": report.escalated, "opened": report.opened, "kept_open": report.kept_open}
