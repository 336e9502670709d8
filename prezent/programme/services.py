"""The target group: a child's path screened → proposed → included → exited, one checked transition table."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.models import Child
from prezent.core.services import audit_record
from prezent.programme.models import (
    MEMBERSHIP_TRANSITIONS,
    MembershipStatus,
    MembershipStep,
    Programme,
    TargetGroupMembership,
)


@transaction.atomic
def membership_move(
    *,
    programme: Programme,
    child: Child,
    to_status: str,
    on: datetime.date,
    reason: str,
    actor: User | None,
) -> TargetGroupMembership:
    """Move a child to `to_status` in the programme's target group, keeping the step with date, reason, actor."""
    if not reason.strip():
        raise ValidationError({"reason": _("Scrieți motivul.")})
    membership = TargetGroupMembership.objects.select_for_update().filter(programme=programme, child=child).first()
    from_status = membership.status if membership else ""
    if membership is None:
        if to_status not in (MembershipStatus.SCREENED, MembershipStatus.PROPOSED):
            raise ValidationError(_("Un copil intră în grupul țintă mai întâi ca evaluat sau propus."))
        membership = TargetGroupMembership.objects.create(programme=programme, child=child, status=to_status, since=on)
    else:
        if to_status not in MEMBERSHIP_TRANSITIONS[membership.status]:
            raise ValidationError(
                _("Trecerea din „%(a)s” în „%(b)s” nu este permisă.")
                % {"a": membership.get_status_display(), "b": MembershipStatus(to_status).label}
            )
        if on < membership.since:
            raise ValidationError({"on": _("Data nu poate fi înaintea pasului anterior.")})
        membership.status = to_status
        membership.since = on
        membership.save(update_fields=["status", "since"])
    MembershipStep.objects.create(
        membership=membership, from_status=from_status, to_status=to_status, date=on, reason=reason, actor=actor
    )
    audit_record(
        actor=actor,
        action="target_group.move",
        target=membership,
        details={"child": child.pk, "from": from_status, "to": to_status},
    )
    return membership
