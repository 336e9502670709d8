"""Who may see which child. The rules per role (DOMAIN.md "People"):

- county coordinator: every child in the county's schools;
- school coordinator, school mediator: the children of their schools;
- NGO case worker: the children of their assigned schools who are proposed for or included in a target group;
- class teacher: the children currently enrolled in the classes they teach;
- M&E viewer, trainer, administrator: no child.

A child is "of a school" while enrolled there, and for a year after the enrolment ended, so a school still sees
the record of a pupil who moved away this year.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for

CASEWORK_STATUSES = ("proposed", "included")
HISTORY_DAYS = 365


def enrolment_scope_q(user: User, *, today: datetime.date | None = None) -> Q:
    """A filter on Enrolment for the enrolments that make a child visible to `user`."""
    scope = scope_for(user)
    day = today or timezone.localdate()
    recent = Q(end__isnull=True) | Q(end__gte=day - datetime.timedelta(days=HISTORY_DAYS))
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
