"""Who may decide a child's place in the programme's target group (the screening's own rules are in
`screening/permissions.py`). Seeing the programme is `programme_list_visible_to`; seeing its members needs a role
that sees children."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.programme.models import Programme

DECIDERS = (Role.COUNTY_COORDINATOR,)


def can_decide_membership(*, user: User) -> bool:
    """The county coordinator confirms (includes), dismisses or ends a child's place in the target group."""
    return scope_for(user).has(*DECIDERS)


# Setting up a programme (details, schools; its targets are set in results) is the county coordinator's, for the
# programmes of the counties they coordinate.
MANAGERS = (Role.COUNTY_COORDINATOR,)


def programme_counties(*, user: User) -> list[str]:
    """The counties where the user sets up programmes, sorted."""
    return sorted(scope_for(user).counties(*MANAGERS))


def can_create_programme(*, user: User, county_code: str = "") -> bool:
    """A county coordinator creates programmes in a county they coordinate (any of them when none is named)."""
    counties = programme_counties(user=user)
    return county_code in counties if county_code else bool(counties)


def can_manage_programme(*, user: User, programme: Programme) -> bool:
    """The county coordinator of the programme's county edits it and chooses its schools."""
    return programme.county_code in programme_counties(user=user)
