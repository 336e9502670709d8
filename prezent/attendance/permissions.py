"""Who may write to the register. Reading is decided by the scoped selectors; these decide writing."""

import datetime

from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.models import ClassGroup, SchoolYear

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


def register_closed(*, school_year: SchoolYear, today: datetime.date | None = None) -> bool:
    """Whether the register of `school_year` is closed: the year ended (its last day is before today). A closed
    year's register — absences, excuses, averages, conduct — is read-only, except for the school coordinator of
    the class's school, who writes with a reason (`can_write_closed_register`). The next year's register, before
    it starts, is not closed."""
    return school_year.end < (today or timezone.localdate())


def can_write_closed_register(*, user: User, class_group: ClassGroup) -> bool:
    """Only the school coordinator of the class's school (or of its county) corrects a closed year's register,
    and always with a reason; the teacher, the form teacher and the mediator no longer may."""
    return _school_in_scope(user, class_group, Role.SCHOOL_COORDINATOR)


def register_writable(*, user: User, class_group: ClassGroup, today: datetime.date | None = None) -> bool:
    """Whether `user`, who may otherwise write the class's register, may write it on `today`: always in an open
    year, only as the school coordinator in a closed one."""
    if not register_closed(school_year=class_group.school_year, today=today):
        return True
    return can_write_closed_register(user=user, class_group=class_group)
