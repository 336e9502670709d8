import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.children.selectors import child_list_visible_to
from prezent.programme.models import MembershipStatus, Programme, ProgrammeTarget, TargetGroupMembership
from prezent.programme.permissions import programme_counties
from prezent.schools.models import Environment, School
from prezent.schools.selectors import school_name_q


def programme_list_visible_to(*, user: User) -> QuerySet[Programme]:
    """Programmes of the counties the user works in (any role with a county or schools in it)."""
    scope = scope_for(user)
    if not scope.roles:
        return Programme.objects.none()
    counties = scope.counties(*Role.values)
    school_ids = scope.school_ids(*Role.values)
    condition = Q(county_code__in=counties) | Q(schools__in=school_ids)
    if scope.has(Role.ME_VIEWER, Role.ADMINISTRATOR, Role.TRAINER):
        condition |= Q(pk__isnull=False)
    return Programme.objects.filter(condition).distinct()


def programme_status_counts(*, programme: Programme) -> dict[str, int]:
    """Members per status: counts only, safe for every role."""
    rows = programme.memberships.values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(MembershipStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def targets_current(*, programme: Programme) -> list[tuple[ProgrammeTarget, list[ProgrammeTarget]]]:
    """Each indicator's target in force (the latest) with its earlier revisions."""
    by_indicator: dict[str, list[ProgrammeTarget]] = {}
    for target in programme.targets.order_by("indicator", "-set_on", "-pk"):
        by_indicator.setdefault(target.indicator, []).append(target)
    return [(revisions[0], revisions[1:]) for revisions in by_indicator.values()]


def membership_list_visible_to(
    *, user: User, programme: Programme, status: str | None = None
) -> QuerySet[TargetGroupMembership]:
    visible_children = child_list_visible_to(user=user).values("pk")
    memberships = programme.memberships.filter(child__in=visible_children).select_related("child")
    if status:
        memberships = memberships.filter(status=status)
    return memberships.order_by("child__last_name", "child__first_name", "pk")


# Setting up a programme -----------------------------------------------------------------------------------------


def programme_list_managed_by(*, user: User) -> QuerySet[Programme]:
    """The programmes of the counties the user coordinates, with their number of schools."""
    return (
        Programme.objects.filter(county_code__in=programme_counties(user=user))
        .annotate(school_count=Count("schools", distinct=True))
        .order_by("-start", "code")
    )


def programme_get_managed_or_404(*, user: User, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.filter(county_code__in=programme_counties(user=user)), pk=pk)


@dataclass(frozen=True)
class SchoolFilter:
    """The chooser's filters: environment, unit type, PJ/AR, and a text searched in the name, short name,
    SIIIR code and locality (diacritics as typed)."""

    environment: str = ""
    unit_type: str = ""
    kind: str = ""
    query: str = ""


def school_network_filtered(*, programme: Programme, filters: SchoolFilter) -> QuerySet[School]:
    """The schools of the programme's county matching the filters, each marked `chosen` when it is already in the
    programme (one query for the page, whatever its length)."""
    chosen = Programme.schools.through.objects.filter(programme_id=programme.pk, school_id=OuterRef("pk"))
    schools = School.objects.filter(county_code=programme.county_code)
    if filters.environment:
        schools = schools.filter(environment=filters.environment)
    if filters.unit_type:
        schools = schools.filter(unit_type=filters.unit_type)
    if filters.kind:
        schools = schools.filter(kind=filters.kind)
    if filters.query:
        text = filters.query
        schools = schools.filter(
            school_name_q(text)
            | Q(siiir_code__startswith=text)
            | Q(locality__name__icontains=text)
            | Q(locality__uat__name__icontains=text)
        )
    return (
        schools.select_related("locality", "locality__uat", "parent")
        .annotate(chosen=Exists(chosen))
        .order_by("name", "pk")
    )


def unit_types_in_county(*, county_code: str) -> list[str]:
    return list(
        School.objects.filter(county_code=county_code)
        .exclude(unit_type="")
        .order_by("unit_type")
        .values_list("unit_type", flat=True)
        .distinct()
    )


def programme_schools(*, programme: Programme) -> QuerySet[School]:
    return programme.schools.select_related("locality", "locality__uat").order_by("name", "pk")


def programme_school_counts(*, programme: Programme) -> dict[str, int]:
    """The chosen schools: in all, rural, urban, PJ and AR (one query)."""
    counts = programme.schools.aggregate(
        total=Count("pk"),
        rural=Count("pk", filter=Q(environment=Environment.RURAL)),
        urban=Count("pk", filter=Q(environment=Environment.URBAN)),
        pj=Count("pk", filter=Q(kind=School.Kind.PJ)),
        ar=Count("pk", filter=Q(kind=School.Kind.AR)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def school_ids_with_target_group(*, programme: Programme, school_ids: Iterable[int]) -> dict[int, int]:
    """Of `school_ids`, the schools where children of the programme's target group are (or were) enrolled, with
    how many such children."""
    rows = (
        TargetGroupMembership.objects.filter(
            programme=programme, child__enrolments__class_group__school_id__in=list(school_ids)
        )
        .values("child__enrolments__class_group__school_id")
        .annotate(n=Count("child", distinct=True))
    )
    return {row["child__enrolments__class_group__school_id"]: row["n"] for row in rows}


def programme_of_county(*, county_code: str, start: datetime.date, end: datetime.date) -> Programme | None:
    """The county's programme that runs over [start, end] (the one that started last when several do)."""
    return (
        Programme.objects.filter(county_code=county_code, start__lte=end, end__gte=start)
        .order_by("-start", "-pk")
        .first()
    )
