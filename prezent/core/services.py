"""Recording audit events and reads. Every service in Prezent calls `audit_record`. Backups and restores
(`prezent/core/backups.py`) are audited here too."""

import ipaddress
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from prezent.core.backups import Restored, Written, backup_read, backup_write
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


def _networks(entries: Sequence[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's device, for the access log and the login lock-out (django-axes).

    Behind a reverse proxy every request comes from the proxy's address: the lock-out would then count every
    person's failed logins together and lock a name out for everyone. When the direct peer is one of the proxies
    in `PREZENT_TRUSTED_PROXIES` (addresses or networks), the client is the last address in X-Forwarded-For that
    is not itself a trusted proxy; a header sent by anyone else is ignored (it is trivially forged)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    trusted = _networks(getattr(settings, "PREZENT_TRUSTED_PROXIES", []))
    if not any(peer in network for network in trusted):
        return str(peer)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            return str(peer)
        if not any(address in network for network in trusted):
            return str(address)
    return str(peer)


def access_log_child_read(*, request: HttpRequest, child_id: int, view: str) -> None:
    """Log that `request.user` read the record of child `child_id`."""
    assert request.user.pk is not None
    AccessLog.objects.create(user_id=request.user.pk, child_id=child_id, view=view, ip_address=client_ip(request))


def backup_create(*, path: Path, via: str = "command") -> Written:
    """Write an encrypted backup of the database and MEDIA_ROOT to `path`; the audit keeps the counts and the
    dump's SHA-256 (it is written after the dump, so the backup does not hold its own event)."""
    written = backup_write(path=path)
    manifest = written.manifest
    audit_record(
        actor=None,
        action="backup.create",
        target_type="backup",
        target_id=manifest["dump"]["sha256"][:16],
        details={
            "via": via,
            "vendor": manifest["database_vendor"],
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "media_files": manifest["media"]["files"],
            "bytes": written.size,
            "sha256": manifest["dump"]["sha256"],
        },
    )
    return written


def backup_restore(*, path: Path, overwrite: bool, via: str = "command") -> Restored:
    """Restore the database and MEDIA_ROOT from the backup at `path` (`backups.backup_read`); the audit event is
    written into the restored database, with the backup's date and how many tables differ from its manifest."""
    restored = backup_read(path=path, overwrite=overwrite)
    manifest = restored.manifest
    audit_record(
        actor=None,
        action="backup.restore",
        target_type="backup",
        target_id=manifest["dump"]["sha256"][:16],
        details={
            "via": via,
            "vendor": manifest["database_vendor"],
            "backup_created_at": manifest["created_at"],
            "prezent_version": manifest["prezent_version"],
            "rows": sum(restored.counts.values()),
            "tables_differing": len(restored.differences),
            "media_files": restored.media_files,
            "sha256": manifest["dump"]["sha256"],
        },
    )
    return restored
