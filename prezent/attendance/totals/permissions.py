"""Who may import a previous year's absence totals: the county coordinator for the county's pupils, the school
coordinator for the pupils of their schools (`import_school_ids` in the selectors says which)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import School, SchoolYear

TOTALS_IMPORTERS = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR)


def can_import_absence_totals(*, user: User, school_year: SchoolYear | None = None) -> bool:
    """Without a year: whether the user may import at all (the menu link, the upload page). With a year: into that
    county's year — a county-wide importing role in the county, or a school coordinator of one of its schools."""
    scope = scope_for(user)
    if not scope.has(*TOTALS_IMPORTERS):
        return False
    if school_year is None:
        return True
    if school_year.county_code in scope.counties(*TOTALS_IMPORTERS):
        return True
    school_ids = scope.school_ids(*TOTALS_IMPORTERS)
    return bool(school_ids) and School.objects.filter(pk__in=school_ids, county_code=school_year.county_code).exists()
