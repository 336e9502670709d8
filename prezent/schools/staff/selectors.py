"""Reads for the staff pages: the people with roles in a county, their roles, and the school search box."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from prezent.accounts.models import RoleAssignment, User
from prezent.core.text import fold
from prezent.schools.models import School
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
