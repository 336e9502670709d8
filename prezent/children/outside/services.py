"""Writes for children outside school. Every write is atomic, checks the writer's area and is audited with ids and
codes only, never names."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Child, Enrolment, Household, OutOfSchool
from prezent.children.outside.permissions import can_edit_outside_record, can_record_outside_child
from prezent.children.outside.selectors import SCHOOL_AGE_MAX, SCHOOL_AGE_MIN, age_on
from prezent.children.permissions import CHILD_WRITERS
from prezent.children.selectors import child_possible_duplicates
from prezent.children.services import DuplicateChildWarning, birth_date_check, cnp_clean
from prezent.core.services import audit_record
from prezent.schools.models import ClassGroup, Locality, School
from prezent.schools.selectors import school_scope_q

CLOSING_STATUSES = (OutOfSchool.Status.MOVED_AWAY, OutOfSchool.Status.ABOVE_AGE)


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "d.m.Y")


def school_age_check(birth_date: datetime.date, on: datetime.date) -> None:
    """The child must be of compulsory-school age (6 to 18 years old) on the day recorded."""
    age = age_on(birth_date, on)
    if not SCHOOL_AGE_MIN <= age <= SCHOOL_AGE_MAX:
        raise ValidationError(
            {
                "birth_date": _(
                    "Copilul trebuie să aibă între %(min)s și %(max)s ani (vârsta școlară obligatorie) la data "
                    "înregistrării; pe %(day)s are %(age)s ani."
                )
                % {"min": SCHOOL_AGE_MIN, "max": SCHOOL_AGE_MAX, "day": _day(on), "age": age}
            }
        )


def _record_checks(
    *,
    child: Child | None,
    birth_date: datetime.date,
    locality: Locality,
    never_enrolled: bool,
    since: datetime.date | None,
    recorded_on: datetime.date,
    actor: User,
) -> None:
    if not can_record_outside_child(user=actor, locality=locality):
        raise ValidationError({"locality": _("Nu puteți înregistra copii în această localitate.")})
    today = timezone.localdate()
    if recorded_on > today:
        raise ValidationError({"recorded_on": _("Data înregistrării nu poate fi în viitor.")})
    school_age_check(birth_date, recorded_on)
    if not never_enrolled and since is None:
        raise ValidationError({"since": _("Spuneți de când nu mai merge la școală, sau bifați „nu a fost înscris”.")})
    if since is not None and since > recorded_on:
        raise ValidationError({"since": _("Data nu poate fi după data înregistrării.")})
    if child is None:
        return
    if child.enrolments.filter(end__isnull=True).exists():
        raise ValidationError(
            _("Copilul este înscris la o școală: întâi se încheie înscrierea (abandon sau alt motiv).")
        )
    if child.out_of_school.filter(status=OutOfSchool.Status.OUTSIDE).exists():
        raise ValidationError(_("Copilul este deja înregistrat în afara școlii."))
    if never_enrolled and child.enrolments.exists():
        raise ValidationError({"never_enrolled": _("Copilul a fost înscris la școală: spuneți de când a plecat.")})
    last_end = child.enrolments.order_by("-end").values_list("end", flat=True).first()
    if since is not None and last_end is not None and since <= last_end:
        raise ValidationError(
            {"since": _("Copilul a fost înscris până pe %(day)s: data trebuie să fie după.") % {"day": _day(last_end)}}
        )


def _create(
    *,
    child: Child,
    locality: Locality,
    never_enrolled: bool,
    since: datetime.date | None,
    last_school: School | None,
    reason: str,
    found_by: str,
    note: str,
    recorded_on: datetime.date,
    actor: User,
) -> OutOfSchool:
    household = child.household
    if household is not None and household.locality_id is None:
        household.locality = locality
        household.save(update_fields=["locality", "updated_at"])
    record = OutOfSchool.objects.create(
        child=child,
        county_code=locality.county_code,
        locality=locality,
        never_enrolled=never_enrolled,
        since=None if never_enrolled else since,
        last_school=last_school,
        reason=reason,
        found_by=found_by.strip(),
        note=note.strip(),
        recorded_on=recorded_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="outside.record",
        target=record,
        details={
            "child": child.pk,
            "locality": locality.siruta,
            "reason": reason,
            "never_enrolled": never_enrolled,
            "last_school": last_school.pk if last_school else None,
        },
    )
    return record


@transaction.atomic
def outside_record(
    *,
    child: Child,
    locality: Locality,
    reason: str,
    recorded_on: datetime.date,
    since: datetime.date | None = None,
    never_enrolled: bool = False,
    found_by: str = "",
    note: str = "",
    actor: User,
) -> OutOfSchool:
    """Record that a child already in Prezent is outside school: no open enrolment (they dropped out or left), of
    school age on the day recorded. The last school is the school of their last enrolment."""
    child = Child.objects.select_for_update().get(pk=child.pk)  # two people recording at once: one wins
    _record_checks(
        child=child,
        birth_date=child.birth_date,
        locality=locality,
        never_enrolled=never_enrolled,
        since=since,
        recorded_on=recorded_on,
        actor=actor,
    )
    last = child.enrolments.select_related("class_group").order_by("-start", "-pk").first()
    return _create(
        child=child,
        locality=locality,
        never_enrolled=never_enrolled,
        since=since,
        last_school=last.class_group.school if last else None,
        reason=reason,
        found_by=found_by,
        note=note,
        recorded_on=recorded_on,
        actor=actor,
    )


@transaction.atomic
def outside_child_create(
    *,
    first_name: str,
    last_name: str,
    sex: str,
    birth_date: datetime.date,
    locality: Locality,
    reason: str,
    recorded_on: datetime.date,
    cnp: str = "",
    since: datetime.date | None = None,
    never_enrolled: bool = False,
    last_school: School | None = None,
    sibling: Child | None = None,
    found_by: str = "",
    note: str = "",
    confirm_not_duplicate: bool = False,
    actor: User,
) -> OutOfSchool:
    """A child not yet in Prezent, found outside school: the child (in a sibling's household, or a new one in the
    locality) and the record. Warns about likely duplicates (DuplicateChildWarning) unless confirmed; a CNP
    already held is never accepted."""
    birth_date_check(birth_date)
    _record_checks(
        child=None,
        birth_date=birth_date,
        locality=locality,
        never_enrolled=never_enrolled,
        since=since,
        recorded_on=recorded_on,
        actor=actor,
    )
    cnp = cnp_clean(cnp, birth_date=birth_date)
    if cnp and Child.objects.filter(cnp=cnp).exists():
        raise ValidationError({"cnp": _("Un copil cu acest CNP există deja.")})
    duplicates = child_possible_duplicates(first_name=first_name, last_name=last_name, birth_date=birth_date, cnp=cnp)
    if duplicates and not confirm_not_duplicate:
        raise DuplicateChildWarning(duplicates)
    household = sibling.household if sibling is not None and sibling.household_id else None
    child = Child.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        sex=sex,
        birth_date=birth_date,
        cnp=cnp,
        household=household or Household.objects.create(locality=locality),
    )
    audit_record(
        actor=actor,
        action="child.create",
        target=child,
        details={"outside_school": True, "sibling": sibling.pk if sibling else None},
    )
    return _create(
        child=child,
        locality=locality,
        never_enrolled=never_enrolled,
        since=since,
        last_school=last_school,
        reason=reason,
        found_by=found_by,
        note=note,
        recorded_on=recorded_on,
        actor=actor,
    )


def _open_record_for(record: OutOfSchool, actor: User) -> OutOfSchool:
    if not can_edit_outside_record(user=actor, record=record):
        raise PermissionDenied
    record = OutOfSchool.objects.select_for_update().get(pk=record.pk)
    if not record.is_open:
        raise ValidationError(_("Înregistrarea a fost deja încheiată."))
    return record


@transaction.atomic
def outside_reenrol(*, record: OutOfSchool, class_group: ClassGroup, on: datetime.date, actor: User) -> Enrolment:
    """Bring the child back: an enrolment in `class_group` from `on`, and the record closed as "back in school" on
    that day, pointing to the enrolment. Nothing is deleted: the story stays."""
    record = _open_record_for(record, actor)
    if on > timezone.localdate():
        raise ValidationError({"on": _("Data reînscrierii nu poate fi în viitor.")})
    if on < record.recorded_on:
        raise ValidationError(
            {
                "on": _("Data reînscrierii nu poate fi înainte de înregistrare (%(day)s).")
                % {"day": _day(record.recorded_on)}
            }
        )
    if not School.objects.filter(school_scope_q(actor, *CHILD_WRITERS), pk=class_group.school_id).exists():
        raise ValidationError({"class_group": _("Nu puteți înscrie copii la această școală.")})
    year = class_group.school_year
    if not year.start <= on <= year.end:
        raise ValidationError({"on": _("Data nu este în anul școlar al clasei (%(year)s).") % {"year": year.name}})
    if Enrolment.objects.filter(child_id=record.child_id, end__isnull=True).exists():
        raise ValidationError(_("Copilul este deja înscris la o școală."))
    enrolment = Enrolment.objects.create(child_id=record.child_id, class_group=class_group, start=on)
    record.status = OutOfSchool.Status.BACK
    record.closed_on = on
    record.closed_by = actor
    record.enrolment = enrolment
    record.save(update_fields=["status", "closed_on", "closed_by", "enrolment", "updated_at"])
    audit_record(
        actor=actor,
        action="outside.reenrol",
        target=record,
        details={"child": record.child_id, "class": class_group.pk, "enrolment": enrolment.pk},
    )
    return enrolment


@transaction.atomic
def outside_close(*, record: OutOfSchool, status: str, on: datetime.date, actor: User) -> OutOfSchool:
    """Close a record without a return to school: the child moved away, or is above school age."""
    if status not in CLOSING_STATUSES:
        raise ValueError(f"not a closing status: {status}")
    record = _open_record_for(record, actor)
    if on > timezone.localdate():
        raise ValidationError({"on": _("Data nu poate fi în viitor.")})
    if on < record.recorded_on:
        raise ValidationError(
            {"on": _("Data nu poate fi înainte de înregistrare (%(day)s).") % {"day": _day(record.recorded_on)}}
        )
    record.status = status
    record.closed_on = on
    record.closed_by = actor
    record.save(update_fields=["status", "closed_on", "closed_by", "updated_at"])
    audit_record(
        actor=actor, action="outside.close", target=record, details={"child": record.child_id, "status": status}
    )
    return record
