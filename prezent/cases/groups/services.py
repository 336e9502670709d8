"""Writes of group deliveries. A distribution list and a group day are saved whole, in one transaction and a
constant number of queries: the ticks are compared with the saved ones, new ones bulk-inserted, changed quantities
bulk-updated, unticked ones deleted — saving again the same ticks changes nothing. Every write is audited with ids,
codes and counts."""

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.cases.groups.permissions import can_create_groups, can_edit_group, can_record_deliveries
from prezent.cases.groups.selectors import group_types, programme_children_of_school
from prezent.cases.models import DeliveryList, Intervention, InterventionType, Recipient, ServiceGroup
from prezent.core.bulk import rows_insert
from prezent.core.services import audit_record
from prezent.schools.models import School

MAX_QUANTITY = 1000
# A tick is inserted as a plain row (`rows_insert`: COPY on PostgreSQL, multi-row INSERTs elsewhere), in this order.
INTERVENTION_COLUMNS = (
    "case",
    "delivery_list",
    "group",
    "child",
    "type",
    "delivered_on",
    "delivered_by",
    "recipient",
    "quantity",
    "notes",
    "created_at",
)


@dataclass(frozen=True)
class Saved:
    added: int
    changed: int
    removed: int

    @property
    def ticks_changed(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _refuse_future(day: datetime.date, errors: dict[str, str]) -> None:
    if day > timezone.localdate():
        errors["day"] = _("Data nu poate fi în viitor.")


@transaction.atomic
def delivery_list_save(
    *, school: School, kind: InterventionType, day: datetime.date, ticks: Mapping[int, int], actor: User
) -> Saved:
    """Save the distribution list of `kind` at `school` on `day`: `ticks` maps each ticked child to a quantity.
    Only the programme's children of the school on that day may be ticked; an unticked child's delivery goes."""
    if not can_record_deliveries(user=actor, school=school):
        raise ValidationError(_("Nu puteți înregistra livrări la această școală."))
    errors: dict[str, str] = {}
    _refuse_future(day, errors)
    if not (
        kind.is_active
        and kind.is_material
        and kind.recipient != InterventionType.Recipient.FAMILY
        and kind.county_code == school.county_code
    ):
        errors["type"] = _("Acest tip nu se distribuie pe listă (nu este ajutor material activ în catalog).")
    if any(q <= 0 or q > MAX_QUANTITY for q in ticks.values()):
        errors["quantity"] = _("Cantitatea trebuie să fie un număr întreg între 1 și %(max)d.") % {"max": MAX_QUANTITY}
    allowed = set(programme_children_of_school(school=school, day=day).values_list("pk", flat=True))
    if set(ticks) - allowed:
        errors["children"] = _("Lista cuprinde doar copiii din program ai școlii.")
    if errors:
        raise ValidationError(errors)
    delivery_list = DeliveryList.objects.select_for_update().filter(school=school, type=kind, day=day).first()
    if delivery_list is None:
        if not ticks:
            return Saved(0, 0, 0)
        delivery_list = DeliveryList.objects.create(school=school, type=kind, day=day, created_by=actor)
        saved: dict[int, tuple[int, int | None]] = {}
        created = True
    else:
        created = False
        saved = {c: (pk, q) for pk, c, q in delivery_list.interventions.values_list("pk", "child_id", "quantity")}
    removed = [pk for child_id, (pk, _q) in saved.items() if child_id not in ticks]
    changed = [
        Intervention(pk=saved[child_id][0], quantity=quantity)
        for child_id, quantity in ticks.items()
        if child_id in saved and saved[child_id][1] != quantity
    ]
    now = timezone.now()
    added = [
        (None, delivery_list.pk, None, child_id, kind.pk, day, actor.pk, Recipient.CHILD, quantity, "", now)
        for child_id, quantity in ticks.items()
        if child_id not in saved
    ]
    if removed:
        Intervention.objects.filter(pk__in=removed).delete()
    if changed:
        Intervention.objects.bulk_update(changed, ["quantity"])
    if added:
        rows_insert(Intervention, INTERVENTION_COLUMNS, added)
    result = Saved(added=len(added), changed=len(changed), removed=len(removed))
    if result.ticks_changed:
        if not created:
            delivery_list.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action="delivery_list.save",
            target=delivery_list,
            details={
                "school": school.pk,
                "type": kind.code,
                "day": day.isoformat(),
                "added": result.added,
                "changed": result.changed,
                "removed": result.removed,
                "ticks": len(ticks),
                "quantity": sum(ticks.values()),
            },
        )
    return result


def _check_group(
    *,
    name: str,
    kind: str,
    kind_type: InterventionType,
    weekdays: Collection[int],
    start: datetime.date,
    end: datetime.date,
    county_code: str,
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Scrieți denumirea grupei.")
    if kind not in ServiceGroup.Kind.values:
        errors["kind"] = _("Alegeți felul grupei.")
    if not group_types(county_codes=[county_code]).filter(pk=kind_type.pk).exists():
        errors["type"] = _("Alegeți un serviciu activ din catalog, pentru copil.")
    if not weekdays or any(d not in range(7) for d in weekdays):
        errors["weekdays"] = _("Alegeți cel puțin o zi a săptămânii.")
    if end < start:
        errors["end"] = _("Data de sfârșit nu poate fi înainte de început.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(
    *,
    school: School,
    name: str,
    kind: str,
    kind_type: InterventionType,
    weekdays: Collection[int],
    start: datetime.date,
    end: datetime.date,
    actor: User,
) -> ServiceGroup:
    if not can_create_groups(user=actor, school=school):
        raise ValidationError(_("Nu puteți crea grupe la această școală."))
    _check_group(
        name=name,
        kind=kind,
        kind_type=kind_type,
        weekdays=weekdays,
        start=start,
        end=end,
        county_code=school.county_code,
    )
    group = ServiceGroup.objects.create(
        school=school,
        name=name.strip(),
        kind=kind,
        type=kind_type,
        weekdays=sorted(set(weekdays)),
        start=start,
        end=end,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="service_group.create",
        target=group,
        details={"school": school.pk, "kind": kind, "type": kind_type.code, "weekdays": group.weekdays},
    )
    return group


@transaction.atomic
def group_enrol(*, group: ServiceGroup, child_ids: Collection[int], actor: User) -> Saved:
    """Set the group's children to `child_ids`, chosen from the programme's children of its school today (a child
    removed keeps the days attended)."""
    if not can_edit_group(user=actor, group=group):
        raise ValidationError(_("Nu puteți modifica această grupă."))
    day = min(timezone.localdate(), group.end)
    current = set(group.children.values_list("pk", flat=True))
    allowed = set(programme_children_of_school(school=group.school, day=day).values_list("pk", flat=True)) | current
    wanted = set(child_ids)
    if wanted - allowed:
        raise ValidationError({"children": _("În grupă se înscriu doar copiii din program ai școlii.")})
    added, removed = wanted - current, current - wanted
    if removed:
        group.children.remove(*removed)
    if added:
        group.children.add(*added)
    if added or removed:
        audit_record(
            actor=actor,
            action="service_group.enrol",
            target=group,
            details={"added": len(added), "removed": len(removed), "enrolled": len(wanted)},
        )
    return Saved(added=len(added), changed=0, removed=len(removed))


@transaction.atomic
def group_attendance_save(*, group: ServiceGroup, day: datetime.date, present: Collection[int], actor: User) -> Saved:
    """Save who attended the group on `day` (a meeting day of its schedule, not in the future): each child present
    is a service of the group's type that day; a child unticked loses it."""
    if not can_record_deliveries(user=actor, school=group.school):
        raise ValidationError(_("Nu puteți înregistra prezența la această grupă."))
    errors: dict[str, str] = {}
    _refuse_future(day, errors)
    if not group.meets_on(day):
        errors["day"] = _("Grupa nu are program în această zi.")
    enrolled = set(group.children.values_list("pk", flat=True))
    wanted = set(present)
    if wanted - enrolled:
        errors["children"] = _("Se bifează doar copiii înscriși în grupă.")
    if errors:
        raise ValidationError(errors)
    saved = dict(group.interventions.filter(delivered_on=day).values_list("child_id", "pk"))
    removed = [pk for child_id, pk in saved.items() if child_id not in wanted]
    quantity = 1 if group.type.is_material else None
    now = timezone.now()
    added = [
        (None, None, group.pk, child_id, group.type_id, day, actor.pk, Recipient.CHILD, quantity, "", now)
        for child_id in sorted(wanted - set(saved))
    ]
    if removed:
        Intervention.objects.filter(pk__in=removed).delete()
    if added:
        rows_insert(Intervention, INTERVENTION_COLUMNS, added)
    result = Saved(added=len(added), changed=0, removed=len(removed))
    if result.ticks_changed:
        audit_record(
            actor=actor,
            action="service_group.attendance",
            target=group,
            details={"day": day.isoformat(), "added": result.added, "removed": result.removed, "present": len(wanted)},
        )
    return result
