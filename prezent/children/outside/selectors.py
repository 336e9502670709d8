"""Reads of children outside school, always scoped to the user (`outside_scope_q`, prezent/children/permissions.py)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Child, Enrolment, OutOfSchool
from prezent.children.outside.permissions import can_list_outside_children
from prezent.children.permissions import CHILD_WRITERS, locality_reach_q, outside_scope_q
from prezent.core.text import fold
from prezent.schools.models import Locality, School
from prezent.schools.selectors import school_list_visible_to, school_scope_q

# How old a child of compulsory-school age is, in full years, on the day they are recorded: from the preparatory
# class (6) to the end of grade XII (18).
SCHOOL_AGE_MIN = 6
SCHOOL_AGE_MAX = 18
PICK_LIMIT = 15
RECORDABLE_LEVELS = (Locality.Level.VILLAGE, Locality.Level.UAT)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in full years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def outside_list_visible_to(*, user: User) -> QuerySet[OutOfSchool]:
    if not can_list_outside_children(user=user):
        return OutOfSchool.objects.none()
    return OutOfSchool.objects.filter(outside_scope_q(user))


def outside_get_for_user_or_404(*, user: User, pk: int) -> OutOfSchool:
    records = outside_list_visible_to(user=user).select_related(
        "child", "child__household", "locality", "locality__uat", "last_school", "recorded_by", "closed_by"
    )
    return get_object_or_404(records, pk=pk)


def outside_search(
    *, user: User, status: str = "", locality_id: int | None = None, reason: str = ""
) -> QuerySet[OutOfSchool]:
    """The list with its filters, newest first: one query for the page (child, locality, last school joined)."""
    records = outside_list_visible_to(user=user)
    if status:
        records = records.filter(status=status)
    if locality_id:
        records = records.filter(locality_id=locality_id)
    if reason:
        records = records.filter(reason=reason)
    return records.select_related("child", "locality", "locality__uat", "last_school").order_by("-recorded_on", "-pk")


def outside_counts(*, records: QuerySet[OutOfSchool]) -> dict[str, int]:
    """How many records per status, and in all, in one query."""
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in OutOfSchool.Status.values}
    return records.order_by().aggregate(total=Count("pk"), **aggregates)


def outside_localities(*, user: User) -> list[Locality]:
    """The localities of the records the user sees (the list's filter: a few, never the county's thousand)."""
    ids = outside_list_visible_to(user=user).order_by().values("locality_id")
    return list(Locality.objects.filter(pk__in=ids).select_related("uat").order_by("name"))


def localities_recordable_by(*, user: User) -> QuerySet[Locality]:
    """The villages and communes a child outside school may be recorded in by this user."""
    return Locality.objects.filter(locality_reach_q(user, *CHILD_WRITERS), level__in=RECORDABLE_LEVELS)


def locality_pick(*, user: User, query: str) -> list[Locality]:
    """Localities whose name holds every typed word (no case, no diacritics), among those the user may record in.

    A county has ~1,500 localities: names are compared in Python, the same way on SQLite and PostgreSQL."""
    words = fold(query).split()
    if not words:
        return []
    found = []
    for locality in localities_recordable_by(user=user).select_related("uat").order_by("name", "pk"):
        name = fold(locality.name)
        if all(word in name for word in words):
            found.append(locality)
            if len(found) == PICK_LIMIT:
                break
    return found


def schools_recordable_by(*, user: User) -> QuerySet[School]:
    """The schools a child's last school may be chosen from: those the user's writing roles reach."""
    return school_list_visible_to(user=user).filter(school_scope_q(user, *CHILD_WRITERS))


def child_last_enrolment(*, child: Child) -> Enrolment | None:
    return child.enrolments.select_related("class_group__school").order_by("-start", "-pk").first()


def child_open_enrolment(*, child: Child) -> Enrolment | None:
    return child.enrolments.filter(end__isnull=True).first()


def child_open_outside_record(*, child: Child) -> OutOfSchool | None:
    return child.out_of_school.filter(status=OutOfSchool.Status.OUTSIDE).first()


def outside_records_of(*, user: User, child: Child) -> list[OutOfSchool]:
    """A child's records outside school that the user sees, newest first."""
    return list(outside_list_visible_to(user=user).filter(child=child).select_related("locality", "last_school"))


@dataclass(frozen=True)
class StoryEvent:
    day: datetime.date
    text: str


def child_outside_story(*, child: Child, records: list[OutOfSchool]) -> list[StoryEvent]:
    """The child's way out of school and back, oldest first: enrolments (started, ended with the reason) and the
    records outside school (recorded, closed). `records` are those the reader sees."""
    events: list[StoryEvent] = []
    enrolments = child.enrolments.select_related("class_group", "class_group__school").order_by("start", "pk")
    for enrolment in enrolments:
        where = f"{enrolment.class_group} · {enrolment.class_group.school.name}"
        events.append(StoryEvent(enrolment.start, _("Înscris: %(where)s") % {"where": where}))
        if enrolment.end:
            events.append(
                StoryEvent(
                    enrolment.end,
                    _("A plecat de la școală: %(where)s (%(reason)s)")
                    % {"where": where, "reason": enrolment.get_end_reason_display() or "—"},
                )
            )
    for record in records:
        if record.never_enrolled:
            text = _("Înregistrat în afara școlii (nu a fost înscris niciodată), %(place)s: %(reason)s")
        else:
            text = _("Înregistrat în afara școlii, %(place)s: %(reason)s")
        events.append(
            StoryEvent(record.recorded_on, text % {"place": record.locality, "reason": record.get_reason_display()})
        )
        if record.closed_on:
            events.append(StoryEvent(record.closed_on, str(record.get_status_display()).capitalize()))
    return sorted(events, key=lambda e: e.day)
