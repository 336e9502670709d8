"""Who may act on an alert beyond seeing it (who sees which alert is `alert_scope_q`, in selectors.py).

- county coordinator, school coordinator: dismiss an alert that needs no follow-up, in their own schools;
- county coordinator: the county overview (counts per school).
"""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.risk.models import Alert

DISMISS_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR)


def can_dismiss_alert(*, user: User, alert: Alert) -> bool:
    """Coordinators (county, school) may close an alert that needs no follow-up, in their own schools."""
    scope = scope_for(user)
    return alert.school.county_code in scope.counties(*DISMISS_ROLES) or alert.school_id in scope.school_ids(
        *DISMISS_ROLES
    )


def can_view_county_overview(*, user: User) -> bool:
    scope = scope_for(user)
    return bool(scope.counties(Role.COUNTY_COORDINATOR) or scope.school_ids(Role.COUNTY_COORDINATOR))
