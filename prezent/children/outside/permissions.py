"""Who may list, record and close records of children outside school. Who sees which record (and, through it, the
child) is written once with the rest of the child rules, in `prezent/children/permissions.py` (`outside_scope_q`):

- county coordinator, school coordinator, mediator, case worker: the records of their area (county, or the
  communes of their schools, or the child's last school among their schools);
- class teacher, M&E viewer, trainer, administrator: none.

Recording, re-enrolling and closing: the writers of a child's record (county coordinator, school coordinator,
mediator) in their area; the case worker only reads.
"""

from prezent.accounts.models import User
from prezent.accounts.scope import scope_for
from prezent.children.models import OutOfSchool
from prezent.children.permissions import CHILD_WRITERS, OUTSIDE_VIEWERS, locality_reach_q, outside_scope_q
from prezent.schools.models import Locality


def can_list_outside_children(*, user: User) -> bool:
    """The list "Copii în afara școlii": a role that sees records outside school anywhere."""
    return scope_for(user).has(*OUTSIDE_VIEWERS)


def can_record_outside_child(*, user: User, locality: Locality | None = None) -> bool:
    """Recording a child outside school: a writing role, and (when the locality is known) one that covers it."""
    if not scope_for(user).has(*CHILD_WRITERS):
        return False
    if locality is None:
        return True
    return Locality.objects.filter(locality_reach_q(user, *CHILD_WRITERS), pk=locality.pk).exists()


def can_edit_outside_record(*, user: User, record: OutOfSchool) -> bool:
    """Re-enrolling the child or closing the record: an open record in the area of one of the user's writing
    roles."""
    if not record.is_open or not scope_for(user).has(*CHILD_WRITERS):
        return False
    return OutOfSchool.objects.filter(outside_scope_q(user, *CHILD_WRITERS), pk=record.pk).exists()
