"""Reads for the staff pages: the people with roles in a county, their roles and classes, the school search box
and the classes a form teacher can be given."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.scope import scope_for
from prezent.core.text import fold
from prezent.schools.models import ClassGroup, School, SchoolYear
from prezent.schools.selectors import school_year_current
from prezent.schools.staff.labels import class_label
from prezent.schools.staff.permissions import staff_counties

SCHOOL_SEARCH_LIMIT = 20


def assignment_in_counties_q(counties: frozenset[str] | set[str], *, prefix: str = "") -> Q:
    """Role assignments that belong to one of `counties`: given there (county_code, set on every role given
    through Prezent) or over schools of the county (roles given before county_code was kept)."""
    return Q(**{f"{prefix}county_code__in": counties}) | Q(**{f"{prefix}schools__county_code__in": counties})


def staff_list_for(*, user: User, query: str = "") -> QuerySet[User]:
    """The people with a role (current or past) in the counties where `user` manages staff, with those roles."""
    counties = staff_counties(user=user)
    ids = RoleAssignment.objects.filter(assignment_in_counties_q(counties)).values("user_id")
    people = User.objects.filter(pk__in=ids)
    for word in query.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(username__icontains=word)
        )
    roles = RoleAssignment.objects.filter(assignment_in_counties_q(counties)).distinct().order_by("role", "pk")
    return people.prefetch_related(Prefetch("role_assignments", queryset=roles, to_attr="county_roles")).order_by(
        "last_name", "first_name", "pk"
    )


def staff_person_get_or_404(*, user: User, pk: int) -> User:
    """A person with a role in one of the user's counties; anyone else is 404."""
    return get_object_or_404(staff_list_for(user=user), pk=pk)


def person_roles_for(*, user: User, person: User) -> list[RoleAssignment]:
    """The person's roles in the user's counties (current, future and ended), newest first, with their schools
    and the county each belongs to (`county`)."""
    counties = staff_counties(user=user)
    assignments = list(
        RoleAssignment.objects.filter(assignment_in_counties_q(counties), user=person)
        .distinct()
        .prefetch_related(Prefetch("schools", queryset=School.objects.select_related("locality")))
        .order_by("-valid_from", "role", "pk")
    )
    for assignment in assignments:
        assignment.county = assignment_county(assignment)  # type: ignore[attr-defined]
    return assignments


def assignment_county(assignment: RoleAssignment) -> str:
    """The county a role belongs to: its county code, else the county of its schools."""
    if assignment.county_code:
        return assignment.county_code
    counties = {school.county_code for school in assignment.schools.all()}
    return counties.pop() if len(counties) == 1 else ""


def assignment_get_for_manager_or_404(*, user: User, pk: int) -> RoleAssignment:
    """A role of the user's counties, with its `county`; anything else is 404."""
    counties = staff_counties(user=user)
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(assignment_in_counties_q(counties)).distinct().select_related("user"), pk=pk
    )
    assignment.county = assignment_county(assignment)  # type: ignore[attr-defined]
    if assignment.county not in counties:  # type: ignore[attr-defined]
        raise Http404
    return assignment


def school_search_for(*, user: User, query: str, limit: int = SCHOOL_SEARCH_LIMIT) -> list[School]:
    """At most `limit` schools of the user's counties whose name, SIIIR code or locality holds every word of
    `query`, without regard to case or diacritics ("scoala sat" finds "ȘCOALA GIMNAZIALĂ SAT"). Two queries: the
    county's few hundred names are folded here, since SQLite compares only ASCII letters without case."""
    words = fold(query).split()
    if not words:
        return []
    rows = School.objects.filter(county_code__in=staff_counties(user=user)).values_list(
        "pk", "name", "short_name", "siiir_code", "locality__name", "locality__uat__name"
    )
    found: list[int] = []
    for pk, *texts in rows.order_by("name", "pk"):
        haystack = fold(" ".join(t for t in texts if t))
        if all(word in haystack for word in words):
            found.append(pk)
            if len(found) >= limit:
                break
    schools = School.objects.filter(pk__in=found).select_related("locality", "locality__uat")
    return sorted(schools, key=lambda school: found.index(school.pk))


def schools_of_counties(*, counties: frozenset[str], ids: list[int]) -> list[School]:
    """The schools among `ids` that are in `counties` (a posted list is never trusted)."""
    return list(School.objects.filter(pk__in=ids, county_code__in=counties).order_by("name"))


def staff_person_in_counties(*, user: User, person: User) -> bool:
    """Whether `person` has a role (current or past) in one of the counties where `user` manages staff."""
    return staff_list_for(user=user).filter(pk=person.pk).exists()


def current_years(*, counties: frozenset[str] | set[str]) -> dict[str, SchoolYear]:
    """Each county's current school year (a county without one is left out): one query per county."""
    years = {county: school_year_current(county_code=county) for county in sorted(counties)}
    return {county: year for county, year in years.items() if year is not None}


def class_options(
    *, schools: list[School], years: dict[str, SchoolYear] | None = None
) -> list[tuple[School, list[ClassGroup]]]:
    """The classes of `schools` (already checked to be the user's) in their county's current school year, by
    school, each with its teacher and its `label` ("a V-a B"). One query (plus the years, unless given)."""
    if not schools:
        return []
    if years is None:
        years = current_years(counties={school.county_code for school in schools})
    by_school: dict[int, tuple[School, list[ClassGroup]]] = {
        school.pk: (school, []) for school in sorted(schools, key=lambda s: (s.name, s.pk))
    }
    query = Q(pk__in=[])
    for county, year in years.items():
        query |= Q(school_year=year, school__county_code=county)
    groups = (
        ClassGroup.objects.filter(query, school__in=list(by_school))
        .select_related("teacher")
        .order_by("grade", "letter", "pk")
    )
    for group in groups:
        group.label = class_label(group.grade, group.letter)  # type: ignore[attr-defined]
        group.school = by_school[group.school_id][0]
        by_school[group.school_id][1].append(group)
    return [(school, groups_of) for school, groups_of in by_school.values() if groups_of]


def class_teacher_schools(assignments: list[RoleAssignment], *, today: datetime.date) -> list[School]:
    """The schools of the person's class-teacher roles that hold today, from roles already read with their
    schools (`person_roles_for`)."""
    schools: dict[int, School] = {}
    for assignment in assignments:
        if assignment.role != Role.CLASS_TEACHER or assignment.valid_from > today:
            continue
        if assignment.valid_until is not None and assignment.valid_until < today:
            continue
        for school in assignment.schools.all():
            schools[school.pk] = school
    return list(schools.values())


def person_classes_for(*, user: User, person: User, years: dict[str, SchoolYear]) -> list[ClassGroup]:
    """The classes `person` is the teacher of in the current school year of the user's counties, with their
    school and `label`. One query."""
    counties = staff_counties(user=user)
    query = Q(pk__in=[])
    for county, year in years.items():
        if county in counties:
            query |= Q(school_year=year, school__county_code=county)
    groups = list(
        ClassGroup.objects.filter(query, teacher=person)
        .select_related("school", "school_year")
        .order_by("school__name", "grade", "letter", "pk")
    )
    for group in groups:
        group.label = class_label(group.grade, group.letter)  # type: ignore[attr-defined]
    return groups


def role_grants_waiting_for(*, user: User) -> QuerySet[RoleAssignment]:
    """The waiting grants `user` may decide: every one for an administrator, those of their county for a county
    coordinator; never one they asked for or would get themself (`can_decide_role_grant`)."""
    scope = scope_for(user)
    waiting = RoleAssignment.objects.filter(pending=True).exclude(requested_by=user).exclude(user=user)
    if not scope.has(Role.ADMINISTRATOR):
        waiting = waiting.filter(county_code__in=scope.counties(Role.COUNTY_COORDINATOR))
    return waiting.select_related("user", "requested_by").prefetch_related("schools").order_by("pk")
