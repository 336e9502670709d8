"""Writes to children and families. Every write is atomic and audited with ids only, never names."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.children.cnp import cnp_birth_date, cnp_is_valid
from prezent.children.models import (
    Child,
    Consent,
    Enrolment,
    EthnicityDeclaration,
    Guardian,
    Guardianship,
    Household,
    OutOfSchool,
    RectificationReason,
)
from prezent.children.permissions import can_edit_child_ethnicity
from prezent.children.selectors import child_possible_duplicates
from prezent.core.services import audit_record
from prezent.schools.models import ClassGroup


class DuplicateChildWarning(ValidationError):
    """Likely duplicates exist; the user must confirm before a new record is created."""

    def __init__(self, duplicates: list[Child]) -> None:
        super().__init__(_("Există deja un copil cu același CNP sau același nume și aceeași dată a nașterii."))
        self.duplicates = duplicates


def cnp_clean(cnp: str, *, birth_date: datetime.date | None = None) -> str:
    """Validate an optional CNP; return it stripped, or raise a clear message."""
    cnp = (cnp or "").strip()
    if not cnp:
        return ""
    if not cnp_is_valid(cnp):
        raise ValidationError({"cnp": _("CNP-ul nu este valid (13 cifre, cu cifra de control corectă).")})
    if birth_date and cnp_birth_date(cnp) != birth_date:
        raise ValidationError({"cnp": _("CNP-ul nu corespunde datei nașterii.")})
    return cnp


@transaction.atomic
def child_create(
    *,
    first_name: str,
    last_name: str,
    sex: str,
    birth_date: datetime.date,
    class_group: ClassGroup,
    start: datetime.date,
    cnp: str = "",
    household: Household | None = None,
    confirm_not_duplicate: bool = False,
    actor: User,
) -> Child:
    """Add a child and enrol them. Warns (raises DuplicateChildWarning) about likely duplicates unless confirmed.

    A duplicate CNP is never accepted, even when confirmed: the CNP identifies one person.
    """
    birth_date_check(birth_date)
    cnp = cnp_clean(cnp, birth_date=birth_date)
    if cnp and Child.objects.filter(cnp=cnp).exists():
        raise ValidationError({"cnp": _("Un copil cu acest CNP există deja.")})
    duplicates = child_possible_duplicates(first_name=first_name, last_name=last_name, birth_date=birth_date, cnp=cnp)
    if duplicates and not confirm_not_duplicate:
        raise DuplicateChildWarning(duplicates)
    child = Child.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        sex=sex,
        birth_date=birth_date,
        cnp=cnp,
        household=household or Household.objects.create(),
    )
    Enrolment.objects.create(child=child, class_group=class_group, start=start)
    audit_record(actor=actor, action="child.create", target=child, details={"class": class_group.pk})
    return child


def birth_date_check(birth_date: datetime.date) -> None:
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("Data nașterii nu poate fi în viitor.")})


@transaction.atomic
def child_update(*, child: Child, actor: User, reason: str = "", **fields: object) -> Child:
    """Change a child's identity fields. The audit lists which fields changed, not their values, and the reason's
    code (`RectificationReason`) when one is given.

    The birth date may not be in the future, and it must agree with the CNP: a new CNP is checked against the
    (new) birth date, and a new birth date against the CNP already stored. A CNP already held by another child is
    refused. On a refusal nothing changes.
    """
    allowed = {"first_name", "last_name", "sex", "birth_date", "cnp", "works"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    child = Child.objects.select_for_update().get(pk=child.pk)  # compare with what is stored
    birth = fields.get("birth_date", child.birth_date)
    assert isinstance(birth, datetime.date)
    if "birth_date" in fields:
        birth_date_check(birth)
    if "cnp" in fields:
        fields["cnp"] = cnp_clean(str(fields["cnp"]), birth_date=birth)
        if fields["cnp"] and Child.objects.filter(cnp=fields["cnp"]).exclude(pk=child.pk).exists():
            raise ValidationError({"cnp": _("Un copil cu acest CNP există deja.")})
    elif child.cnp and birth != child.birth_date and cnp_birth_date(child.cnp) != birth:
        raise ValidationError({"birth_date": _("Data nașterii nu corespunde CNP-ului înregistrat al copilului.")})
    changed = [name for name, value in fields.items() if getattr(child, name) != value]
    for name in changed:
        setattr(child, name, fields[name])
    if changed:
        child.full_clean()
        child.save(update_fields=[*changed, "updated_at"])
        details: dict[str, object] = {"fields": sorted(changed)}
        if reason:
            details["reason"] = rectification_reason_clean(reason)
        audit_record(actor=actor, action="child.update", target=child, details=details)
    return child


def rectification_reason_clean(reason: str) -> str:
    if reason not in RectificationReason.values:
        raise ValidationError({"reason": _("Alegeți motivul corectării din listă.")})
    return reason


PHONE_RE = re.compile(r"^\+?[0-9]{6,15}$")


def phone_clean(phone: str) -> str:
    """A phone number without spaces, dots or dashes: 6 to 15 digits, optionally after a "+"; empty is allowed."""
    phone = re.sub(r"[\s.\-()/]", "", phone or "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError({"phone": _("Numărul de telefon nu este valid (6–15 cifre, opțional cu + în față).")})
    return phone


@transaction.atomic
def guardian_update(
    *,
    guardianship: Guardianship,
    first_name: str,
    last_name: str,
    relationship: str,
    phone: str,
    reason: str,
    actor: User,
) -> Guardian:
    """Correct a guardian's name and phone and their relation to the child. A new phone number is not verified
    any more (an SMS needs a verified number, `risk.alerts.notices.consent_for_contact`). The audit lists the
    fields changed and the reason's code, never the values. On a refusal nothing changes."""
    reason = rectification_reason_clean(reason)
    errors: dict[str, str] = {}
    if not first_name.strip():
        errors["first_name"] = _("Scrieți prenumele.")
    if not last_name.strip():
        errors["last_name"] = _("Scrieți numele.")
    if relationship not in Guardianship.Relationship.values:
        errors["relationship"] = _("Alegeți relația cu copilul din listă.")
    if errors:
        raise ValidationError(errors)
    phone = phone_clean(phone)
    link = Guardianship.objects.select_for_update().select_related("guardian").get(pk=guardianship.pk)
    guardian = Guardian.objects.select_for_update().get(pk=link.guardian_id)
    values = {"first_name": first_name.strip(), "last_name": last_name.strip(), "phone": phone}
    changed = [name for name, value in values.items() if getattr(guardian, name) != value]
    for name in changed:
        setattr(guardian, name, values[name])
    if "phone" in changed and guardian.phone_verified:
        guardian.phone_verified = False
        changed.append("phone_verified")
    if changed:
        guardian.full_clean()
        guardian.save(update_fields=[*changed, "updated_at"])
    if link.relationship != relationship:
        link.relationship = relationship
        link.save(update_fields=["relationship"])
        changed.append("relationship")
    if changed:
        audit_record(
            actor=actor,
            action="guardian.update",
            target=guardian,
            details={"child": link.child_id, "fields": sorted(changed), "reason": reason},
        )
    return guardian


@transaction.atomic
def enrolment_move(
    *,
    child: Child,
    to_class: ClassGroup,
    on: datetime.date,
    reason: str = Enrolment.EndReason.MOVED_CLASS,
    actor: User,
) -> Enrolment:
    """Move a child to another class or school from `on`; the old enrolment ends the day before (history kept)."""
    if OutOfSchool.objects.filter(child=child, status=OutOfSchool.Status.OUTSIDE).exists():
        raise ValidationError(
            _("Copilul este înregistrat în afara școlii: reînscrieți-l din pagina acelei înregistrări.")
        )
    current = Enrolment.objects.select_for_update().filter(child=child, end__isnull=True).first()
    if current is not None:
        if current.class_group_id == to_class.pk:
            raise ValidationError(_("Copilul este deja înscris în această clasă."))
        if on <= current.start:
            raise ValidationError(_("Data mutării trebuie să fie după data înscrierii curente."))
        current.end = on - datetime.timedelta(days=1)
        current.end_reason = reason
        current.save(update_fields=["end", "end_reason"])
    enrolment = Enrolment.objects.create(child=child, class_group=to_class, start=on)
    audit_record(
        actor=actor,
        action="enrolment.move",
        target=child,
        details={"from_class": current.class_group_id if current else None, "to_class": to_class.pk},
    )
    return enrolment


@transaction.atomic
def guardian_add(
    *,
    child: Child,
    first_name: str,
    last_name: str,
    relationship: str,
    phone: str = "",
    is_primary_contact: bool = False,
    actor: User,
) -> Guardian:
    guardian = Guardian.objects.create(
        first_name=first_name.strip(), last_name=last_name.strip(), phone=phone.strip(), household=child.household
    )
    Guardianship.objects.create(
        child=child, guardian=guardian, relationship=relationship, is_primary_contact=is_primary_contact
    )
    audit_record(actor=actor, action="guardian.add", target=guardian, details={"child": child.pk})
    return guardian


@transaction.atomic
def consent_record(
    *,
    child: Child,
    purpose: str,
    legal_basis: str,
    given_on: datetime.date,
    guardian: Guardian | None = None,
    actor: User,
) -> Consent:
    if purpose == Consent.Purpose.ETHNICITY and not can_edit_child_ethnicity(user=actor, child=child):
        # who may not see the child's ethnicity does not learn or record that one is declared
        raise ValidationError(
            {"purpose": _("Nu puteți înregistra un consimțământ pentru declararea etniei acestui copil.")}
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Data consimțământului nu poate fi în viitor.")})
    consent = Consent.objects.create(
        child=child, guardian=guardian, purpose=purpose, legal_basis=legal_basis, given_on=given_on, recorded_by=actor
    )
    audit_record(actor=actor, action="consent.record", target=consent, details={"child": child.pk, "purpose": purpose})
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, on: datetime.date, actor: User) -> Consent:
    """Record that the guardian withdrew a consent on `on` (GDPR art. 7(3)), and who recorded it.

    The row stays, marked withdrawn: what was done before on its basis remains lawful and traceable; every check
    of an active consent (`withdrawn_on` empty) stops counting it from now on. On a refusal nothing changes.
    """
    consent = Consent.objects.select_for_update().get(pk=consent.pk)  # two people withdrawing at once: one wins
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Consimțământul a fost deja retras."))
    if on > timezone.localdate():
        raise ValidationError({"on": _("Data retragerii nu poate fi în viitor.")})
    if on < consent.given_on:
        raise ValidationError({"on": _("Retragerea nu poate fi înainte de data consimțământului.")})
    consent.withdrawn_on = on
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        actor=actor,
        action="consent.withdraw",
        target=consent,
        details={"child": consent.child_id, "purpose": consent.purpose},
    )
    return consent


@transaction.atomic
def ethnicity_declare(
    *,
    ethnicity: str,
    declared_on: datetime.date,
    legal_basis: str,
    child: Child | None = None,
    guardian: Guardian | None = None,
    actor: User | None,
) -> EthnicityDeclaration:
    """Record a self-declared ethnicity (special-category data). The audit never holds the value. A person
    records a child's only with an ethnicity role at the child's school (`can_edit_child_ethnicity`)."""
    if child is not None and actor is not None and not can_edit_child_ethnicity(user=actor, child=child):
        raise ValidationError(_("Nu puteți înregistra etnia acestui copil."))
    declaration, _created = EthnicityDeclaration.objects.update_or_create(
        child=child,
        guardian=guardian,
        defaults={
            "ethnicity": ethnicity,
            "declared_on": declared_on,
            "legal_basis": legal_basis,
            "recorded_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="ethnicity.declare",
        target_type="children.ethnicitydeclaration",
        target_id=declaration.pk,
        details={"child": child.pk if child else None, "guardian": guardian.pk if guardian else None},
    )
    return declaration


@transaction.atomic
def household_update(*, household: Household, data: dict, actor: User) -> Household:
    """Change a household's circumstances; the audit lists the fields changed, never their values."""
    household = Household.objects.select_for_update().get(pk=household.pk)  # compare with what is stored
    changed = [name for name, value in data.items() if getattr(household, name) != value]
    for name in changed:
        setattr(household, name, data[name])
    if changed:
        household.full_clean()
        household.save()
        audit_record(actor=actor, action="household.update", target=household, details={"fields": sorted(changed)})
    return household
