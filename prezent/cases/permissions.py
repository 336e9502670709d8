"""Who may see and change which case. The rules per role (DOMAIN.md "People"):

- county coordinator: every case of the children of their county's schools; approves closures; keeps the catalogue;
- NGO case worker: the cases of the children of their assigned schools; opens and runs cases;
- school coordinator: the cases of their schools; opens and runs cases like the case worker;
- school mediator: reads the cases of their schools and records home visits, interventions and team notes;
- class teacher: reads the cases of the pupils currently in their classes (plan, interventions, visits, team
  notes), never an assessment, a referral or a confidential note;
- trainer, M&E viewer, administrator: no case (the results app reads counts only).

A case belongs to the schools where the child is (or was in the last year) enrolled, as for the child's record.
Confidential notes reach only the case worker and the coordinators (CONFIDENTIAL_ROLES) of the case's schools.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.cases.models import Case, Intervention
from prezent.children.models import Enrolment
from prezent.children.permissions import HISTORY_DAYS
from prezent.schools.selectors import school_scope_q

MANAGE_ROLES = (Role.CASE_WORKER, Role.SCHOOL_COORDINATOR, Role.COUNTY_COORDINATOR)
FIELD_ROLES = (*MANAGE_ROLES, Role.SCHOOL_MEDIATOR)
READ_ROLES = (*FIELD_ROLES, Role.CLASS_TEACHER)
CONFIDENTIAL_ROLES = MANAGE_ROLES
APPROVE_ROLES = (Role.COUNTY_COORDINATOR,)
CATALOGUE_ROLES = (Role.COUNTY_COORDINATOR,)
# Who moves a case to another case worker: the county coordinator (the county's cases), the school coordinator
# (the cases of their schools). The case worker does not hand their own cases to a colleague.
REASSIGN_ROLES = (Role.COUNTY_COORDINATOR, Role.SCHOOL_COORDINATOR)


def child_in_schools_q(user: User, *roles: str, today: datetime.date | None = None) -> Q:
    """A filter on Case: the child is (or was within a year) enrolled in a school the user's `roles` reach."""
    day = today or timezone.localdate()
    recent = Q(end__isnull=True) | Q(end__gte=day - datetime.timedelta(days=HISTORY_DAYS))
    school_roles = [r for r in roles if r != Role.CLASS_TEACHER]
    condition = Q(pk__in=[])
    if scope_for(user).has(*school_roles):
        enrolments = Enrolment.objects.filter(
            recent, school_scope_q(user, *school_roles, prefix="class_group__school__"), child=OuterRef("child_id")
        )
        condition |= Q(Exists(enrolments))
    if Role.CLASS_TEACHER in roles and scope_for(user).has(Role.CLASS_TEACHER):
        own = Enrolment.objects.filter(child=OuterRef("child_id"), class_group__teacher=user, end__isnull=True)
        condition |= Q(Exists(own))
    return condition


def case_scope_q(user: User) -> Q:
    return child_in_schools_q(user, *READ_ROLES)


def can_view_cases(*, user: User) -> bool:
    return scope_for(user).has(*READ_ROLES)


def can_open_cases(*, user: User) -> bool:
    return scope_for(user).has(*MANAGE_ROLES)


def can_configure_intervention_catalogue(*, user: User) -> bool:
    return bool(scope_for(user).counties(*CATALOGUE_ROLES))


@dataclass(frozen=True)
class CaseAccess:
    """What the user may do on one case."""

    manage: bool = False  # assessment, plan, referrals, states
    field: bool = False  # home visits, interventions, team notes
    confidential: bool = False  # read and write confidential notes
    approve: bool = False  # approve a closure
    reassign: bool = False  # move the case to another case worker


def case_access(*, user: User, case: Case) -> CaseAccess:
    """One query: which of the role groups reach this case."""
    scope = scope_for(user)
    if not scope.has(*FIELD_ROLES):
        return CaseAccess()
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            a_manage=Exists(Case.objects.filter(child_in_schools_q(user, *MANAGE_ROLES), pk=OuterRef("pk"))),
            a_field=Exists(Case.objects.filter(child_in_schools_q(user, *FIELD_ROLES), pk=OuterRef("pk"))),
            a_approve=Exists(Case.objects.filter(child_in_schools_q(user, *APPROVE_ROLES), pk=OuterRef("pk"))),
            a_reassign=Exists(Case.objects.filter(child_in_schools_q(user, *REASSIGN_ROLES), pk=OuterRef("pk"))),
        )
        .values("a_manage", "a_field", "a_approve", "a_reassign")
        .first()
    )
    if row is None:
        return CaseAccess()
    return CaseAccess(
        manage=bool(row["a_manage"]),
        field=bool(row["a_field"]),
        confidential=bool(row["a_manage"]) and scope.has(*CONFIDENTIAL_ROLES),
        approve=bool(row["a_approve"]),
        reassign=bool(row["a_reassign"]),
    )


def can_reassign_case(*, user: User, case: Case, access: CaseAccess | None = None) -> bool:
    """The county coordinator, or the school coordinator of the case's schools, may move the case to another case
    worker (`access`, when the caller has it, saves the query)."""
    return (access or case_access(user=user, case=case)).reassign


def can_hand_over_case(*, user: User, case: Case, access: CaseAccess | None = None) -> bool:
    """Whoever manages the case hands it over to the school or to SPAS; the county coordinator's handover closes it
    at once, anyone else's waits for the coordinator's approval like any closure."""
    return (access or case_access(user=user, case=case)).manage


def can_remove_intervention(*, user: User, intervention: Intervention, access: CaseAccess) -> bool:
    """An intervention recorded by mistake is removed by whoever recorded it or by whoever manages the case, among
    those who work on the case in the field; `access` is `case_access` for the intervention's case. (A closed case
    keeps its interventions: `intervention_remove` refuses it with a message.)"""
    return access.field and (access.manage or intervention.delivered_by_id == user.pk)
