"""Every change to activities and the catalogues, each audited with ids and counts (never a name). The courses' and
the campaign's are in `courses/services.py` and `campaign/services.py`.

Rules:
- an activity's participants come from the school's lists (its children, their guardians, its teachers); ids
  outside the lists are refused; people from outside the lists are added by name.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.activities.defaults import ACTIVITY_TYPES, CAMPAIGN_KINDS
from prezent.activities.models import (
    Activity,
    ActivityType,
    Audience,
    CampaignEventKind,
    ParticipantKind,
    Participation,
)
from prezent.activities.selectors import school_lists
from prezent.core.services import audit_record
from prezent.schools.models import School

DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# ---------------------------------------------------------------- catalogues


@transaction.atomic
def catalogues_load_defaults(*, county_code: str, actor: User | None = None) -> int:
    """Copy the shared default activity types and campaign event kinds into `county_code`'s catalogues (those the
    county has, by code, are left as its coordinator configured them; no other county changes). Returns how many
    were created."""
    created = 0
    for order, (code, name, audience) in enumerate(ACTIVITY_TYPES, start=1):
        _item, new = ActivityType.objects.get_or_create(
            county_code=county_code, code=code, defaults={"name": name, "audience": audience, "order": order}
        )
        created += new
    for order, (code, name) in enumerate(CAMPAIGN_KINDS, start=1):
        _kind, new = CampaignEventKind.objects.get_or_create(
            county_code=county_code, code=code, defaults={"name": name, "order": order}
        )
        created += new
    if created:
        audit_record(
            actor=actor,
            action="activities.load_defaults",
            target_type="activities",
            target_id=county_code,
            details={"created": created, "county": county_code},
        )
    return created


def catalogues_ensure(*, county_code: str, actor: User | None = None) -> None:
    """A county that has no catalogue yet (a new county, its first activity) gets the shared defaults copied in."""
    if county_code and not ActivityType.objects.filter(county_code=county_code).exists():
        catalogues_load_defaults(county_code=county_code, actor=actor)


@transaction.atomic
def activity_type_save(
    *,
    county_code: str,
    code: str,
    name: str,
    audience: str,
    order: int,
    active: bool,
    actor: User,
    instance: ActivityType | None = None,
) -> ActivityType:
    """Add a type of activity to one county's catalogue or change one of its types; a type in use is deactivated,
    never deleted. Another county's type is never changed here."""
    if instance is not None and instance.county_code != county_code:
        raise ValidationError(_("Acest tip aparține catalogului altui județ."))
    item = instance or ActivityType(county_code=county_code, code=code)
    if instance is None and ActivityType.objects.filter(county_code=county_code, code=code).exists():
        raise ValidationError({"code": _("Există deja un tip cu acest cod.")})
    item.name, item.audience, item.order, item.active = name, audience, order, active
    item.save()
    audit_record(
        actor=actor,
        action="activity_type.save",
        target=item,
        details={"code": item.code, "active": active, "county": county_code},
    )
    return item


@transaction.atomic
def campaign_kind_save(
    *,
    county_code: str,
    code: str,
    name: str,
    order: int,
    active: bool,
    actor: User,
    instance: CampaignEventKind | None = None,
) -> CampaignEventKind:
    if instance is not None and instance.county_code != county_code:
        raise ValidationError(_("Acest tip aparține catalogului altui județ."))
    item = instance or CampaignEventKind(county_code=county_code, code=code)
    if instance is None and CampaignEventKind.objects.filter(county_code=county_code, code=code).exists():
        raise ValidationError({"code": _("Există deja un tip cu acest cod.")})
    item.name, item.order, item.active = name, order, active
    item.save()
    audit_record(
        actor=actor,
        action="campaign_kind.save",
        target=item,
        details={"code": item.code, "active": active, "county": county_code},
    )
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


def clean_names(names: Iterable[str]) -> list[str]:
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


def _validate_details(details: ActivityDetails, school: School) -> None:
    if details.type.county_code != school.county_code:
        raise ValidationError({"type": _("Alegeți un tip din catalogul județului școlii.")})
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
    names = clean_names(others)
    _validate_details(details, school)
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
    names = clean_names(others)
    _validate_details(details, activity.school)
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
