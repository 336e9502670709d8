"""Who may see a county's backtest and save its fitted weights as a proposed rule-set version: the county
coordinator, for the counties of their role (the page shows counts and figures, never a child)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for


def can_view_backtest(*, user: User) -> bool:
    return bool(scope_for(user).counties(Role.COUNTY_COORDINATOR))
