"""Who manages staff and their roles: the county coordinator, inside their own county, never the administrator
role (that stays in the Django admin)."""

from prezent.accounts.models import Role, RoleAssignment, User
from prezent.accounts.scope import NO_CHILD_ROLES, scope_for

# The roles a county coordinator gives, with the scope each takes: a county-wide role, roles over schools, and
# the trainer, who sees no child (their courses only) and is kept with the county that gave the role.
GIVABLE_SCOPES: dict[str, str] = {
    Role.COUNTY_COORDINATOR: RoleAssignment.ScopeKind.COUNTY,
    Role.SCHOOL_COORDINATOR: RoleAssignment.ScopeKind.SCHOOLS,
    Role.CLASS_TEACHER: RoleAssignment.ScopeKind.SCHOOLS,
    Role.SCHOOL_MEDIATOR: RoleAssignment.ScopeKind.SCHOOLS,
    Role.CASE_WORKER: RoleAssignment.ScopeKind.SCHOOLS,
    Role.TRAINER: RoleAssignment.ScopeKind.NONE,
}


def staff_counties(*, user: User) -> frozenset[str]:
    """The counties where `user` manages staff (where they are county coordinator today)."""
    return scope_for(user).counties(Role.COUNTY_COORDINATOR)


def can_manage_staff(*, user: User, county_code: str) -> bool:
    """The county coordinator of `county_code` imports staff, invites them and gives, ends and extends roles."""
    return bool(county_code) and county_code in staff_counties(user=user)


def can_give_role(*, user: User, role: str, county_code: str) -> bool:
    """A role from GIVABLE_SCOPES (never the administrator or the evaluator), in the user's own county."""
    return role in GIVABLE_SCOPES and can_manage_staff(user=user, county_code=county_code)


def can_edit_role(*, user: User, assignment: RoleAssignment, county_code: str) -> bool:
    """End or extend a role given in the user's county (`county_code`, the county the assignment belongs to, read
    by the selector); never the administrator's."""
    return assignment.role != Role.ADMINISTRATOR and can_manage_staff(user=user, county_code=county_code)


def role_grant_needs_confirmation(*, actor: User | None, role: str) -> bool:
    """A role that sees children, given by someone who holds the administrator role (a role meant to see no
    child), waits for a second person's confirmation (decision 45)."""
    return actor is not None and role not in NO_CHILD_ROLES and scope_for(actor).has(Role.ADMINISTRATOR)


def can_decide_role_grant(*, user: User, assignment: RoleAssignment) -> bool:
    """A waiting grant is confirmed or refused by a second administrator or by a county coordinator of its county,
    never by the person who asked for it nor by the person who would get it."""
    if not assignment.pending or user.pk in (assignment.requested_by_id, assignment.user_id):
        return False
    scope = scope_for(user)
    return scope.has(Role.ADMINISTRATOR) or assignment.county_code in scope.counties(Role.COUNTY_COORDINATOR)


def can_list_role_grants(*, user: User) -> bool:
    """The page of waiting grants: administrators and county coordinators."""
    return scope_for(user).has(Role.ADMINISTRATOR, Role.COUNTY_COORDINATOR)
