"""Who may import pupils from a SIIIR export: the county coordinator (any school of the county) and the school
coordinator (their own schools only; rows of other schools are refused)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for

IMPORT_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR)


def can_create_pupil_imports(*, user: User) -> bool:
    return scope_for(user).has(*IMPORT_ROLES)
