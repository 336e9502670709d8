"""What a user may import into: the school years of their counties and, for a school coordinator, their schools."""

from django.db.models import QuerySet

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import School, SchoolYear


def import_years_for(*, user: User) -> QuerySet[SchoolYear]:
    """The school years of the counties the user imports into: a county coordinator's counties, and the counties
    of a school coordinator's schools."""
    scope = scope_for(user)
    counties = set(scope.counties(Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR))
    school_ids = scope.school_ids(Role.SCHOOL_COORDINATOR, Role.COUNTY_COORDINATOR)
    if school_ids:
        counties |= set(School.objects.filter(pk__in=school_ids).values_list("county_code", flat=True))
    return SchoolYear.objects.filter(county_code__in=counties).order_by("county_code", "-start")


def import_school_ids_for(*, user: User, county_code: str) -> frozenset[int] | None:
    """None when the user may import for every school of the county (its county coordinator), else the ids of
    the county's schools the user coordinates."""
    scope = scope_for(user)
    if county_code in scope.counties(Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR):
        return None
    ids = scope.school_ids(Role.SCHOOL_COORDINATOR, Role.COUNTY_COORDINATOR)
    return frozenset(School.objects.filter(pk__in=ids, county_code=county_code).values_list("pk", flat=True))
