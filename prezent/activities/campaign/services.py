"""Every change to the information campaign, each audited with ids and counts (never a name).

Rules:
- an event is recorded after it took place, with the people reached per group; parents who came may be ticked
  from the school's lists;
- an evidence file is accepted only when its first bytes say it is a photo (JPEG, PNG, WebP) or a PDF scan and it
  is not larger than the limit; it is written to private storage under a random name, never under a public URL.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.logic import EVIDENCE_KINDS, FileKind, sniff_file_kind
from prezent.activities.models import CampaignEvent, CampaignEventKind, CampaignEvidence, CampaignMaterial
from prezent.activities.selectors import school_lists
from prezent.core.services import audit_record
from prezent.schools.models import School

DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Reached:
    children: int = 0
    parents: int = 0
    teachers: int = 0
    others: int = 0


@transaction.atomic
def campaign_event_record(
    *,
    school: School,
    kind: CampaignEventKind,
    date: datetime.date,
    description: str,
    reached: Reached,
    materials: Sequence[tuple[str, int]] = (),
    guardian_ids: Iterable[int] = (),
    actor: User,
) -> CampaignEvent:
    """A campaign event in a school with its materials and the people reached per group; parents who came to a
    meeting may also be ticked by name from the school's lists."""
    guardians = set(guardian_ids)
    if kind.county_code != school.county_code:
        raise ValidationError({"kind": _("Alegeți un tip din catalogul județului școlii.")})
    if guardians and not guardians <= school_lists(school=school).guardian_ids:
        raise ValidationError({"guardians": _("Unii părinți aleși nu sunt pe listele școlii.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("O acțiune de informare se înregistrează după ce a avut loc.")})
    event = CampaignEvent.objects.create(
        school=school,
        kind=kind,
        date=date,
        description=description,
        reached_children=reached.children,
        reached_parents=max(reached.parents, len(guardians)),
        reached_teachers=reached.teachers,
        reached_others=reached.others,
        created_by=actor,
    )
    CampaignMaterial.objects.bulk_create(
        [CampaignMaterial(event=event, name=name, quantity=qty) for name, qty in materials if name and qty]
    )
    event.guardians.set(guardians)
    audit_record(
        actor=actor,
        action="campaign_event.record",
        target=event,
        details={"school": school.pk, "kind": kind.code, "reached": event.reached_total, "named": len(guardians)},
    )
    return event


def evidence_storage() -> FileSystemStorage:
    """Private storage for evidence files: a folder outside anything the web server serves, with no URL."""
    root = getattr(settings, "PREZENT_EVIDENCE_ROOT", "") or Path(settings.MEDIA_ROOT) / "campaign-evidence"
    return FileSystemStorage(location=root, base_url=None)


def evidence_max_bytes() -> int:
    return int(getattr(settings, "PREZENT_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


def allowed_evidence_labels() -> str:
    return ", ".join(kind.label for kind in EVIDENCE_KINDS)


def evidence_file_kind(upload: File, *, not_allowed: str) -> FileKind:  # type: ignore[type-arg]
    """The kind of an uploaded evidence file (a photo or a PDF, told by its content, whatever its name), or a
    ValidationError when it is too large, empty or of another kind (`not_allowed`, with `%(kinds)s` for the kinds
    accepted). Campaign evidence and invoices check their files here."""
    limit = evidence_max_bytes()
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("Fișierul este prea mare: are %(size)s, iar limita este %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("Fișierul este gol."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_file_kind(head)
    if kind is None:
        raise ValidationError(not_allowed % {"kinds": allowed_evidence_labels()})
    return kind


@transaction.atomic
def campaign_evidence_add(*, event: CampaignEvent, upload: File, actor: User) -> CampaignEvidence:  # type: ignore[type-arg]
    """Store a photo or a scanned attendance sheet. A file too large, or whose content is not a photo or a PDF
    (whatever its name), is refused and nothing is stored."""
    kind = evidence_file_kind(
        upload,
        not_allowed=_(
            "Fișierul nu este o fotografie sau un PDF (după conținut, nu după nume). Tipuri acceptate: %(kinds)s."
        ),
    )
    storage = evidence_storage()
    name = storage.save(f"{event.pk}/{uuid.uuid4().hex}{kind.extension}", upload)
    original = Path(upload.name or "fisier").name[:200]
    try:
        evidence = CampaignEvidence.objects.create(
            event=event,
            storage_name=name,
            original_name=original,
            content_type=kind.content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
    except Exception:
        storage.delete(name)
        raise
    audit_record(
        actor=actor,
        action="campaign_evidence.add",
        target=evidence,
        details={"event": event.pk, "type": kind.content_type, "size": upload.size or 0},
    )
    return evidence


@transaction.atomic
def campaign_evidence_remove(*, evidence: CampaignEvidence, actor: User) -> None:
    """Remove a file uploaded by mistake — the wrong photo, a photo of children without consent: the row at once,
    the file from the private storage once the change is committed (a failed transaction keeps both). Whoever may
    add evidence to the event may remove it; the audit keeps the event, type, size and uploader."""
    locked = CampaignEvidence.objects.select_for_update().get(pk=evidence.pk)
    name = locked.storage_name
    audit_record(  # before the row goes, while it still has its id; the same transaction
        actor=actor,
        action="campaign_evidence.remove",
        target=locked,
        details={
            "event": locked.event_id,
            "type": locked.content_type,
            "size": locked.size,
            "uploaded_by": locked.uploaded_by_id,
        },
    )
    locked.delete()
    storage = evidence_storage()
    transaction.on_commit(lambda: storage.delete(name))
