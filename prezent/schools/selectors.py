"""Reads of the registry, scoped to the user. Out of scope is 404 (the caller uses get_object_or_404)."""

import datetime

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.core.svgmap import convex_hull
from prezent.schools.calendar import Calendar
from prezent.schools.models import ClassGroup, Locality, School, SchoolYear

# Roles whose scope reaches whole schools (their lists, classes, registers).
SCHOOL_WIDE_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR, Role.CASE_WORKER)


def school_scope_q(user: User, *roles: str, prefix: str = "") -> Q:
    """A filter on School (or on a relation to it, through `prefix`) for the schools the user's roles reach."""
    scope = scope_for(user)
    roles = roles or SCHOOL_WIDE_ROLES
    counties = scope.counties(*roles)
    school_ids = scope.school_ids(*roles)
    condition = Q(pk__in=[])
    if counties:
        condition |= Q(**{f"{prefix}county_code__in": counties})
    if school_ids:
        condition |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": school_ids})
    return condition


def school_list_visible_to(*, user: User) -> QuerySet[School]:
    """Schools whose lists the user may open: their county or their assigned schools; a teacher's own schools."""
    condition = school_scope_q(user)
    if scope_for(user).has(Role.CLASS_TEACHER):
        condition |= Q(pk__in=ClassGroup.objects.filter(teacher=user).values("school_id"))
    return School.objects.filter(condition).select_related("locality", "locality__uat")


def school_get_for_user_or_404(*, user: User, pk: int) -> School:
    return get_object_or_404(school_list_visible_to(user=user), pk=pk)


# Roles that may open every class (and so its roster) of the schools in their scope. Case workers are not
# among them: they see only the children of the target group, through the children's pages.
CLASS_WIDE_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)


def class_list_visible_to(*, user: User) -> QuerySet[ClassGroup]:
    """Classes the user may open: all classes of the schools in scope, and a teacher's own classes."""
    condition = school_scope_q(user, *CLASS_WIDE_ROLES, prefix="school__")
    if scope_for(user).has(Role.CLASS_TEACHER):
        condition |= Q(teacher=user)
    return ClassGroup.objects.filter(condition).select_related("school", "school_year", "teacher")


def class_get_for_user_or_404(*, user: User, pk: int) -> ClassGroup:
    return get_object_or_404(class_list_visible_to(user=user), pk=pk)


def school_year_current(*, county_code: str, on: datetime.date | None = None) -> SchoolYear | None:
    """The county's school year that holds `on`, or else the latest one that started before it."""
    day = on or timezone.localdate()
    years = SchoolYear.objects.filter(county_code=county_code, start__lte=day).order_by("-start")
    return years.first()


def school_year_for_date(*, county_code: str, day: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(county_code=county_code, start__lte=day, end__gte=day).first()


def calendar_for(school_year: SchoolYear) -> Calendar:
    """The pure calendar of a school year (two queries, cached on the instance)."""
    cached = getattr(school_year, "_calendar", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    modules = [(m.start, m.end) for m in school_year.modules.order_by("number")]
    days_off = frozenset(school_year.non_school_days.values_list("date", flat=True))
    calendar = Calendar(modules=modules, days_off=days_off)
    school_year._calendar = calendar  # type: ignore[attr-defined]
    return calendar


def school_year_list_editable_by(*, user: User) -> QuerySet[SchoolYear]:
    """School years of the counties where the user is county coordinator."""
    return SchoolYear.objects.filter(county_code__in=scope_for(user).counties(Role.COUNTY_COORDINATOR))


def county_outline(county_code: str) -> list[tuple[float, float]]:
    """The county's shape for maps: the convex hull of its localities' coordinates, (latitude, longitude).
    No boundary file ships with the project; the hull of ~400 villages follows the county closely enough to place
    its schools."""
    coordinates = Locality.objects.filter(
        county_code=county_code, latitude__isnull=False, longitude__isnull=False
    ).values_list("latitude", "longitude")
    return convex_hull([(lat, lon) for lat, lon in coordinates if lat is not None and lon is not None])
