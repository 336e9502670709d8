"""What a person's roles let them do anywhere in scope, whatever the child or school: the gates every app asks
before its own, finer rules (which child, which school). The role sets are in `scope.py`.

Special-category data and the CNP of one child are never decided here: a role counts only at the child's school
(`children.permissions.can_view_child_ethnicity`, `can_edit_child_ethnicity`, `can_reveal_child_cnp`)."""

from prezent.accounts.models import User
from prezent.accounts.scope import ETHNICITY_ROLES, NO_CHILD_ROLES, scope_for


def can_view_children(*, user: User) -> bool:
    """Any role but those that never see a child's name (M&E viewer, administrator, trainer)."""
    return bool(scope_for(user).roles - NO_CHILD_ROLES)


def can_view_ethnicity(*, user: User) -> bool:
    """Ethnicity is special-category data (GDPR art. 9): only the roles that need it see the Roma split of the
    results, an aggregate. For one child ask `children.permissions.can_view_child_ethnicity`, which counts the
    role only at the child's school."""
    return scope_for(user).has(*ETHNICITY_ROLES)
