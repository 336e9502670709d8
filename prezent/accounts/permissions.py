"""What a person's roles let them do anywhere in scope, whatever the child or school: the gates every app asks
before its own, finer rules (which child, which school). The role sets are in `scope.py`.

Special-category data and the CNP of one child are never decided here: a role counts only at the child's school
(`children.permissions.can_view_child_ethnicity`, `can_edit_child_ethnicity`, `can_reveal_child_cnp`)."""

from prezent.accounts.models import User
from prezent.accounts.scope import NO_CHILD_ROLES, ROMA_SPLIT_ROLES, scope_for


def can_view_children(*, user: User) -> bool:
    """Any role but those that never see a child's name (M&E viewer, administrator, trainer)."""
    return bool(scope_for(user).roles - NO_CHILD_ROLES)


def can_view_roma_split(*, user: User) -> bool:
    """The Roma split of the results — figures over groups of children, each cell suppressed under five (both
    cells when either is) — for the roles that work with ethnicity and for the evaluator / funder viewer, so the
    funder's report is one report whoever downloads it. Never one child's ethnicity: for that ask
    `children.permissions.can_view_child_ethnicity`, which counts a role only at the child's school."""
    return scope_for(user).has(*ROMA_SPLIT_ROLES)
