"""Who sees the pages that compose several domains (beyond a child's record, decided in children)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for


def setup_counties(*, user: User) -> list[str]:
    """The counties whose set-up the user follows (those they coordinate), sorted."""
    return sorted(scope_for(user).counties(Role.COUNTY_COORDINATOR))


def can_view_county_setup(*, user: User) -> bool:
    """The county set-up page (the first day's steps and where each stands) is the county coordinator's."""
    return bool(setup_counties(user=user))
