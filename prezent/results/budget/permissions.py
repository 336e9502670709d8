"""Who may see and change the programme's budget. Everything else is 404 (deny by default).

- The budget page, the list of costs and the invoices are read by whoever reads the results: the county
  coordinator and the evaluator / funder viewer (money, no child).
- Only the county coordinator changes the budget: lines, planned amounts, the exchange rate, unit costs, costs
  and invoices.
"""

from prezent.accounts.models import User
from prezent.accounts.scope import scope_for
from prezent.results.permissions import DASHBOARD_ROLES, MANAGER_ROLES


def can_view_budget(*, user: User) -> bool:
    return scope_for(user).has(*DASHBOARD_ROLES)


def can_manage_budget(*, user: User) -> bool:
    return scope_for(user).has(*MANAGER_ROLES)
