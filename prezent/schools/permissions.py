"""Who may change the registry. The county coordinator loads their own county's school network (the Ministry's
export) and opens its school years; nobody else does, and a file's units of another county are never written."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for

NETWORK_MANAGERS = (Role.COUNTY_COORDINATOR,)


def network_counties(*, user: User) -> list[str]:
    """The counties whose school network the user loads (those they coordinate), sorted."""
    return sorted(scope_for(user).counties(*NETWORK_MANAGERS))


def can_manage_network(*, user: User, county_code: str = "") -> bool:
    """The county coordinator uploads the network file of a county they coordinate (any of them, when no
    county is named)."""
    counties = network_counties(user=user)
    return county_code in counties if county_code else bool(counties)


def can_open_school_year(*, user: User, county_code: str) -> bool:
    """Opening a school year (its calendar, and moving every class up a grade) is the county coordinator's, for
    their county: the February week is the county inspectorate's choice, and promotion touches every school."""
    return county_code in scope_for(user).counties(Role.COUNTY_COORDINATOR)
