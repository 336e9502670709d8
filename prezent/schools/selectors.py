"""Reads of the registry, scoped to the user. Out of scope is 404 (the caller uses get_object_or_404)."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.core.svgmap import convex_hull
from prezent.core.text import fold
from prezent.schools.calendar import Calendar, february_mondays, modules_around_february
from prezent.schools.defaults import NATIONAL_YEARS
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


def school_name_q(query: str, *, prefix: str = "") -> Q:
    """Schools whose name or short name holds every typed word, ignoring case and diacritics (ş and ș alike):
    "garbesti", "Gârbești" and "GÂRBEȘTI" all find "ȘCOALA GIMNAZIALĂ, GÂRBEȘTI". Matches the stored folded
    `search_name`, the same way on SQLite and PostgreSQL. An empty query matches nothing."""
    words = fold(query).split()
    if not words:
        return Q(pk__in=[])
    condition = Q()
    for word in words:
        condition &= Q(**{f"{prefix}search_name__contains": word})
    return condition


def school_search(*, user: User, query: str = "") -> QuerySet[School]:
    """The school list: the schools the user may open, by name (`school_name_q`) or by the start of the SIIIR code,
    in name order."""
    schools = school_list_visible_to(user=user)
    query = query.strip()
    if query:
        schools = schools.filter(school_name_q(query) | Q(siiir_code__startswith=query))
    return schools.order_by("name", "pk")


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


COUNTY_CODE = re.compile(r"^[A-Z]{1,2}$")


@dataclass(frozen=True)
class YearDraft:
    """The calendar a county's new school year gets from the national structure, before anything is written."""

    county_code: str
    name: str
    start: datetime.date
    end: datetime.date
    modules: list[tuple[datetime.date, datetime.date]]
    days_off: list[tuple[datetime.date, str]]
    february_monday: datetime.date
    february_mondays: list[datetime.date]
    february_assumed: bool
    structure_assumed: bool
    assumptions: list[str] = field(default_factory=list)

    @property
    def february_friday(self) -> datetime.date:
        return self.february_monday + datetime.timedelta(days=4)


def school_year_draft(*, county_code: str, name: str, february_monday: datetime.date | None = None) -> YearDraft:
    """The county's calendar for the year `name` from the shipped national structure (`NATIONAL_YEARS`), with the
    county's February week (`february_monday`) or, when it is not given, the week assumed by default, marked as
    such. Refuses a year Prezent has no structure for and a Monday outside the order's window. Writes nothing."""
    if not COUNTY_CODE.match(county_code or ""):
        raise ValidationError(_("Codul județului are una sau două litere mari (de exemplu IS, VS, B)."))
    structure = NATIONAL_YEARS.get(name)
    if structure is None:
        raise ValidationError(
            _("Prezent nu are structura anului școlar %(name)s. Anii disponibili: %(names)s.")
            % {"name": name, "names": ", ".join(NATIONAL_YEARS)}
        )
    mondays = february_mondays(structure["february_window"])
    if february_monday is not None and february_monday not in mondays:
        raise ValidationError(
            _("Săptămâna de vacanță din februarie începe într-o zi de luni dintre: %(days)s.")
            % {"days": ", ".join(f"{day:%d.%m.%Y}" for day in mondays)}
        )
    monday = february_monday or structure["february_default"]
    assumptions = []
    if structure["assumption"]:
        assumptions.append(structure["note"])
    if february_monday is None:
        assumptions.append(
            _(
                "Săptămâna de vacanță din februarie este presupusă (%(start)s – %(end)s): stabiliți-o după "
                "decizia inspectoratului școlar județean."
            )
            % {"start": f"{monday:%d.%m.%Y}", "end": f"{monday + datetime.timedelta(days=4):%d.%m.%Y}"}
        )
    return YearDraft(
        county_code=county_code,
        name=name,
        start=structure["start"],
        end=structure["end"],
        modules=modules_around_february(structure["modules"], monday),
        days_off=list(structure["days_off"]),
        february_monday=monday,
        february_mondays=mondays,
        february_assumed=february_monday is None,
        structure_assumed=structure["assumption"],
        assumptions=assumptions,
    )
