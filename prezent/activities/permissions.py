"""Who may see and record the programme's activities, courses and campaign (DOMAIN.md "People"):

- county coordinator: everything in the county; maintains the catalogues (activity types, campaign event kinds),
  creates courses and gives each to a trainer;
- school coordinator and school mediator: the activities and campaign events of their schools (they record them);
- trainer ("formator"): only the courses they train: sessions, participants, attendance, scores, certificates;
- M&E viewer: the coverage table and the campaign map (counts per school, never a name);
- everyone else: nothing (404).
"""

from django.db.models import Q

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.schools.selectors import school_scope_q

ACTIVITY_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
COVERAGE_ROLES = (*ACTIVITY_ROLES, Role.ME_VIEWER)


def activity_school_q(user: User, *, prefix: str = "") -> Q:
    """A filter on School (or a relation to it through `prefix`) for the schools whose activities the user keeps."""
    return school_scope_q(user, *ACTIVITY_ROLES, prefix=prefix)


def can_configure_activity_catalogue(*, user: User) -> bool:
    """The catalogues (activity types, campaign event kinds) are the county coordinator's."""
    return scope_for(user).has(Role.COUNTY_COORDINATOR)


def can_view_coverage(*, user: User) -> bool:
    """The coverage table and the campaign map: counts per school, never a name."""
    return scope_for(user).has(*COVERAGE_ROLES)


def can_view_all_school_counts(*, user: User) -> bool:
    """The M&E viewer reads the counts (coverage, campaign map) of every school of the programme, not only those of
    a scope of their own."""
    scope = scope_for(user)
    return scope.has(Role.ME_VIEWER) and not scope.has(*ACTIVITY_ROLES)


def course_q(user: User) -> Q:
    """A filter on Course: the county coordinator's county, and a trainer's own courses."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    counties = scope.counties(Role.COUNTY_COORDINATOR)
    if counties:
        condition |= Q(county_code__in=counties)
    if scope.has(Role.TRAINER):
        condition |= Q(trainer=user)
    return condition


def can_create_courses(*, user: User) -> bool:
    return bool(scope_for(user).counties(Role.COUNTY_COORDINATOR))


def can_list_courses(*, user: User) -> bool:
    return scope_for(user).has(Role.COUNTY_COORDINATOR, Role.TRAINER)
