"""Who may change a county's school years."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for


def can_open_school_year(*, user: User, county_code: str) -> bool:
    """Opening a school year (its calendar, and moving every class up a grade) is the county coordinator's, for
    their county: the February week is the county inspectorate's choice, and promotion touches every school."""
    return county_code in scope_for(user).counties(Role.COUNTY_COORDINATOR)
