"""Background jobs of the reports app (Celery): the retention schedule, which reads every app. Every task of the
app is here, where Celery's autodiscovery looks."""

from celery import shared_task
from django.utils import timezone

from prezent.reports.privacy.services import retention_apply


@shared_task(name="prezent.reports.apply_retention")
def apply_retention_task() -> dict:
    """Anonymise and delete what is past its time (prezent/reports/privacy/retention.py): the weekly job. Counts
    only."""
    return retention_apply(today=timezone.localdate()).as_dict()
