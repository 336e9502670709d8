"""Who may decide a child's place in the programme's target group (the screening's own rules are in
`screening/permissions.py`). Seeing the programme is `programme_list_visible_to`; seeing its members needs a role
that sees children."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for

DECIDERS = (Role.COUNTY_COORDINATOR,)


def can_decide_membership(*, user: User) -> bool:
    """The county coordinator confirms (includes), dismisses or ends a child's place in the target group."""
    return scope_for(user).has(*DECIDERS)
