"""Who may do what with the programme's results. Everything else is 404 (deny by default).

- The county coordinator and the evaluator / funder viewer read the dashboards, the map and the exports of
  aggregates (the evaluator never sees a child's name; the pseudonymised dataset has no names).
- Only the county coordinator approves and locks a period and revises targets.
- The lists for social services (HG 691/2015) name children: the county coordinator and the school's own
  coordinator and mediator produce them, for the schools in their scope.
- The Roma split is shown to the roles that see ethnicity and to the evaluator / funder viewer
  (`accounts.permissions.can_view_roma_split`), only in aggregates with small cells hidden: the funder's report is
  the same whoever downloads it.
"""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for

DASHBOARD_ROLES = (Role.COUNTY_COORDINATOR, Role.ME_VIEWER)
MANAGER_ROLES = (Role.COUNTY_COORDINATOR,)
HG691_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)


def can_view_results(*, user: User) -> bool:
    return scope_for(user).has(*DASHBOARD_ROLES)


def can_manage_results(*, user: User) -> bool:
    return scope_for(user).has(*MANAGER_ROLES)


def can_export_hg691(*, user: User) -> bool:
    return scope_for(user).has(*HG691_ROLES)
