"""Recording audit events and reads. Every service in Prezent calls `audit_record`."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from prezent.core.models import AccessLog, AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a change. `details` must hold ids, codes and counts only, never names."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
    )


def audit_record_many(
    *, actor: Any, action: str, target_type: str, target_ids: list[Any], details: dict[str, Any] | None = None
) -> None:
    """Record the same change to many records with one bulk insert."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id, action=action, target_type=target_type, target_id=str(pk), details=details or {}
            )
            for pk in target_ids
        ],
        batch_size=1000,
    )


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def access_log_child_read(*, request: HttpRequest, child_id: int, view: str) -> None:
    """Log that `request.user` read the record of child `child_id`."""
    assert request.user.pk is not None
    AccessLog.objects.create(user_id=request.user.pk, child_id=child_id, view=view, ip_address=client_ip(request))
