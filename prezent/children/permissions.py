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

Special-category data and the CNP are decided the same way, per school for each role (architecture decision 40):
the child's declared ethnicity — on the record, in the consent list (a consent for the ethnicity declaration says
that one was declared), and recording it — needs a role in ETHNICITY_ROLES that reaches a school the child is "of"
(or the area of the child's record outside school); revealing the CNP needs a role in CNP_ROLES reaching it. A case
worker in school A who teaches a class in school B sees, reveals and records these for the children of A, never
for those of B. The person-level gates in `accounts.permissions` stay for the aggregate pages (the Roma split of
the results), never for one child. These predicates take a child the caller already found in scope.

Children outside school (`OutOfSchool`, recorded by the mediator; `prezent/children/outside/`) are not enrolled
anywhere, so they are "of" a place instead: the county of the record for a county-wide role, else the communes
(UATs) of the role's schools — the locality recorded is a village of the commune of one of the schools, or the
commune itself — or the last school the child attended. The county coordinator, the school coordinator, the
mediator and the case worker (OUTSIDE_VIEWERS) see a record open, or closed within a year, in that area, and through
it the child's page; the class teacher, the M&E viewer, the trainer and the administrator never do. The writers
(CHILD_WRITERS) record, re-enrol and close in their area, and write for a child with a record in their area as for
an enrolled one.
"""

import datetime

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import CNP_ROLES, ETHNICITY_ROLES, scope_for
from prezent.children.models import Child, Enrolment, OutOfSchool
from prezent.schools.models import Locality

CASEWORK_STATUSES = ("proposed", "included")
CHILD_WRITERS = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR)
# The writers who may also change a child's CNP: those among them who may see it.
CNP_WRITERS = tuple(role for role in CHILD_WRITERS if role in CNP_ROLES)
HISTORY_DAYS = 365
OUTSIDE_VIEWERS = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR, Role.SCHOOL_MEDIATOR, Role.CASE_WORKER)


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


def _communes_of(school_ids: frozenset[int]):  # type: ignore[no-untyped-def]
    """A subquery: the communes (UATs) of these schools' localities (a village's UAT, or the UAT itself)."""
    return Locality.objects.filter(schools__pk__in=school_ids).values_list(Coalesce("uat_id", "pk"), flat=True)


def locality_reach_q(user: User, *roles: str, prefix: str = "") -> Q:
    """A filter on Locality (or on a model's locality, with `prefix="locality__"`) for the localities that one of
    `roles` covers: its counties, or the communes of its schools."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    counties = scope.counties(*roles)
    if counties:
        condition |= Q(**{f"{prefix}county_code__in": counties})
    school_ids = scope.school_ids(*roles)
    if school_ids:
        communes = _communes_of(school_ids)
        condition |= Q(**{f"{prefix}uat_id__in": communes}) | Q(**{f"{prefix}pk__in": communes})
    return condition


def outside_scope_q(user: User, *roles: str, today: datetime.date | None = None) -> Q:
    """A filter on OutOfSchool for the records (open, or closed within a year) in the area one of `roles` (by
    default OUTSIDE_VIEWERS) reaches for `user`: the record's county, the communes of the role's schools, or the
    child's last school."""
    scope = scope_for(user)
    roles = roles or OUTSIDE_VIEWERS
    condition = Q(pk__in=[])
    counties = scope.counties(*roles)
    if counties:
        condition |= Q(county_code__in=counties)
    school_ids = scope.school_ids(*roles)
    if school_ids:
        condition |= locality_reach_q(user, *roles, prefix="locality__") | Q(last_school_id__in=school_ids)
    day = today or timezone.localdate()
    recent = Q(status=OutOfSchool.Status.OUTSIDE) | Q(closed_on__gte=day - datetime.timedelta(days=HISTORY_DAYS))
    return condition & recent


def can_create_children(*, user: User) -> bool:
    """Adding a child to a class: a writing role anywhere (the classes offered are those of the schools it
    reaches, `class_list_writable_by`)."""
    return scope_for(user).has(*CHILD_WRITERS)


def _reaches(user: User, child: Child, roles: tuple[str, ...] | frozenset[str]) -> bool:
    """One of `roles`, as the user holds it, reaches a school the child is "of" or the area of their record
    outside school: at most two queries, none when the user holds none of the roles."""
    if not scope_for(user).has(*roles):
        return False
    if Enrolment.objects.filter(enrolment_reach_q(user, *roles), child=child).exists():
        return True
    return OutOfSchool.objects.filter(outside_scope_q(user, *roles), child=child).exists()


def can_edit_child(*, user: User, child: Child) -> bool:
    """Writing for this child (details, parents, consents, class): one of the user's writing roles reaches a school
    where the child is, or was within a year, enrolled, or the area of the child's record outside school."""
    return _reaches(user, child, CHILD_WRITERS)


def can_edit_child_cnp(*, user: User, child: Child) -> bool:
    """Changing the child's CNP: as `can_edit_child`, with a writing role that may also see the CNP."""
    return _reaches(user, child, CNP_WRITERS)


def can_view_child_ethnicity(*, user: User, child: Child) -> bool:
    """Seeing this child's declared ethnicity, and the consents for declaring it: a role in ETHNICITY_ROLES held at
    a school the child is of (for a county-wide assignment, in the child's county)."""
    return _reaches(user, child, ETHNICITY_ROLES)


def can_edit_child_ethnicity(*, user: User, child: Child) -> bool:
    """Recording this child's declared ethnicity, or a consent for declaring it: who may see it for this child."""
    return _reaches(user, child, ETHNICITY_ROLES)


def can_reveal_child_cnp(*, user: User, child: Child) -> bool:
    """Revealing this child's CNP: a role in CNP_ROLES held at a school the child is of."""
    return _reaches(user, child, CNP_ROLES)
