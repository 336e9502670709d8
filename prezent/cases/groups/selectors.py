"""Reads of distribution lists and groups, scoped to the schools where the user records services. Out of scope is
404. A list or a group page shows the programme's children of one school (names only, like a class page)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.urls import reverse

from prezent.accounts.models import User
from prezent.cases.groups.permissions import can_open_deliveries_at, delivery_school_q
from prezent.cases.models import Case, DeliveryList, Intervention, InterventionType, Recipient, ServiceGroup
from prezent.children.models import Child, Enrolment
from prezent.programme.models import MembershipStatus, TargetGroupMembership
from prezent.schools.models import School

# The programme's children of a school: proposed for or included in the target group of a programme that includes
# the school (a child who left the target group no longer appears on new lists).
PROGRAMME_STATUSES = (MembershipStatus.PROPOSED, MembershipStatus.INCLUDED)
GRID_DAYS = 10
# The case page's summary of the lists' and groups' ticks shows, per kind of service, this many last dates.
RECENT_TICKS = 5


def delivery_schools_visible_to(*, user: User) -> QuerySet[School]:
    return School.objects.filter(delivery_school_q(user)).order_by("name")


def delivery_school_get_or_404(*, user: User, pk: int) -> School:
    return get_object_or_404(delivery_schools_visible_to(user=user), pk=pk)


def delivery_types(*, county_codes: Iterable[str] | QuerySet) -> QuerySet[InterventionType]:
    """The kinds a distribution list delivers in these counties' catalogues (each county has its own, decision 45):
    the active material help to the child (meal, kit, clothes…)."""
    return InterventionType.objects.filter(county_code__in=county_codes, is_active=True, is_material=True).exclude(
        recipient=InterventionType.Recipient.FAMILY
    )


def group_types(*, county_codes: Iterable[str] | QuerySet) -> QuerySet[InterventionType]:
    """The kinds a group's attendance records, from these counties' catalogues: any active service to the child."""
    return InterventionType.objects.filter(county_code__in=county_codes, is_active=True).exclude(
        recipient=InterventionType.Recipient.FAMILY
    )


def programme_children_of_school(*, school: School, day: datetime.date) -> QuerySet[Child]:
    """The programme's children enrolled at `school` on `day`, by name (one query when evaluated)."""
    enrolled = Enrolment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day), class_group__school=school, start__lte=day
    ).values("child_id")
    members = TargetGroupMembership.objects.filter(
        status__in=PROGRAMME_STATUSES, programme__schools=school, child_id__in=enrolled
    ).values("child_id")
    return Child.objects.filter(pk__in=members).order_by("last_name", "first_name", "pk")


def delivery_list_find(*, school: School, kind: InterventionType, day: datetime.date) -> DeliveryList | None:
    return DeliveryList.objects.filter(school=school, type=kind, day=day).first()


def delivery_ticks(*, delivery_list: DeliveryList | None) -> dict[int, int]:
    """Child id → quantity of each tick of the list."""
    if delivery_list is None:
        return {}
    return {c: q or 1 for c, q in delivery_list.interventions.values_list("child_id", "quantity")}


def delivery_lists_recent(*, user: User, limit: int = 30) -> QuerySet[DeliveryList]:
    """The newest lists of the user's schools, with their number of ticks and total quantity (one query)."""
    return (
        DeliveryList.objects.filter(delivery_school_q(user, prefix="school__"))
        .select_related("school", "type")
        .annotate(ticks=Count("interventions"))
        .order_by("-day", "-pk")[:limit]
    )


def groups_visible_to(*, user: User) -> QuerySet[ServiceGroup]:
    return ServiceGroup.objects.filter(delivery_school_q(user, prefix="school__"))


def group_rows(*, user: User) -> QuerySet[ServiceGroup]:
    """The user's groups with their school, type and number of enrolled children (one query)."""
    return (
        groups_visible_to(user=user)
        .select_related("school", "type")
        .annotate(enrolled=Count("children", distinct=True))
        .order_by("-end", "school__name", "name")
    )


def group_get_for_user_or_404(*, user: User, pk: int) -> ServiceGroup:
    return get_object_or_404(groups_visible_to(user=user).select_related("school", "type"), pk=pk)


def group_children(*, group: ServiceGroup) -> QuerySet[Child]:
    return group.children.order_by("last_name", "first_name", "pk")


def group_day_ticks(*, group: ServiceGroup, day: datetime.date) -> set[int]:
    return set(group.interventions.filter(delivered_on=day).values_list("child_id", flat=True))


def group_meeting_days(*, group: ServiceGroup, until: datetime.date, limit: int = GRID_DAYS) -> list[datetime.date]:
    """The group's last `limit` meeting days up to `until` (its schedule's weekdays between its dates), oldest first."""
    days: list[datetime.date] = []
    day = min(until, group.end)
    while day >= group.start and len(days) < limit:
        if group.meets_on(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days[::-1]


@dataclass(frozen=True)
class GridRow:
    child: Child
    marks: list[bool]
    attended: int


@dataclass(frozen=True)
class AttendanceGrid:
    days: list[datetime.date]
    rows: list[GridRow]
    per_day: list[int]


def group_attendance_grid(
    *, group: ServiceGroup, days: list[datetime.date], children: list[Child] | None = None
) -> AttendanceGrid:
    """Enrolled children (`children`, when the caller has them) × the given meeting days, and each child's
    attended days in all (two or three queries)."""
    if children is None:
        children = list(group_children(group=group))
    marks = set(group.interventions.filter(delivered_on__in=days).values_list("child_id", "delivered_on").order_by())
    totals = dict(
        group.interventions.values("child_id").annotate(n=Count("pk")).values_list("child_id", "n").order_by()
    )
    rows = [GridRow(child=c, marks=[(c.pk, d) in marks for d in days], attended=totals.get(c.pk, 0)) for c in children]
    return AttendanceGrid(days=days, rows=rows, per_day=[sum(r.marks[i] for r in rows) for i in range(len(days))])


# -- the case page's summary of the ticks without a case -------------------------------------------------------


@dataclass(frozen=True)
class TickSeen:
    """One of the last ticks of a kind: the day, the quantity, whether it was a service to the family, and where it
    was ticked (a list or a group, by name) with its link when the user may open it ("" otherwise)."""

    day: datetime.date
    quantity: int | None
    family: bool
    group_name: str
    url: str


@dataclass(frozen=True)
class KindReceived:
    """A kind of service received through lists and groups: how many ticks, the quantity in all, the first and the
    last day, and the last `RECENT_TICKS` ticks (newest first)."""

    label: str
    unit: str
    ticks: int
    quantity: int
    family: int
    first: datetime.date
    last: datetime.date
    recent: list[TickSeen]


def case_ticks_received(*, user: User, case: Case) -> list[KindReceived]:
    """What the case's child received without a case (decision 48): the ticks of distribution lists and groups'
    attendance of the child, and the services to the family ticked for another child of the same household (they
    count for the whole household, as `children_served` counts them), only at the child's schools (the case's and
    those of the child's enrolments) — no other child is named. Per kind, in the catalogue's order; two queries
    whatever the number of ticks (one aggregate, one of the last ticks per kind)."""
    child = case.child
    whose = Q(child_id=child.pk)
    if child.household_id is not None:
        whose |= Q(recipient=Recipient.FAMILY, child__household_id=child.household_id)
    schools = Enrolment.objects.filter(child_id=child.pk).values("class_group__school_id")
    where = (
        Q(delivery_list__school_id=case.school_id)
        | Q(delivery_list__school_id__in=schools)
        | Q(group__school_id=case.school_id)
        | Q(group__school_id__in=schools)
    )
    ticks = Intervention.objects.filter(whose, where, case__isnull=True)
    totals = (
        ticks.values("type_id", "type__label", "type__unit", "type__order")
        .annotate(
            n=Count("pk"),
            quantity=Sum("quantity"),
            family=Count("pk", filter=Q(recipient=Recipient.FAMILY)),
            first=Min("delivered_on"),
            last=Max("delivered_on"),
        )
        .order_by("type__order", "type__label", "type_id")
    )
    rows = list(totals)
    if not rows:
        return []
    recent = (
        ticks.annotate(
            place=Window(RowNumber(), partition_by=[F("type_id")], order_by=[F("delivered_on").desc(), F("pk").desc()])
        )
        .filter(place__lte=RECENT_TICKS)
        .values_list(
            "type_id",
            "delivered_on",
            "quantity",
            "recipient",
            "type__code",
            "type__is_active",
            "delivery_list__school_id",
            "delivery_list__school__county_code",
            "delivery_list__day",
            "group_id",
            "group__name",
            "group__school_id",
            "group__school__county_code",
        )
        .order_by("type_id", "-delivered_on", "-pk")
    )
    seen: dict[int, list[TickSeen]] = {}
    for (
        type_id,
        day,
        quantity,
        recipient,
        code,
        active,
        list_school,
        list_county,
        list_day,
        group_id,
        group_name,
        group_school,
        group_county,
    ) in recent:
        url = ""
        if group_id is not None:
            if can_open_deliveries_at(user=user, school_id=group_school, county_code=group_county):
                url = reverse("cases:group_detail", kwargs={"pk": group_id})
        elif active and can_open_deliveries_at(user=user, school_id=list_school, county_code=list_county):
            url = reverse(
                "cases:delivery_list", kwargs={"school": list_school, "kind": code, "day": list_day.isoformat()}
            )
        seen.setdefault(type_id, []).append(
            TickSeen(
                day=day,
                quantity=quantity,
                family=recipient == Recipient.FAMILY,
                group_name=group_name or "",
                url=url,
            )
        )
    return [
        KindReceived(
            label=row["type__label"],
            unit=row["type__unit"],
            ticks=row["n"],
            quantity=row["quantity"] or 0,
            family=row["family"],
            first=row["first"],
            last=row["last"],
            recent=seen.get(row["type_id"], []),
        )
        for row in rows
    ]
