"""Who may see which child. The rules per role (DOMAIN.md "People"):

- county coordinator: every child in the county's schools;
- school coordinator, school mediator: the children of their schools;
- NGO case worker: the children of their assigned schools who are proposed for or included in a target group;
- class teacher: the children currently enrolled in the classes they teach;
- M&E viewer, trainer, administrator: no child.

A child is "of a school" while enrolled there, and for a year after the enrolment ended, so a school still sees
the record of a pupil who moved away this year.

Who may write (change the child's details, add parents, record or withdraw a consent, move between classes): the
county coordinator, the school coordinator and the mediator (CHILD_WRITERS), each only for the children of the
schools that role reaches — the county's schools for a county-wide assignment, else the assigned schools. Rights
are decided per school for each role a person holds: a teacher of a class in one school who is also the mediator
of another school writes only for the children of the second one. Changing a child's CNP also needs a role that
may see it (CNP_ROLES) reaching the child's school.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import CNP_ROLES, scope_for
from prezent.children.models import Child, Enrolment

CASEWORK_STATUSES = ("proposed", "included")
CHILD_WRITERS = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
# The writers who may also change a child's CNP: those among them who may see it.
CNP_WRITERS = tuple(role for role in CHILD_WRITERS if role in CNP_ROLES)
HISTORY_DAYS = 365


def _recent_q(today: datetime.date | None) -> Q:
    day = today or timezone.localdate()
    return Q(end__isnull=True) | Q(end__gte=day - datetime.timedelta(days=HISTORY_DAYS))


def enrolment_scope_q(user: User, *, today: datetime.date | None = None) -> Q:
    """A filter on Enrolment for the enrolments that make a child visible to `user`."""
    scope = scope_for(user)
    recent = _recent_q(today)
    condition = Q(pk__in=[])
    counties = scope.counties(Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
    if counties:
        condition |= Q(class_group__school__county_code__in=counties) & recent
    school_ids = scope.school_ids(Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
    if school_ids:
        condition |= Q(class_group__school_id__in=school_ids) & recent
    casework = Q(child__target_memberships__status__in=CASEWORK_STATUSES)
    if scope.counties(Role.CASE_WORKER):
        condition |= Q(class_group__school__county_code__in=scope.counties(Role.CASE_WORKER)) & recent & casework
    if scope.school_ids(Role.CASE_WORKER):
        condition |= Q(class_group__school_id__in=scope.school_ids(Role.CASE_WORKER)) & recent & casework
    if scope.has(Role.CLASS_TEACHER):
        condition |= Q(class_group__teacher=user, end__isnull=True)
    return condition


def enrolment_reach_q(user: User, *roles: str, today: datetime.date | None = None) -> Q:
    """A filter on Enrolment for the enrolments (current, or ended within a year) in a school that one of `roles`
    reaches for `user`. Only those roles count, whatever else the user holds."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    counties = scope.counties(*roles)
    if counties:
        condition |= Q(class_group__school__county_code__in=counties)
    school_ids = scope.school_ids(*roles)
    if school_ids:
        condition |= Q(class_group__school_id__in=school_ids)
    return condition & _recent_q(today)


def can_create_children(*, user: User) -> bool:
    """Adding a child to a class: a writing role anywhere (the classes offered are those of the schools it
    reaches, `class_list_writable_by`)."""
    return scope_for(user).has(*CHILD_WRITERS)


def _writes_for(user: User, child: Child, roles: tuple[str, ...]) -> bool:
    if not scope_for(user).has(*roles):
        return False
    return Enrolment.objects.filter(enrolment_reach_q(user, *roles), child=child).exists()


def can_edit_child(*, user: User, child: Child) -> bool:
    """Writing for this child (details, parents, consents, class): one of the user's writing roles reaches a school
    where the child is, or was within a year, enrolled."""
    return _writes_for(user, child, CHILD_WRITERS)


def can_edit_child_cnp(*, user: User, child: Child) -> bool:
    """Changing the child's CNP: as `can_edit_child`, with a writing role that may also see the CNP."""
    return _writes_for(user, child, CNP_WRITERS)
