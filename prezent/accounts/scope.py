"""The one place that says what a user's role assignments let them reach.

Selectors of every app build their querysets from `scope_for(user)`; nothing else reads role assignments.
"""

from dataclasses import dataclass, field

from prezent.accounts.models import Role, RoleAssignment, User

# Roles that may see the special-category field "ethnicity" of a child or a parent (GDPR art. 9): of a child only
# where the role reaches the child's school (`children.permissions.can_view_child_ethnicity`).
ETHNICITY_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.CASE_WORKER, Role.SCHOOL_MEDIATOR})
# Roles that may reveal a child's CNP (Law 190/2018), where the role reaches the child's school; each reveal is logged.
CNP_ROLES = frozenset({Role.COUNTY_COORDINATOR, Role.CASE_WORKER, Role.SCHOOL_COORDINATOR})
# Roles that see the Roma split of the results, an aggregate over at least five children on each side (both cells
# suppressed otherwise): the ethnicity roles and the evaluator / funder viewer, who reports the programme's Roma
# figures to the funder but never sees one child's ethnicity (issue: one funder report for everyone).
ROMA_SPLIT_ROLES = ETHNICITY_ROLES | {Role.ME_VIEWER}
# Roles that never see a child's name.
NO_CHILD_ROLES = frozenset({Role.ME_VIEWER, Role.ADMINISTRATOR, Role.TRAINER})


@dataclass(frozen=True)
class Scope:
    """What one user may reach today, per role."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    counties_by_role: dict[str, frozenset[str]] = field(default_factory=dict)
    schools_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def counties(self, *roles: str) -> frozenset[str]:
        return frozenset().union(*(self.counties_by_role.get(r, frozenset()) for r in roles))

    def school_ids(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.schools_by_role.get(r, frozenset()) for r in roles))


EMPTY_SCOPE = Scope(user_id=None)


def scope_for(user: User | object) -> Scope:
    """Read the user's active role assignments once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_prezent_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    assert isinstance(user, User)
    roles: set[str] = set()
    counties: dict[str, set[str]] = {}
    schools: dict[str, set[int]] = {}
    assignments = RoleAssignment.objects.active().filter(user=user).prefetch_related("schools")
    for assignment in assignments:
        roles.add(assignment.role)
        if assignment.scope_kind == RoleAssignment.ScopeKind.COUNTY:
            counties.setdefault(assignment.role, set()).add(assignment.county_code)
        elif assignment.scope_kind == RoleAssignment.ScopeKind.SCHOOLS:
            schools.setdefault(assignment.role, set()).update(s.pk for s in assignment.schools.all())
    scope = Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        counties_by_role={k: frozenset(v) for k, v in counties.items()},
        schools_by_role={k: frozenset(v) for k, v in schools.items()},
    )
    user._prezent_scope = scope  # type: ignore[attr-defined]
    return scope
