"""What a person's roles let them do anywhere in scope, whatever the child or school: the gates every app asks
before its own, finer rules (which child, which school). The role sets are in `scope.py`."""

from prezent.accounts.models import User
from prezent.accounts.scope import CNP_ROLES, ETHNICITY_ROLES, NO_CHILD_ROLES, scope_for


def can_view_children(*, user: User) -> bool:
    """Any role but those that never see a child's name (M&E viewer, administrator, trainer)."""
    return bool(scope_for(user).roles - NO_CHILD_ROLES)


def can_view_ethnicity(*, user: User) -> bool:
    """Ethnicity is special-category data (GDPR art. 9): only the roles that need it see or record it, and the
    Roma split of the results."""
    return scope_for(user).has(*ETHNICITY_ROLES)


def can_reveal_cnp(*, user: User) -> bool:
    """The CNP stays masked until one of these roles reveals it; each reveal is logged."""
    return scope_for(user).has(*CNP_ROLES)
