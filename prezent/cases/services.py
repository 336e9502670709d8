"""Every way a case changes (`grep -n "def case_"` and the other `<entity>_<verb>` functions below).

Each service is atomic, audited with ids and codes only, and refuses bad input with a clear Romanian message
(a ValidationError, keyed by form field where there is one) while changing nothing.
"""

import calendar as pycalendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from prezent.accounts.models import User
from prezent.cases.models import (
    CASE_TRANSITIONS,
    HANDOVER_REASONS,
    HOME_VISIT_CODE,
    REFERRAL_DUE_DAYS,
    SOCIAL_ASSISTANCE,
    Assessment,
    AssessmentNeed,
    Case,
    CaseAssignment,
    CaseNote,
    CaseStatus,
    CaseStep,
    ClosureReason,
    Confidentiality,
    Domain,
    HomeVisit,
    Intervention,
    InterventionPlan,
    InterventionType,
    PlannedService,
    PlanReview,
    Recipient,
    Referral,
    RemovalReason,
    RiskFactor,
)
from prezent.cases.permissions import CaseAccess, can_hand_over_case, can_reassign_case, can_remove_intervention
from prezent.cases.selectors import case_open_for_child, reassign_candidates
from prezent.children.models import Child, Consent, Enrolment
from prezent.core.services import audit_record
from prezent.programme.models import MembershipStatus, TargetGroupMembership
from prezent.risk.alerts.services import CASE_FILE_STEP, REFERRAL_STEP, alert_follow_up, alerts_close_done
from prezent.risk.models import Alert, AlertStatus, CloseReason, ContactNote

DEFAULT_REVIEW_MONTHS = 3

# DOMAIN.md "Services (the catalogue, configurable)": (code, label, recipient, material, unit).
DEFAULT_CATALOGUE: tuple[tuple[str, str, str, bool, str], ...] = (
    ("hot-meal", "Masă caldă", "child", True, "mese"),
    ("school-kit", "Rechizite școlare", "child", True, "pachete"),
    ("clothing", "Îmbrăcăminte / încălțăminte", "child", True, "articole"),
    ("transport", "Transport la școală", "child", True, "zile"),
    ("after-school", "After-school / sprijin la teme", "child", False, ""),
    ("remedial", "Lecții remediale", "child", False, ""),
    ("non-formal", "Activitate de educație nonformală", "child", False, ""),
    ("counselling", "Consiliere individuală", "child", False, ""),
    ("group-counselling", "Consiliere de grup", "child", False, ""),
    ("family-counselling", "Consiliere familială", "family", False, ""),
    (HOME_VISIT_CODE, "Vizită la domiciliu", "family", False, ""),
    ("parent-session", "Sesiune de educație parentală", "family", False, ""),
    ("mediation", "Mediere școlară", "both", False, ""),
    ("documents", "Sprijin pentru acte și beneficii sociale", "family", False, ""),
    ("referral", "Sesizare / îndrumare către alte servicii", "both", False, ""),
    ("second-chance", "Înscriere în „A doua șansă”", "child", False, ""),
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, pycalendar.monthrange(year, month)[1]))


def _not_in_future(day: datetime.date, field: str, errors: dict[str, str]) -> None:
    if day > timezone.localdate():
        errors[field] = _("Data nu poate fi în viitor.")


def _refuse_if_closed(case: Case) -> Case:
    """Re-read the case under a row lock; a closed case takes no new records."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("Cazul este închis: redeschideți-l înainte de a adăuga înregistrări."), code="closed")
    return locked


# -- the catalogue --------------------------------------------------------------------------------------------


@transaction.atomic
def intervention_types_load_defaults(*, county_code: str, actor: User | None = None) -> int:
    """Copy the shared default catalogue into `county_code`'s; types the county has (by code) keep what its
    coordinator set, and no other county's catalogue changes. Returns how many were created."""
    existing = set(InterventionType.objects.filter(county_code=county_code).values_list("code", flat=True))
    created = InterventionType.objects.bulk_create(
        [
            InterventionType(
                county_code=county_code,
                code=code,
                label=label,
                recipient=recipient,
                is_material=material,
                unit=unit,
                order=(i + 1) * 10,
            )
            for i, (code, label, recipient, material, unit) in enumerate(DEFAULT_CATALOGUE)
            if code not in existing
        ]
    )
    if created:
        audit_record(
            actor=actor,
            action="intervention_type.load_defaults",
            target_type="cases.interventiontype",
            target_id=county_code,
            details={"created": len(created), "county": county_code},
        )
    return len(created)


@transaction.atomic
def intervention_type_create(
    *, county_code: str, code: str, label: str, recipient: str, is_material: bool, unit: str = "", actor: User
) -> InterventionType:
    """Add a type to one county's catalogue (the code is unique inside the county)."""
    county_types = InterventionType.objects.filter(county_code=county_code)
    if county_types.filter(code=code).exists():
        raise ValidationError({"code": _("Există deja un tip de intervenție cu acest cod.")})
    if not label.strip():
        raise ValidationError({"label": _("Scrieți denumirea.")})
    order = (county_types.order_by("-order").values_list("order", flat=True).first() or 0) + 10
    kind = InterventionType.objects.create(
        county_code=county_code,
        code=code,
        label=label.strip(),
        recipient=recipient,
        is_material=is_material,
        unit=unit.strip(),
        order=order,
    )
    audit_record(
        actor=actor, action="intervention_type.create", target=kind, details={"code": code, "county": county_code}
    )
    return kind


@transaction.atomic
def intervention_type_set_active(*, kind: InterventionType, active: bool, actor: User) -> InterventionType:
    """Switch a type off (it stays on past records) or on again."""
    kind.is_active = active
    kind.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="intervention_type.set_active",
        target=kind,
        details={"active": active, "county": kind.county_code},
    )
    return kind


# -- the case and its states -----------------------------------------------------------------------------------


def _programme_membership(child: Child) -> TargetGroupMembership | None:
    return (
        TargetGroupMembership.objects.filter(
            child=child, status__in=(MembershipStatus.PROPOSED, MembershipStatus.INCLUDED)
        )
        .select_related("programme")
        .order_by("-since", "-pk")
        .first()
    )


def consent_for_case(*, child: Child, on: datetime.date) -> Consent | None:
    """A guardian's consent to take part in the programme, given by `on` and not withdrawn."""
    return (
        Consent.objects.filter(
            child=child,
            purpose=Consent.Purpose.PROGRAMME,
            legal_basis=Consent.LegalBasis.CONSENT,
            guardian__isnull=False,
            given_on__lte=on,
            withdrawn_on__isnull=True,
        )
        .order_by("-given_on", "-pk")
        .first()
    )


@transaction.atomic
def case_open(
    *,
    child: Child,
    opened_on: datetime.date,
    case_worker: User | None,
    legal_basis: str = Consent.LegalBasis.CONSENT,
    legal_basis_note: str = "",
    source_alert: Alert | None = None,
    actor: User,
) -> Case:
    """Open a case for a child of the target group (proposed or included).

    Needs the guardian's recorded consent to the programme or, without it, a recorded legal basis (public task,
    legal obligation, vital interest) with a short justification. One open case per child. An alert the case was
    opened from goes "in progress" on the case worker's list; the visit that answers it closes it."""
    errors: dict[str, str] = {}
    _not_in_future(opened_on, "opened_on", errors)
    membership = _programme_membership(child)
    if membership is None:
        errors["__all__"] = _("Copilul nu este propus sau inclus în grupul țintă al programului.")
    consent = None
    if legal_basis == Consent.LegalBasis.CONSENT:
        consent = consent_for_case(child=child, on=opened_on)
        if consent is None:
            errors["legal_basis"] = _(
                "Nu există consimțământul înregistrat al părintelui pentru participarea în program. Înregistrați-l "
                "pe pagina copilului sau alegeți alt temei legal și justificați-l."
            )
    elif legal_basis not in Consent.LegalBasis.values:
        errors["legal_basis"] = _("Alegeți temeiul legal.")
    elif not legal_basis_note.strip():
        errors["legal_basis_note"] = _("Fără consimțământ, scrieți pe scurt temeiul legal pentru deschiderea cazului.")
    if source_alert is not None and source_alert.child_id != child.pk:
        errors["__all__"] = _("Alerta nu este a acestui copil.")
    if errors:
        raise ValidationError(errors)
    if case_open_for_child(child=child) is not None:
        raise ValidationError(_("Copilul are deja un caz deschis."), code="duplicate")
    assert membership is not None
    enrolment = Enrolment.objects.filter(child=child).select_related("class_group").order_by("end", "-start").first()
    if enrolment is None:
        raise ValidationError(_("Copilul nu este înscris la nicio școală."))
    case = Case.objects.create(
        child=child,
        household_id=child.household_id,
        school_id=enrolment.class_group.school_id,
        programme=membership.programme,
        case_worker=case_worker,
        status=CaseStatus.OPEN,
        opened_on=opened_on,
        opened_by=actor,
        source_alert=source_alert,
        consent=consent,
        legal_basis=legal_basis,
        legal_basis_note=legal_basis_note.strip(),
    )
    CaseStep.objects.create(case=case, to_status=CaseStatus.OPEN, date=opened_on, actor=actor)
    if source_alert is not None and source_alert.status == AlertStatus.OPEN:
        Alert.objects.filter(pk=source_alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.IN_PROGRESS, assigned_to=case_worker or actor
        )
    # "open a case file" is done: its open alerts close, whoever had them (decision 38)
    closed = alerts_close_done(
        child_id=child.pk, code=CASE_FILE_STEP, reason=CloseReason.CASE_OPENED, on=opened_on, actor=actor
    )
    audit_record(
        actor=actor,
        action="case.open",
        target=case,
        details={
            "child": child.pk,
            "legal_basis": legal_basis,
            "consent": consent.pk if consent else None,
            "alert": source_alert.pk if source_alert else None,
            "alerts_closed": closed,
        },
    )
    return case


def _move(case: Case, to_status: str, on: datetime.date, reason: str, actor: User) -> Case:
    if to_status not in CASE_TRANSITIONS[case.status]:
        raise ValidationError(
            _("Trecerea din „%(a)s” în „%(b)s” nu este permisă.")
            % {"a": case.get_status_display(), "b": CaseStatus(to_status).label}
        )
    last = case.steps.order_by("-date", "-pk").values_list("date", flat=True).first()
    if last is not None and on < last:
        raise ValidationError({"on": _("Data nu poate fi înaintea ultimei schimbări de stare a cazului.")})
    from_status = case.status
    case.status = to_status
    CaseStep.objects.create(
        case=case, from_status=from_status, to_status=to_status, date=on, reason=reason, actor=actor
    )
    audit_record(actor=actor, action="case.transition", target=case, details={"from": from_status, "to": to_status})
    return case


@transaction.atomic
def case_transition(*, case: Case, to_status: str, on: datetime.date, reason: str = "", actor: User) -> Case:
    """Move a case along CASE_TRANSITIONS, except closing (that needs the coordinator: `case_close_request`,
    `case_close_approve`). Reopening a closed case clears its closure."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, str] = {}
    _not_in_future(on, "on", errors)
    if to_status == CaseStatus.CLOSED:
        errors["to_status"] = _("Închiderea unui caz se cere coordonatorului județean, cu motivul închiderii.")
    if locked.status == CaseStatus.CLOSED and not reason.strip():
        errors["reason"] = _("Scrieți de ce se redeschide cazul.")
    if errors:
        raise ValidationError(errors)
    reopening = locked.status == CaseStatus.CLOSED
    _move(locked, to_status, on, reason.strip(), actor)
    fields = ["status"]
    if reopening or locked.closure_requested_on:
        locked.closure_reason = ""
        locked.closure_note = ""
        locked.closure_requested_on = None
        locked.closure_requested_by = None
        locked.closure_approved_by = None
        locked.closed_on = None
        fields += [
            "closure_reason",
            "closure_note",
            "closure_requested_on",
            "closure_requested_by",
            "closure_approved_by",
            "closed_on",
        ]
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def case_close_request(*, case: Case, reason: str, note: str = "", on: datetime.date, actor: User) -> Case:
    """The case worker asks for closure with a reason; the county coordinator approves (or the case goes on)."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(on, "on", errors)
    if reason not in ClosureReason.values:
        errors["reason"] = _("Alegeți motivul închiderii.")
    elif reason in HANDOVER_REASONS:
        errors["reason"] = _("Predarea cazului se face cu „Predă cazul”, care înregistrează și cui a fost predat.")
    elif reason == ClosureReason.OTHER and not note.strip():
        errors["note"] = _("Pentru „alt motiv”, scrieți care este.")
    if on < locked.opened_on:
        errors["on"] = _("Data nu poate fi înainte de deschiderea cazului.")
    if errors:
        raise ValidationError(errors)
    locked.closure_reason = reason
    locked.closure_note = note.strip()
    locked.closure_requested_on = on
    locked.closure_requested_by = actor
    locked.save(update_fields=["closure_reason", "closure_note", "closure_requested_on", "closure_requested_by"])
    audit_record(actor=actor, action="case.close_request", target=locked, details={"reason": reason})
    return locked


@transaction.atomic
def case_close_approve(*, case: Case, on: datetime.date, actor: User) -> Case:
    """The county coordinator approves the requested closure: the case closes with its reason."""
    locked = _refuse_if_closed(case)
    if locked.closure_requested_on is None:
        raise ValidationError(_("Nu s-a cerut închiderea acestui caz."))
    if on < locked.closure_requested_on:
        raise ValidationError({"on": _("Aprobarea nu poate fi înainte de cererea de închidere.")})
    _move(locked, CaseStatus.CLOSED, on, str(ClosureReason(locked.closure_reason).label), actor)
    locked.closure_approved_by = actor
    locked.closed_on = on
    locked.save(update_fields=["status", "closure_approved_by", "closed_on"])
    audit_record(actor=actor, action="case.close_approve", target=locked, details={"reason": locked.closure_reason})
    return locked


@transaction.atomic
def case_close_reject(*, case: Case, actor: User) -> Case:
    """The coordinator sends the case back: the request is cleared and the case goes on."""
    locked = _refuse_if_closed(case)
    if locked.closure_requested_on is None:
        raise ValidationError(_("Nu s-a cerut închiderea acestui caz."))
    locked.closure_reason, locked.closure_note = "", ""
    locked.closure_requested_on, locked.closure_requested_by = None, None
    locked.save(update_fields=["closure_reason", "closure_note", "closure_requested_on", "closure_requested_by"])
    audit_record(actor=actor, action="case.close_reject", target=locked)
    return locked


@transaction.atomic
def case_reassign(
    *, case: Case, to_worker: User, on: datetime.date, reason: str, access: CaseAccess, actor: User
) -> CaseAssignment:
    """Move the case to another case worker: one of `reassign_candidates` (a case worker who sees the child), with
    a reason. The history row keeps who had it before; the new case worker finds it among their cases."""
    locked = _refuse_if_closed(case)
    if not can_reassign_case(user=actor, case=locked, access=access):
        raise ValidationError(
            _("Doar coordonatorul județean sau coordonatorul școlii mută un caz la alt responsabil."),
            code="not_allowed",
        )
    errors: dict[str, str] = {}
    _not_in_future(on, "on", errors)
    if on < locked.opened_on:
        errors["on"] = _("Data nu poate fi înainte de deschiderea cazului.")
    if not reason.strip():
        errors["reason"] = _("Scrieți de ce se mută cazul.")
    if to_worker.pk == locked.case_worker_id:
        errors["to_worker"] = _("Cazul este deja în lucru la această persoană.")
    elif not reassign_candidates(case=locked).filter(pk=to_worker.pk).exists():
        errors["to_worker"] = _("Alegeți un asistent social care lucrează la școala copilului.")
    last = CaseAssignment.objects.filter(case=locked).order_by("-date", "-pk").values_list("date", flat=True).first()
    if last is not None and on < last:
        errors["on"] = _("Data nu poate fi înaintea ultimei schimbări a responsabilului.")
    if errors:
        raise ValidationError(errors)
    assignment = CaseAssignment.objects.create(
        case=locked,
        from_worker_id=locked.case_worker_id,
        to_worker=to_worker,
        date=on,
        reason=reason.strip(),
        actor=actor,
    )
    locked.case_worker = to_worker
    locked.save(update_fields=["case_worker"])
    audit_record(
        actor=actor,
        action="case.reassign",
        target=locked,
        details={"from": assignment.from_worker_id, "to": to_worker.pk, "assignment": assignment.pk},
    )
    return assignment


HANDOVER_TARGETS = {"school": ClosureReason.HANDED_TO_SCHOOL, "spas": ClosureReason.HANDED_TO_SPAS}


@transaction.atomic
def case_hand_over(
    *,
    case: Case,
    to: str,
    institution_name: str,
    handed_over: str,
    on: datetime.date,
    access: CaseAccess,
    actor: User,
) -> Case:
    """Hand the case over at the end of the project's work: to the school (its coordinator or the form teacher) or
    to SPAS. A handover record (a referral marked `is_handover`, closed) says to whom, when and what was handed
    over; the closure reason is "predat școlii" / "predat SPAS". The county coordinator's handover closes the case
    at once; anyone else's is a closure request the coordinator approves."""
    locked = _refuse_if_closed(case)
    if not can_hand_over_case(user=actor, case=locked, access=access):
        raise ValidationError(_("Nu puteți preda acest caz."), code="not_allowed")
    errors: dict[str, str] = {}
    _not_in_future(on, "on", errors)
    if on < locked.opened_on:
        errors["on"] = _("Data nu poate fi înainte de deschiderea cazului.")
    if to not in HANDOVER_TARGETS:
        errors["to"] = _("Alegeți cui se predă cazul.")
    if not institution_name.strip():
        errors["institution_name"] = _("Scrieți cui se predă (de exemplu SPAS Ciurea sau Școala Gimnazială nr. 1).")
    if not handed_over.strip():
        errors["handed_over"] = _("Scrieți ce s-a predat (dosarul, planul, ce rămâne de urmărit).")
    if errors:
        raise ValidationError(errors)
    reason = HANDOVER_TARGETS[to]
    referral = Referral.objects.create(
        case=locked,
        institution=Referral.Institution.SPAS if to == "spas" else Referral.Institution.SCHOOL,
        institution_name=institution_name.strip(),
        sent_on=on,
        reason=handed_over.strip(),
        status=Referral.Status.CLOSED,
        is_handover=True,
        author=actor,
    )
    locked.closure_reason = reason
    locked.closure_note = institution_name.strip()[:500]
    locked.closure_requested_on = on
    locked.closure_requested_by = actor
    fields = ["closure_reason", "closure_note", "closure_requested_on", "closure_requested_by"]
    if access.approve:
        _move(locked, CaseStatus.CLOSED, on, str(reason.label), actor)
        locked.closure_approved_by = actor
        locked.closed_on = on
        fields += ["status", "closure_approved_by", "closed_on"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="case.hand_over",
        target=locked,
        details={"to": to, "referral": referral.pk, "closed": locked.is_closed},
    )
    return locked


# -- assessment and plan ---------------------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    case: Case,
    assessed_on: datetime.date,
    needs: dict[str, tuple[int, str]],
    risk_factors: list[str],
    summary: str = "",
    actor: User,
) -> Assessment:
    """An intake (the first) or a reassessment (every later one), with a need level in every domain."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(assessed_on, "assessed_on", errors)
    if assessed_on < locked.opened_on:
        errors["assessed_on"] = _("Evaluarea nu poate fi înainte de deschiderea cazului.")
    missing = [d for d in Domain.values if d not in needs]
    if missing:
        errors["__all__"] = _("Evaluați fiecare domeniu.")
    unknown = [f for f in risk_factors if f not in RiskFactor.values]
    if unknown:
        errors["risk_factors"] = _("Factor de risc necunoscut.")
    if errors:
        raise ValidationError(errors)
    previous = Assessment.objects.filter(case=locked).order_by("-assessed_on", "-pk").first()
    if previous is not None and assessed_on < previous.assessed_on:
        raise ValidationError({"assessed_on": _("Reevaluarea nu poate fi înaintea evaluării anterioare.")})
    assessment = Assessment.objects.create(
        case=locked,
        kind=Assessment.Kind.REASSESSMENT if previous else Assessment.Kind.INTAKE,
        assessed_on=assessed_on,
        risk_factors=sorted(set(risk_factors), key=RiskFactor.values.index),
        summary=summary.strip(),
        author=actor,
    )
    AssessmentNeed.objects.bulk_create(
        [
            AssessmentNeed(assessment=assessment, domain=domain, level=needs[domain][0], note=needs[domain][1].strip())
            for domain in Domain.values
        ]
    )
    audit_record(
        actor=actor,
        action="case.assessment",
        target=assessment,
        details={"case": locked.pk, "kind": assessment.kind, "previous": previous.pk if previous else None},
    )
    return assessment


@transaction.atomic
def plan_create(
    *,
    case: Case,
    drawn_up_on: datetime.date,
    goals: str,
    services: list[dict[str, Any]],
    review_every_months: int = DEFAULT_REVIEW_MONTHS,
    actor: User,
) -> InterventionPlan:
    """A new plan replaces the current one (which stays as history). Services: type, responsible, target_date."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(drawn_up_on, "drawn_up_on", errors)
    if drawn_up_on < locked.opened_on:
        errors["drawn_up_on"] = _("Planul nu poate fi întocmit înainte de deschiderea cazului.")
    if not goals.strip():
        errors["goals"] = _("Scrieți obiectivele planului.")
    if not 1 <= review_every_months <= 12:
        errors["review_every_months"] = _("Revizuirea se face la cel mult 12 luni.")
    if not services:
        errors["__all__"] = _("Planificați cel puțin un serviciu.")
    for service in services:
        if service["target_date"] < drawn_up_on:
            errors["__all__"] = _("Termenul unui serviciu nu poate fi înaintea datei planului.")
        if not str(service.get("responsible", "")).strip():
            errors["__all__"] = _("Scrieți cine răspunde de fiecare serviciu.")
    if errors:
        raise ValidationError(errors)
    InterventionPlan.objects.filter(case=locked, is_current=True).update(is_current=False)
    plan = InterventionPlan.objects.create(
        case=locked,
        drawn_up_on=drawn_up_on,
        goals=goals.strip(),
        review_every_months=review_every_months,
        next_review_on=add_months(drawn_up_on, review_every_months),
        author=actor,
    )
    PlannedService.objects.bulk_create(
        [
            PlannedService(
                plan=plan,
                type=s["type"],
                responsible=str(s["responsible"]).strip(),
                target_date=s["target_date"],
                note=str(s.get("note", "")).strip(),
            )
            for s in services
        ]
    )
    if locked.status == CaseStatus.OPEN:
        _move(locked, CaseStatus.ACTIVE, drawn_up_on, _("plan de intervenție întocmit"), actor)
        locked.save(update_fields=["status"])
    audit_record(actor=actor, action="case.plan", target=plan, details={"case": locked.pk, "services": len(services)})
    return plan


@transaction.atomic
def plan_review(
    *,
    plan: InterventionPlan,
    reviewed_on: datetime.date,
    notes: str,
    next_review_on: datetime.date | None = None,
    actor: User,
) -> PlanReview:
    """Review the current plan. The review date cannot be before the plan; the next one defaults to the plan's
    interval and must come after this review."""
    _refuse_if_closed(plan.case)
    locked = InterventionPlan.objects.select_for_update().get(pk=plan.pk)
    errors: dict[str, str] = {}
    _not_in_future(reviewed_on, "reviewed_on", errors)
    if not locked.is_current:
        errors["__all__"] = _("Se revizuiește doar planul în vigoare.")
    if reviewed_on < locked.drawn_up_on:
        errors["reviewed_on"] = _("Data revizuirii nu poate fi înaintea datei planului (%(date)s).") % {
            "date": locked.drawn_up_on.strftime("%d.%m.%Y")
        }
    if not notes.strip():
        errors["notes"] = _("Scrieți concluziile revizuirii.")
    next_on = next_review_on or add_months(reviewed_on, locked.review_every_months)
    if next_on <= reviewed_on:
        errors["next_review_on"] = _("Următoarea revizuire trebuie să fie după această revizuire.")
    if errors:
        raise ValidationError(errors)
    review = PlanReview.objects.create(
        plan=locked, reviewed_on=reviewed_on, notes=notes.strip(), next_review_on=next_on, author=actor
    )
    locked.next_review_on = next_on
    locked.save(update_fields=["next_review_on"])
    audit_record(actor=actor, action="case.plan_review", target=review, details={"plan": locked.pk})
    return review


# -- interventions, visits, referrals, notes --------------------------------------------------------------------


@transaction.atomic
def intervention_record(
    *,
    case: Case,
    kind: InterventionType,
    delivered_on: datetime.date,
    recipient: str,
    quantity: int | None = None,
    notes: str = "",
    actor: User,
) -> Intervention:
    """Record one delivery. Refused on a closed case, before the case opened, in the future, with a quantity that
    is not a positive whole number, or without a quantity for material help."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(delivered_on, "delivered_on", errors)
    if delivered_on < locked.opened_on:
        errors["delivered_on"] = _("Intervenția nu poate fi înainte de deschiderea cazului.")
    if not kind.is_active or kind.county_code != locked.school.county_code:
        errors["type"] = _("Acest tip de intervenție nu mai este în catalog.")
    if recipient not in Recipient.values:
        errors["recipient"] = _("Alegeți cui i s-a acordat.")
    if quantity is not None and quantity <= 0:
        errors["quantity"] = _("Cantitatea trebuie să fie un număr întreg pozitiv.")
    elif kind.is_material and quantity is None:
        errors["quantity"] = _("Pentru ajutor material, scrieți cantitatea (de exemplu 20 de mese).")
    if errors:
        raise ValidationError(errors)
    intervention = Intervention.objects.create(
        case=locked,
        child_id=locked.child_id,
        type=kind,
        delivered_on=delivered_on,
        delivered_by=actor,
        recipient=recipient,
        quantity=quantity,
        notes=notes.strip(),
    )
    if locked.status == CaseStatus.OPEN:
        _move(locked, CaseStatus.ACTIVE, delivered_on, _("prima intervenție"), actor)
        locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="case.intervention",
        target=intervention,
        details={"case": locked.pk, "type": kind.code, "quantity": quantity},
    )
    return intervention


@transaction.atomic
def intervention_remove(*, intervention: Intervention, reason: str, access: CaseAccess, actor: User) -> None:
    """Remove an intervention recorded by mistake, so the services delivered (and the funder's figures) are right.

    Only the person who recorded it, or someone who manages the case (`can_remove_intervention`, with `access` the
    actor's `case_access`), on a case that is not closed, with one of the reasons of RemovalReason. Refused with
    nothing changed otherwise. The audit keeps what was removed — type, date, quantity, reason — and never who the
    child is; periods already approved keep their figures (the change shows in the next one)."""
    assert intervention.case is not None  # a list's or a group's tick is removed by saving it again
    locked = _refuse_if_closed(intervention.case)
    if reason not in RemovalReason.values:
        raise ValidationError({"reason": _("Alegeți motivul anulării.")})
    if not can_remove_intervention(user=actor, intervention=intervention, access=access):
        raise ValidationError(
            _("Doar cine a înregistrat intervenția sau cine coordonează cazul o poate anula."), code="not_allowed"
        )
    removed = Intervention.objects.select_related("type").get(pk=intervention.pk, case=locked)
    audit_record(  # before the row goes, while it still has its id; the same transaction
        actor=actor,
        action="case.intervention_remove",
        target=removed,
        details={
            "case": locked.pk,
            "type": removed.type.code,
            "delivered_on": removed.delivered_on.isoformat(),
            "quantity": removed.quantity,
            "recorded_by": removed.delivered_by_id,
            "reason": reason,
        },
    )
    removed.delete()


@transaction.atomic
def visit_plan(*, case: Case, planned_on: datetime.date, actor: User) -> HomeVisit:
    locked = _refuse_if_closed(case)
    if planned_on < locked.opened_on:
        raise ValidationError({"planned_on": _("Vizita nu poate fi planificată înainte de deschiderea cazului.")})
    visit = HomeVisit.objects.create(case=locked, planned_on=planned_on, visitor=actor)
    audit_record(actor=actor, action="case.visit_plan", target=visit, details={"case": locked.pk})
    return visit


@transaction.atomic
def visit_record(
    *,
    case: Case,
    visited_on: datetime.date,
    outcome: str,
    parent_reached: bool,
    alert: Alert | None = None,
    visit: HomeVisit | None = None,
    actor: User,
) -> HomeVisit:
    """Record a home visit made (a planned one, or a new one) with its outcome.

    The visit is also the early warning's contact note of kind "home visit": when it answers an open alert of the
    child, `risk.alerts.alert_follow_up` records the note and closes the alert as followed up (and opens the next
    step when nobody was home); otherwise a contact note without an alert is written. A "home visit" intervention
    is recorded too, so the visit counts among the services delivered."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(visited_on, "visited_on", errors)
    if visited_on < locked.opened_on:
        errors["visited_on"] = _("Vizita nu poate fi înainte de deschiderea cazului.")
    if not outcome.strip():
        errors["outcome"] = _("Scrieți pe scurt rezultatul vizitei.")
    if alert is not None and (alert.child_id != locked.child_id or alert.status == AlertStatus.CLOSED):
        errors["alert"] = _("Alerta aleasă nu este o alertă deschisă a acestui copil.")
    if visit is not None and (visit.case_id != locked.pk or visit.status != HomeVisit.Status.PLANNED):
        errors["__all__"] = _("Vizita nu mai este planificată.")
    if errors:
        raise ValidationError(errors)
    if alert is not None:
        note = alert_follow_up(
            alert=alert,
            kind=ContactNote.Kind.HOME_VISIT,
            date=visited_on,
            outcome=outcome,
            parent_reached=parent_reached,
            actor=actor,
        )
    else:
        note = ContactNote.objects.create(
            child_id=locked.child_id,
            kind=ContactNote.Kind.HOME_VISIT,
            date=visited_on,
            outcome=outcome.strip(),
            parent_reached=parent_reached,
            author=actor,
        )
    if visit is None:
        visit = HomeVisit(case=locked, visitor=actor)
    visit.status = HomeVisit.Status.DONE
    visit.visited_on = visited_on
    visit.outcome = outcome.strip()
    visit.parent_reached = parent_reached
    visit.alert = alert
    visit.contact_note = note
    visit.save()
    kind = InterventionType.objects.filter(
        code=HOME_VISIT_CODE, is_active=True, county_code=locked.school.county_code
    ).first()
    if kind is not None:
        Intervention.objects.create(
            case=locked,
            child_id=locked.child_id,
            type=kind,
            delivered_on=visited_on,
            delivered_by=actor,
            recipient=Recipient.FAMILY,
        )
    if locked.status == CaseStatus.OPEN:
        _move(locked, CaseStatus.ACTIVE, visited_on, _("vizită la domiciliu"), actor)
        locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="case.visit",
        target=visit,
        details={
            "case": locked.pk,
            "alert": alert.pk if alert else None,
            "contact_note": note.pk,
            "parent_reached": parent_reached,
        },
    )
    return visit


@transaction.atomic
def referral_create(
    *,
    case: Case,
    institution: str,
    institution_name: str,
    sent_on: datetime.date,
    reason: str,
    due_on: datetime.date | None = None,
    actor: User,
) -> Referral:
    """A referral to an outside institution; the answer is due by `due_on` (REFERRAL_DUE_DAYS after sending when
    not given), after which it shows as overdue on the work page."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(sent_on, "sent_on", errors)
    if institution not in Referral.Institution.values or institution == Referral.Institution.SCHOOL:
        errors["institution"] = _("Alegeți instituția.")
    if not institution_name.strip():
        errors["institution_name"] = _("Scrieți denumirea instituției (de exemplu SPAS Ciurea).")
    if not reason.strip():
        errors["reason"] = _("Scrieți motivul sesizării.")
    if sent_on < locked.opened_on:
        errors["sent_on"] = _("Sesizarea nu poate fi înainte de deschiderea cazului.")
    due = due_on or sent_on + datetime.timedelta(days=REFERRAL_DUE_DAYS)
    if due < sent_on:
        errors["due_on"] = _("Termenul de răspuns nu poate fi înainte de trimiterea sesizării.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        case=locked,
        institution=institution,
        institution_name=institution_name.strip(),
        sent_on=sent_on,
        due_on=due,
        reason=reason.strip(),
        author=actor,
    )
    audit_record(
        actor=actor, action="case.referral", target=referral, details={"case": locked.pk, "institution": institution}
    )
    if institution in SOCIAL_ASSISTANCE:
        # the early warning's referral step is done: its open alert closes now, not the next night (decision 38)
        alerts_close_done(
            child_id=locked.child_id, code=REFERRAL_STEP, reason=CloseReason.REFERRAL_SENT, on=sent_on, actor=actor
        )
    return referral


@transaction.atomic
def referral_set_due(*, referral: Referral, due_on: datetime.date, actor: User) -> Referral:
    """Move the date by which the institution's answer is due (the institution asked for more time, say)."""
    _refuse_if_closed(referral.case)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.SENT or locked.is_handover:
        raise ValidationError(_("Sesizarea are deja răspuns."), code="answered")
    if due_on < locked.sent_on:
        raise ValidationError({"due_on": _("Termenul de răspuns nu poate fi înainte de trimiterea sesizării.")})
    previous = locked.due_on
    locked.due_on = due_on
    locked.save(update_fields=["due_on"])
    audit_record(
        actor=actor,
        action="case.referral_due",
        target=locked,
        details={"from": previous.isoformat() if previous else None, "to": due_on.isoformat()},
    )
    return locked


@transaction.atomic
def referral_answer(
    *, referral: Referral, answered_on: datetime.date, answer: str, close: bool = False, actor: User
) -> Referral:
    _refuse_if_closed(referral.case)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    errors: dict[str, str] = {}
    _not_in_future(answered_on, "answered_on", errors)
    if answered_on < locked.sent_on:
        errors["answered_on"] = _("Răspunsul nu poate fi înainte de trimiterea sesizării.")
    if not answer.strip():
        errors["answer"] = _("Scrieți pe scurt răspunsul instituției.")
    if errors:
        raise ValidationError(errors)
    locked.answered_on = answered_on
    locked.answer = answer.strip()
    locked.status = Referral.Status.CLOSED if close else Referral.Status.ANSWERED
    locked.save(update_fields=["answered_on", "answer", "status"])
    audit_record(actor=actor, action="case.referral_answer", target=locked, details={"status": locked.status})
    return locked


@transaction.atomic
def case_note_add(
    *, case: Case, text: str, confidentiality: str, written_on: datetime.date, may_write_confidential: bool, actor: User
) -> CaseNote:
    """A note in the case file. Only those who may read confidential notes may write one."""
    locked = _refuse_if_closed(case)
    errors: dict[str, str] = {}
    _not_in_future(written_on, "written_on", errors)
    if not text.strip():
        errors["text"] = _("Scrieți nota.")
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Alegeți cine poate citi nota.")
    elif confidentiality == Confidentiality.CONFIDENTIAL and not may_write_confidential:
        errors["confidentiality"] = _("Nu puteți scrie note confidențiale în acest caz.")
    if errors:
        raise ValidationError(errors)
    note = CaseNote.objects.create(
        case=locked, text=text.strip(), confidentiality=confidentiality, written_on=written_on, author=actor
    )
    audit_record(
        actor=actor, action="case.note", target=note, details={"case": locked.pk, "confidentiality": confidentiality}
    )
    return note


# -- the case file ---------------------------------------------------------------------------------------------

CASE_FILE_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #000; }
h1 { font-size: 15pt; text-align: center; margin: 6mm 0 1mm; letter-spacing: 0.05em; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
.subtitle { text-align: center; margin: 0 0 5mm; }
.muted { color: #333; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; }
.facts th { text-align: left; width: 38mm; vertical-align: top; padding: 1mm 2mm 1mm 0; }
.grid th, .grid td { border: 1px solid #777; padding: 1mm 2mm; text-align: left; vertical-align: top; }
.num { text-align: right; }
ul { margin: 0; padding-left: 5mm; }
.footer { margin-top: 8mm; font-size: 8.5pt; color: #333; }
"""


def case_file_pdf(*, context: dict[str, object]) -> bytes:
    """The case file as a PDF (WeasyPrint; DejaVu fonts carry ă â î ș ț), from the context the view assembled."""
    from weasyprint import CSS, HTML

    html = render_to_string("cases/case_file.html", context)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=CASE_FILE_CSS)])
    return pdf
