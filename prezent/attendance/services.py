"""Writes to the class register: saving a day's register for a class, and excusing absences."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prezent.accounts.models import User
from prezent.attendance.closed import CHANGE_REASON_MIN_LENGTH, change_reason_clean, closed_year_message, year_label
from prezent.attendance.models import Absence, ExcuseReason, RegisterEntry
from prezent.attendance.permissions import can_write_closed_register, register_closed
from prezent.attendance.selectors import enrolled_on, parent_request_hours_used
from prezent.children.models import Child
from prezent.core.services import audit_record
from prezent.schools.models import ClassGroup, SchoolYear
from prezent.schools.selectors import calendar_for


def closed_register_check(*, class_group: ClassGroup, actor: User | None, change_reason: str = "") -> str:
    """Every write to a class's register, averages and conduct goes through here first. In an open year it
    returns "" (any reason given is ignored). In a closed year (`register_closed`) a person is refused unless they
    are the school coordinator of the class's school and give a reason, which is returned cleaned for the audit
    event. With no actor (the demo generator, a test building history, a system task) nothing is checked."""
    year = class_group.school_year
    if actor is None or not register_closed(school_year=year):
        return ""
    if not can_write_closed_register(user=actor, class_group=class_group):
        raise ValidationError(closed_year_message(year))
    if not (change_reason or "").strip():
        raise ValidationError(
            _("Anul școlar %(year)s s-a încheiat: o modificare are nevoie de motiv (cel puțin %(n)s caractere).")
            % {"year": year_label(year), "n": CHANGE_REASON_MIN_LENGTH}
        )
    return change_reason_clean(change_reason)


def _with_reason(details: dict[str, Any], reason: str) -> dict[str, Any]:
    """Audit details with the closed year's change reason, when there is one."""
    return {**details, "closed_year_reason": reason} if reason else details


@dataclass(frozen=True)
class RegisterSaved:
    entry: RegisterEntry
    created: bool
    absent_children: int
    absent_hours: int
    changed_child_ids: frozenset[int]


def register_day_check(*, class_group: ClassGroup, day: datetime.date) -> None:
    """A register can be taken on a school day of the class's year, up to today."""
    if day > timezone.localdate():
        raise ValidationError(_("Condica nu poate fi completată pentru o zi din viitor."))
    if not calendar_for(class_group.school_year).is_school_day(day):
        raise ValidationError(
            _("%(day)s nu este zi de școală pentru această clasă.") % {"day": date_format(day, "l, j F Y")}
        )


@transaction.atomic
def register_save(
    *,
    class_group: ClassGroup,
    day: datetime.date,
    absences: dict[int, int],
    actor: User | None,
    hours: int | None = None,
    change_reason: str = "",
) -> RegisterSaved:
    """Save the whole class's register for `day` in one go.

    `absences` maps child id → class hours missed that day; children not in it were present. Saving with no
    absences records that everyone was present. Re-saving replaces the day's unexcused absences; an excused
    absence keeps its excuse when its hours change, and is removed if the child is now marked present.
    A closed year's register takes only the school coordinator's change, with `change_reason`
    (`closed_register_check`).
    """
    reason = closed_register_check(class_group=class_group, actor=actor, change_reason=change_reason)
    register_day_check(class_group=class_group, day=day)
    day_hours = hours or class_group.hours_per_day
    if not 1 <= day_hours <= 8:
        raise ValidationError(_("O zi are între 1 și 8 ore de curs."))
    enrolled = set(enrolled_on(class_group=class_group, day=day).values_list("pk", flat=True))
    strangers = set(absences) - enrolled
    if strangers:
        raise ValidationError(_("Unii copii nu sunt înscriși în această clasă în ziua aleasă."))
    for missed in absences.values():
        if not 1 <= missed <= day_hours:
            raise ValidationError(_("Numărul de ore absente trebuie să fie între 1 și %(max)s.") % {"max": day_hours})
    entry, created = RegisterEntry.objects.select_for_update().get_or_create(
        class_group=class_group, date=day, defaults={"hours": day_hours, "taken_by": actor}
    )
    if not created:
        entry.hours = day_hours
        entry.taken_by = actor
        entry.save(update_fields=["hours", "taken_by", "taken_at"])
    existing = {a.child_id: a for a in entry.absences.all()}
    removed = [a.pk for child_id, a in existing.items() if child_id not in absences]
    Absence.objects.filter(pk__in=removed).delete()
    new = [
        Absence(register_entry=entry, child_id=child_id, date=day, hours=missed, recorded_by=actor)
        for child_id, missed in absences.items()
        if child_id not in existing
    ]
    Absence.objects.bulk_create(new)
    changed = []
    for child_id, missed in absences.items():
        absence = existing.get(child_id)
        if absence is not None and absence.hours != missed:
            absence.hours = missed
            changed.append(absence)
    Absence.objects.bulk_update(changed, ["hours"])
    touched = {a.child_id for a in new} | {a.child_id for a in changed}
    touched |= {child_id for child_id in existing if child_id not in absences}
    audit_record(
        actor=actor,
        action="register.save",
        target=entry,
        details=_with_reason(
            {
                "class": class_group.pk,
                "date": day.isoformat(),
                "added": len(new),
                "changed": len(changed),
                "removed": len(removed),
            },
            reason,
        ),
    )
    return RegisterSaved(
        entry=entry,
        created=created,
        absent_children=len(absences),
        absent_hours=sum(absences.values()),
        changed_child_ids=frozenset(touched),
    )


def _school_year_of(absence: Absence) -> SchoolYear:
    year = absence.register_entry.class_group.school_year
    return year


@transaction.atomic
def absences_excuse(
    *,
    absences: list[Absence],
    reason: str,
    document_date: datetime.date,
    actor: User | None,
    change_reason: str = "",
) -> int:
    """Excuse (motivare) absences with a reason and the date of the document. Returns the hours excused.

    Parent-request excuses are capped per school year (SchoolYear.parent_excuse_quota_hours, 40 by default):
    a request that would pass the cap is refused whole, with the hours left. Absences of a closed year are
    excused only by the school coordinator, with `change_reason` (`closed_register_check`, once per class).
    """
    if reason not in ExcuseReason.values:
        raise ValidationError({"reason": _("Alegeți motivul motivării.")})
    if document_date > timezone.localdate():
        raise ValidationError({"document_date": _("Data documentului nu poate fi în viitor.")})
    # Two requests at once for the same child (a double tap, two tabs, the teacher and the mediator) must not both
    # pass the quota: the children's rows are locked, in one order, and the absences read again under the lock.
    child_ids = sorted({a.child_id for a in absences})
    list(Child.objects.select_for_update().filter(pk__in=child_ids).order_by("pk").values_list("pk", flat=True))
    pending = list(
        Absence.objects.filter(pk__in=[a.pk for a in absences], excused=False)
        .select_related("register_entry__class_group__school_year", "register_entry__class_group__school")
        .order_by("pk")
    )
    if not pending:
        raise ValidationError(_("Alegeți cel puțin o absență nemotivată."))
    reasons: dict[int, str] = {}
    for absence in pending:
        group = absence.register_entry.class_group
        if group.pk not in reasons:
            reasons[group.pk] = closed_register_check(class_group=group, actor=actor, change_reason=change_reason)
    if reason == ExcuseReason.PARENT_REQUEST:
        by_year: dict[int, list[Absence]] = {}
        for absence in pending:
            by_year.setdefault(_school_year_of(absence).pk, []).append(absence)
        for year_absences in by_year.values():
            year = _school_year_of(year_absences[0])
            child_ids = sorted({a.child_id for a in year_absences})
            used = parent_request_hours_used(child_ids=child_ids, school_year=year)
            for child_id in child_ids:
                asked = sum(a.hours for a in year_absences if a.child_id == child_id)
                already = used.get(child_id, 0)
                if already + asked > year.parent_excuse_quota_hours:
                    left = max(0, year.parent_excuse_quota_hours - already)
                    raise ValidationError(
                        ngettext(
                            "La cererea părintelui se pot motiva cel mult %(quota)s ore pe an școlar. "
                            "Au fost motivate deja %(used)s ore; mai rămâne %(left)s oră, iar cererea are "
                            "%(asked)s ore.",
                            "La cererea părintelui se pot motiva cel mult %(quota)s ore pe an școlar. "
                            "Au fost motivate deja %(used)s ore; mai rămân %(left)s ore, iar cererea are "
                            "%(asked)s ore.",
                            left,
                        )
                        % {"quota": year.parent_excuse_quota_hours, "used": already, "left": left, "asked": asked}
                    )
    now = timezone.now()
    for absence in pending:
        absence.excused = True
        absence.excuse_reason = reason
        absence.document_date = document_date
        absence.excused_by = actor
        absence.excused_at = now
    Absence.objects.bulk_update(pending, ["excused", "excuse_reason", "document_date", "excused_by", "excused_at"])
    for absence in pending:
        audit_record(
            actor=actor,
            action="absence.excuse",
            target=absence,
            details=_with_reason(
                {"child": absence.child_id, "date": absence.date.isoformat(), "reason": reason},
                reasons[absence.register_entry.class_group_id],
            ),
        )
    return sum(a.hours for a in pending)


def absences_for_excuse(*, child_id: int, absence_ids: list[int]) -> list[Absence]:
    """The child's own absences among `absence_ids` (others are ignored), with what the quota check and the
    rights of their classes need."""
    return list(
        Absence.objects.filter(child_id=child_id, pk__in=absence_ids).select_related(
            "register_entry__class_group__school_year", "register_entry__class_group__school"
        )
    )
