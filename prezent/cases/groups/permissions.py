"""Who records group deliveries (docs/architecture.md, decision 48).

- distribution lists and a group's daily attendance: whoever records interventions at the school — the county
  coordinator (their county's schools), the case worker, the school coordinator and the school mediator (their
  schools); the class teacher, trainer, M&E viewer and administrator do not;
- creating a group and enrolling its children: those who run cases at the school (the mediator ticks attendance).
"""

from django.db.models import Q

from prezent.accounts.models import User
from prezent.accounts.scope import scope_for
from prezent.cases.models import ServiceGroup
from prezent.cases.permissions import FIELD_ROLES, MANAGE_ROLES
from prezent.schools.models import School
from prezent.schools.selectors import school_scope_q

DELIVERY_ROLES = FIELD_ROLES
GROUP_ROLES = MANAGE_ROLES


def delivery_school_q(user: User, *, prefix: str = "") -> Q:
    """A filter on School (or on a relation to it, through `prefix`): the schools where the user records services."""
    return school_scope_q(user, *DELIVERY_ROLES, prefix=prefix)


def _reaches(user: User, school: School, roles: tuple[str, ...]) -> bool:
    scope = scope_for(user)
    return school.pk in scope.school_ids(*roles) or school.county_code in scope.counties(*roles)


def can_record_deliveries(*, user: User, school: School | None = None) -> bool:
    """Records distribution lists and attendance at all (no school), or at `school`."""
    if school is None:
        return scope_for(user).has(*DELIVERY_ROLES)
    return _reaches(user, school, DELIVERY_ROLES)


def can_open_deliveries_at(*, user: User, school_id: int, county_code: str) -> bool:
    """Opens the distribution lists and the groups of a school known by its id and county (a summary's row, without
    loading the school): whoever records deliveries there, as `can_record_deliveries`."""
    scope = scope_for(user)
    return school_id in scope.school_ids(*DELIVERY_ROLES) or county_code in scope.counties(*DELIVERY_ROLES)


def can_create_groups(*, user: User, school: School | None = None) -> bool:
    """Creates groups at all (no school), or at `school`."""
    if school is None:
        return scope_for(user).has(*GROUP_ROLES)
    return _reaches(user, school, GROUP_ROLES)


def can_edit_group(*, user: User, group: ServiceGroup) -> bool:
    """Enrols and removes the children of a group: who may create a group at its school."""
    return _reaches(user, group.school, GROUP_ROLES)
