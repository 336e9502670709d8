"""Every change to activities, courses and the campaign, each audited with ids and counts (never a name).

Rules:
- an activity's participants come from the school's lists (its children, their guardians, its teachers); ids
  outside the lists are refused; people from outside the lists are added by name;
- a course's participants are guardians (parent course) or teachers (teacher course) of its schools, or named
  people; attendance is recorded per session; completion is `logic.course_completed` with the course's threshold;
- an evidence file is accepted only when its first bytes say it is a photo (JPEG, PNG, WebP) or a PDF scan and it
  is not larger than the limit; it is written to private storage under a random name, never under a public URL.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.defaults import ACTIVITY_TYPES, CAMPAIGN_KINDS
from prezent.activities.logic import EVIDENCE_KINDS, sniff_file_kind
from prezent.activities.models import (
    Activity,
    ActivityType,
    Audience,
    CampaignEvent,
    CampaignEventKind,
    CampaignEvidence,
    CampaignMaterial,
    Course,
    CourseEnrolment,
    CourseKind,
    CourseSession,
    ParticipantKind,
    Participation,
    SessionAttendance,
)
from prezent.activities.selectors import course_candidates, course_enrolment_rows, school_lists
from prezent.core.services import audit_record
from prezent.schools.models import School

DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# ---------------------------------------------------------------- catalogues


@transaction.atomic
def catalogues_load_defaults(*, actor: User | None = None) -> int:
    """Create the default activity types and campaign event kinds that are missing (by code); the ones that exist
    are left as the coordinator configured them. Returns how many were created."""
    created = 0
    for order, (code, name, audience) in enumerate(ACTIVITY_TYPES, start=1):
        _item, new = ActivityType.objects.get_or_create(
            code=code, defaults={"name": name, "audience": audience, "order": order}
        )
        created += new
    for order, (code, name) in enumerate(CAMPAIGN_KINDS, start=1):
        _kind, new = CampaignEventKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        created += new
    if created:
        audit_record(
            actor=actor, action="activities.load_defaults", target_type="activities", details={"created": created}
        )
    return created


@transaction.atomic
def activity_type_save(
    *, code: str, name: str, audience: str, order: int, active: bool, actor: User, instance: ActivityType | None = None
) -> ActivityType:
    """Add a type of activity or change one; a type in use is deactivated, never deleted."""
    item = instance or ActivityType(code=code)
    if instance is None and ActivityType.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Există deja un tip cu acest cod.")})
    item.name, item.audience, item.order, item.active = name, audience, order, active
    item.save()
    audit_record(actor=actor, action="activity_type.save", target=item, details={"code": item.code, "active": active})
    return item


@transaction.atomic
def campaign_kind_save(
    *, code: str, name: str, order: int, active: bool, actor: User, instance: CampaignEventKind | None = None
) -> CampaignEventKind:
    item = instance or CampaignEventKind(code=code)
    if instance is None and CampaignEventKind.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Există deja un tip cu acest cod.")})
    item.name, item.order, item.active = name, order, active
    item.save()
    audit_record(actor=actor, action="campaign_kind.save", target=item, details={"code": item.code, "active": active})
    return item


# ---------------------------------------------------------------- activities


@dataclass(frozen=True)
class ActivityDetails:
    type: ActivityType
    title: str
    date: datetime.date
    start_time: datetime.time | None
    place: str
    facilitator: str
    audience: str
    notes: str


def _check_from_lists(*, school: School, child_ids: set[int], guardian_ids: set[int], teacher_ids: set[int]) -> None:
    lists = school_lists(school=school)
    errors = {}
    if not child_ids <= lists.child_ids:
        errors["children"] = _("Unii copii aleși nu sunt pe listele școlii.")
    if not guardian_ids <= lists.guardian_ids:
        errors["guardians"] = _("Unii părinți aleși nu sunt pe listele școlii.")
    if not teacher_ids <= lists.teacher_ids:
        errors["teachers"] = _("Unele cadre didactice alese nu sunt ale școlii.")
    if errors:
        raise ValidationError(errors)


def _clean_names(names: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for raw in names:
        name = " ".join(raw.split())[:200]
        if name and name not in seen:
            seen.append(name)
    return seen


def _participations(
    activity: Activity, child_ids: set[int], guardian_ids: set[int], teacher_ids: set[int], others: list[str]
) -> list[Participation]:
    rows = [Participation(activity=activity, kind=ParticipantKind.CHILD, child_id=pk) for pk in sorted(child_ids)]
    rows += [
        Participation(activity=activity, kind=ParticipantKind.GUARDIAN, guardian_id=pk) for pk in sorted(guardian_ids)
    ]
    rows += [
        Participation(activity=activity, kind=ParticipantKind.TEACHER, teacher_id=pk) for pk in sorted(teacher_ids)
    ]
    rows += [Participation(activity=activity, kind=ParticipantKind.OTHER, name=name) for name in others]
    return rows


def _validate_details(details: ActivityDetails) -> None:
    if details.date > timezone.localdate() + datetime.timedelta(days=366):
        raise ValidationError({"date": _("Data este prea departe în viitor.")})
    if details.audience not in Audience.values:
        raise ValidationError({"audience": _("Alegeți participanții.")})


@transaction.atomic
def activity_record(
    *,
    school: School,
    details: ActivityDetails,
    child_ids: Iterable[int] = (),
    guardian_ids: Iterable[int] = (),
    teacher_ids: Iterable[int] = (),
    others: Iterable[str] = (),
    actor: User,
) -> Activity:
    """Record an activity held in `school` with the people who took part."""
    children, guardians, teachers = set(child_ids), set(guardian_ids), set(teacher_ids)
    names = _clean_names(others)
    _validate_details(details)
    _check_from_lists(school=school, child_ids=children, guardian_ids=guardians, teacher_ids=teachers)
    activity = Activity.objects.create(school=school, created_by=actor, **details.__dict__)
    Participation.objects.bulk_create(_participations(activity, children, guardians, teachers, names))
    audit_record(
        actor=actor,
        action="activity.record",
        target=activity,
        details={
            "school": school.pk,
            "type": details.type.code,
            "children": len(children),
            "guardians": len(guardians),
            "teachers": len(teachers),
            "others": len(names),
        },
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    details: ActivityDetails,
    child_ids: Iterable[int] = (),
    guardian_ids: Iterable[int] = (),
    teacher_ids: Iterable[int] = (),
    others: Iterable[str] = (),
    actor: User,
) -> Activity:
    """Change an activity's details and set its participants to exactly the ones given."""
    children, guardians, teachers = set(child_ids), set(guardian_ids), set(teacher_ids)
    names = _clean_names(others)
    _validate_details(details)
    # people ticked earlier stay valid even if they have since left the school's lists
    kept = activity.participations.all()
    earlier_children = set(kept.exclude(child=None).values_list("child_id", flat=True))
    earlier_guardians = set(kept.exclude(guardian=None).values_list("guardian_id", flat=True))
    earlier_teachers = set(kept.exclude(teacher=None).values_list("teacher_id", flat=True))
    _check_from_lists(
        school=activity.school,
        child_ids=children - earlier_children,
        guardian_ids=guardians - earlier_guardians,
        teacher_ids=teachers - earlier_teachers,
    )
    for name, value in details.__dict__.items():
        setattr(activity, name, value)
    activity.save()
    activity.participations.all().delete()
    Participation.objects.bulk_create(_participations(activity, children, guardians, teachers, names))
    audit_record(
        actor=actor,
        action="activity.update",
        target=activity,
        details={
            "children": len(children),
            "guardians": len(guardians),
            "teachers": len(teachers),
            "others": len(names),
        },
    )
    return activity


# ---------------------------------------------------------------- courses


def _check_course(*, start: datetime.date, end: datetime.date, completion_percent: int) -> None:
    errors = {}
    if end < start:
        errors["end"] = _("Cursul nu se poate termina înainte să înceapă.")
    if not 1 <= completion_percent <= 100:
        errors["completion_percent"] = _("Pragul de absolvire este un procent între 1 și 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    kind: str,
    title: str,
    trainer: User,
    schools: Sequence[School],
    start: datetime.date,
    end: datetime.date,
    place: str = "",
    hours: int = 0,
    completion_percent: int = 80,
    actor: User,
) -> Course:
    _check_course(start=start, end=end, completion_percent=completion_percent)
    if not schools:
        raise ValidationError({"schools": _("Alegeți cel puțin o școală.")})
    course = Course.objects.create(
        kind=kind,
        title=title,
        trainer=trainer,
        county_code=schools[0].county_code,
        start=start,
        end=end,
        place=place,
        hours=hours,
        completion_percent=completion_percent,
    )
    course.schools.set(schools)
    audit_record(
        actor=actor,
        action="course.create",
        target=course,
        details={
            "kind": kind,
            "trainer": trainer.pk,
            "schools": [s.pk for s in schools],
            "percent": completion_percent,
        },
    )
    return course


@transaction.atomic
def course_settings_save(
    *, course: Course, start: datetime.date, end: datetime.date, completion_percent: int, actor: User
) -> Course:
    """The course's dates and its completion threshold (default 80 % of sessions)."""
    _check_course(start=start, end=end, completion_percent=completion_percent)
    course.start, course.end, course.completion_percent = start, end, completion_percent
    course.save(update_fields=["start", "end", "completion_percent"])
    audit_record(actor=actor, action="course.settings", target=course, details={"percent": completion_percent})
    return course


@transaction.atomic
def course_session_add(*, course: Course, date: datetime.date, topic: str, actor: User) -> CourseSession:
    if not course.start <= date <= course.end:
        raise ValidationError(
            {
                "date": _("Sesiunea trebuie să fie între %(start)s și %(end)s.")
                % {"start": f"{course.start:%d.%m.%Y}", "end": f"{course.end:%d.%m.%Y}"}
            }
        )
    session = CourseSession.objects.create(course=course, date=date, topic=topic)
    audit_record(actor=actor, action="course.session_add", target=session, details={"course": course.pk})
    return session


@transaction.atomic
def course_enrol(
    *, course: Course, person_ids: Iterable[int] = (), names: Iterable[str] = (), on: datetime.date, actor: User
) -> int:
    """Enrol people from the lists (guardians for a parent course, teachers for a teacher course) and people from
    outside the lists by name. Returns how many were enrolled."""
    ids = set(person_ids)
    candidates = {c.pk: c for c in course_candidates(course=course, on=on)}
    if not ids <= set(candidates):
        raise ValidationError({"people": _("Unele persoane alese nu sunt pe listele școlilor cursului.")})
    field = "teacher_id" if course.kind == CourseKind.TEACHERS else "guardian_id"
    rows = [
        CourseEnrolment(course=course, name=candidates[pk].name, enrolled_on=on, **{field: pk}) for pk in sorted(ids)
    ]
    existing = set(course.enrolments.filter(guardian=None, teacher=None).values_list("name", flat=True))
    rows += [CourseEnrolment(course=course, name=n, enrolled_on=on) for n in _clean_names(names) if n not in existing]
    CourseEnrolment.objects.bulk_create(rows)
    audit_record(
        actor=actor, action="course.enrol", target=course, details={"from_lists": len(ids), "count": len(rows)}
    )
    return len(rows)


@transaction.atomic
def session_attendance_save(*, session: CourseSession, enrolment_ids: Iterable[int], actor: User) -> int:
    """Set who attended a session to exactly `enrolment_ids` (participants of the session's course)."""
    ids = set(enrolment_ids)
    valid = set(session.course.enrolments.values_list("pk", flat=True))
    if not ids <= valid:
        raise ValidationError(_("Unii participanți aleși nu sunt înscriși la acest curs."))
    SessionAttendance.objects.filter(session=session).exclude(enrolment_id__in=ids).delete()
    present = set(SessionAttendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=session, enrolment_id=pk) for pk in sorted(ids - present)]
    )
    audit_record(actor=actor, action="course.attendance", target=session, details={"present": len(ids)})
    return len(ids)


@transaction.atomic
def course_scores_save(*, course: Course, scores: dict[int, tuple[Decimal | None, Decimal | None]], actor: User) -> int:
    """Pre and post test scores (0–100, optional) of the course's participants."""
    enrolments = {e.pk: e for e in course.enrolments.filter(pk__in=list(scores))}
    if set(scores) - set(enrolments):
        raise ValidationError(_("Unii participanți nu sunt înscriși la acest curs."))
    for pk, (pre, post) in scores.items():
        for value in (pre, post):
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                raise ValidationError(_("Scorurile sunt între 0 și 100."))
        enrolments[pk].pre_score, enrolments[pk].post_score = pre, post
    CourseEnrolment.objects.bulk_update(list(enrolments.values()), ["pre_score", "post_score"])
    audit_record(actor=actor, action="course.scores", target=course, details={"count": len(enrolments)})
    return len(enrolments)


CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 16mm; }
body { font-family: "DejaVu Serif", "DejaVu Sans", serif; color: #000; text-align: center; }
.certificate { page-break-after: always; border: 3px double #1b4f72; padding: 14mm 12mm; height: 150mm; }
.certificate:last-child { page-break-after: auto; }
.issuer { font-size: 11pt; margin: 0; }
h1 { font-size: 28pt; letter-spacing: 0.08em; margin: 10mm 0 4mm; }
.lead { font-size: 13pt; margin: 2mm 0; }
.name { font-size: 22pt; font-weight: bold; margin: 6mm 0; }
.course { font-size: 15pt; font-style: italic; margin: 4mm 0; }
.small { font-size: 10pt; }
table.signatures { width: 100%; margin-top: 14mm; font-size: 11pt; }
table.signatures td { width: 50%; }
"""


def certificate_pdf(*, course: Course, enrolments: Sequence[CourseEnrolment], issued_on: datetime.date) -> bytes:
    """One certificate page per participant, rendered with WeasyPrint; the DejaVu fonts carry every Romanian
    diacritic (ă â î ș ț)."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "activities/certificate.html",
        {"course": course, "enrolments": enrolments, "issued_on": issued_on, "sessions": course.sessions.count()},
    )
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=CERTIFICATE_CSS)])
    return pdf


def course_certificates_issue(
    *, course: Course, enrolment: CourseEnrolment | None = None, actor: User, on: datetime.date | None = None
) -> bytes:
    """The certificate of one participant, or of every participant who completed the course, as one PDF.
    Refused for someone who has not completed the course."""
    rows = [row for row in course_enrolment_rows(course=course) if row.completed]
    if enrolment is not None:
        rows = [row for row in rows if row.enrolment.pk == enrolment.pk]
        if not rows:
            raise ValidationError(_("Participantul nu a absolvit încă acest curs."))
    if not rows:
        raise ValidationError(_("Niciun participant nu a absolvit încă acest curs."))
    pdf = certificate_pdf(course=course, enrolments=[r.enrolment for r in rows], issued_on=on or timezone.localdate())
    audit_record(
        actor=actor,
        action="course.certificates",
        target=course,
        details={"enrolments": [r.enrolment.pk for r in rows]},
    )
    return pdf


# ---------------------------------------------------------------- campaign


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


@transaction.atomic
def campaign_evidence_add(*, event: CampaignEvent, upload: File, actor: User) -> CampaignEvidence:  # type: ignore[type-arg]
    """Store a photo or a scanned attendance sheet. A file too large, or whose content is not a photo or a PDF
    (whatever its name), is refused and nothing is stored."""
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
        raise ValidationError(
            _("Fișierul nu este o fotografie sau un PDF (după conținut, nu după nume). Tipuri acceptate: %(kinds)s.")
            % {"kinds": allowed_evidence_labels()}
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
            size=size,
            uploaded_by=actor,
        )
    except Exception:
        storage.delete(name)
        raise
    audit_record(
        actor=actor,
        action="campaign_evidence.add",
        target=evidence,
        details={"event": event.pk, "type": kind.content_type, "size": size},
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
