"""Who may write to the register. Reading is decided by the scoped selectors; these decide writing."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import ClassGroup

REGISTER_WRITERS = (Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)


def _school_in_scope(user: User, class_group: ClassGroup, *roles: str) -> bool:
    scope = scope_for(user)
    school = class_group.school
    return school.pk in scope.school_ids(*roles) or school.county_code in scope.counties(*roles)


def can_take_register(*, user: User, class_group: ClassGroup) -> bool:
    """The class's own teacher; the school coordinator and the mediator, who copy registers weekly."""
    if class_group.teacher_id == user.pk and scope_for(user).has(Role.CLASS_TEACHER):
        return True
    return _school_in_scope(user, class_group, *REGISTER_WRITERS)


def can_excuse_absences(*, user: User, class_group: ClassGroup) -> bool:
    """Excusing (motivare) is done by the form teacher or the school coordinator."""
    if class_group.teacher_id == user.pk and scope_for(user).has(Role.CLASS_TEACHER):
        return True
    return _school_in_scope(user, class_group, Role.SCHOOL_COORDINATOR)


def can_view_register_overview(*, user: User) -> bool:
    """The school-wide register status and the weekly summary are for coordinators and mediators."""
    return scope_for(user).has(Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR, Role.COUNTY_COORDINATOR)
