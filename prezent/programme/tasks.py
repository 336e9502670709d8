"""Background jobs of the programme (Celery). Without CELERY_BROKER_URL they run in-process, at once.

Arguments are plain JSON values (ids), as a real broker carries them.
"""

from typing import Any

from celery import shared_task

from prezent.accounts.models import User
from prezent.programme.models import Screening
from prezent.programme.screening.services import screening_execute


@shared_task(name="prezent.programme.screening_execute")
def screening_execute_task(screening_id: int, actor_id: int | None = None) -> dict[str, Any]:
    """Score the children of a screening recorded by `screening_start` (counts only in the result)."""
    screening = Screening.objects.select_related("programme", "rule_set").get(pk=screening_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    screening = screening_execute(screening=screening, actor=actor)
    return {
        "screening": screening.pk,
        "status": screening.status,
        "scored": screening.children_scored,
        "proposed": screening.children_proposed,
    }
