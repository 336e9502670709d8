"""Who may mark the pupils of a class who repeat the year (read by promotion when the next year opens)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import ClassGroup

REPEATER_MARKERS = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR)


def can_edit_repeaters(*, user: User, class_group: ClassGroup) -> bool:
    """The school records the teachers' council's decision: the school coordinator of the class's school, or the
    county coordinator of its county. Teachers, mediators and case workers do not."""
    scope = scope_for(user)
    return class_group.school.county_code in scope.counties(
        *REPEATER_MARKERS
    ) or class_group.school_id in scope.school_ids(*REPEATER_MARKERS)
