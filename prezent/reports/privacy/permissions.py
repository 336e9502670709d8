"""Who answers a data subject's request for access (GDPR art. 15) for one child and their family.

Prezent has no role of its own for the data-protection officer: the inspectorate's DPO works through the county
coordinator, who holds every child's record of the county. So the export belongs to the county coordinator, for a
child whose school (or record outside school) their coordinator role reaches — never through another role the
person holds (decision 46)."""

from prezent.accounts.models import Role, User
from prezent.accounts.scope import scope_for
from prezent.children.models import Child, Enrolment, OutOfSchool
from prezent.children.permissions import enrolment_reach_q, outside_scope_q

DATA_PROTECTION_ROLES = (Role.COUNTY_COORDINATOR,)


def can_export_child_data(*, user: User, child: Child) -> bool:
    """The access export of everything Prezent holds about this child and their family: the county coordinator
    (acting for the data-protection officer) whose county role reaches a school the child is, or was within a
    year, enrolled in, or the area of the child's record outside school."""
    if not scope_for(user).has(*DATA_PROTECTION_ROLES):
        return False
    if Enrolment.objects.filter(enrolment_reach_q(user, *DATA_PROTECTION_ROLES), child=child).exists():
        return True
    return OutOfSchool.objects.filter(outside_scope_q(user, *DATA_PROTECTION_ROLES), child=child).exists()
