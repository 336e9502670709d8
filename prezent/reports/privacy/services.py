"""The writes of data-subject rights: the audit of an access export (a read of everything at once: who extracted
which child's data, in which format, how many rows of each kind — counts, never a value) and the retention
schedule applied in bulk."""

import datetime
import operator
from dataclasses import asdict, dataclass
from functools import reduce

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncYear

from prezent.accounts.models import User
from prezent.activities.models import CourseEnrolment
from prezent.cases.models import (
    Assessment,
    AssessmentNeed,
    Case,
    CaseAssignment,
    CaseNote,
    CaseStatus,
    CaseStep,
    HomeVisit,
    Intervention,
    InterventionPlan,
    PlannedService,
    PlanReview,
    Referral,
)
from prezent.children.models import Child, Enrolment, EthnicityDeclaration, Guardian, Household, OutOfSchool
from prezent.core.models import AccessLog, AuditEvent
from prezent.core.services import audit_record
from prezent.reports.privacy.retention import RetentionSchedule
from prezent.risk.models import ContactNote


def subject_export_record(*, actor: User, child: Child, fmt: str, counts: dict[str, int]) -> None:
    audit_record(
        actor=actor,
        action="child.subject_export",
        target=child,
        details={"format": fmt, "rows": sum(counts.values()), "sections": counts},
    )


# -- retention -----------------------------------------------------------------------------------------------------

ANONYMISED = "Anonimizat"


@dataclass
class RetentionReport:
    """What a run changed (or, in a dry run, would change): counts only."""

    dry_run: bool
    children: int = 0
    guardians: int = 0
    households: int = 0
    cases: int = 0
    texts_blanked: int = 0  # rows whose free text was emptied
    ethnicity_declarations: int = 0
    access_logs_deleted: int = 0
    audit_events_stripped: int = 0

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def _children_due(cutoff: datetime.date) -> QuerySet[Child]:
    """Children not yet anonymised who have a case, all of them closed before `cutoff`, no enrolment open or ended
    on or after it, and no record outside school open or closed on or after it."""
    recent_case = Case.objects.filter(child=OuterRef("pk")).filter(
        ~Q(status=CaseStatus.CLOSED) | Q(closed_on__gte=cutoff)
    )
    recent_enrolment = Enrolment.objects.filter(child=OuterRef("pk")).filter(Q(end__isnull=True) | Q(end__gte=cutoff))
    recent_outside = OutOfSchool.objects.filter(child=OuterRef("pk")).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff)
    )
    return Child.objects.filter(
        anonymised_on__isnull=True,
        pk__in=Case.objects.values("child_id"),
    ).exclude(Exists(recent_case) | Exists(recent_enrolment) | Exists(recent_outside))


def _blank(queryset: QuerySet, fields: tuple[str, ...], dry_run: bool) -> int:
    """Empty the free-text `fields` of the rows that still hold some; the number of rows."""
    holding = queryset.filter(reduce(operator.or_, (~Q(**{name: ""}) for name in fields)))
    if dry_run:
        return holding.count()
    return holding.update(**dict.fromkeys(fields, ""))


@transaction.atomic
def retention_apply(*, today: datetime.date, dry_run: bool = False, actor: User | None = None) -> RetentionReport:
    """Apply the retention schedule once, in bulk (a fixed number of statements whatever the number of rows):

    - children due (`_children_due`): names replaced, CNP removed, birth date kept to its year, `anonymised_on`
      set; their guardians who are no one else's (not-anonymised) guardian lose names, phone and e-mail; their
      households with no other child lose the address; their ethnicity declarations are deleted; the free text
      of their cases (notes, assessments, plans, visits, referrals, steps) and of their contact notes and records
      outside school is emptied. Attendance, marks, scores and the rows of the cases stay, for the programme's
      figures, linked to a record without a name.
    - access-log rows older than their cut-off are deleted;
    - audit events older than theirs lose the actor, the target's id and the details.

    A dry run counts and changes nothing; a real run writes one audit event with the counts."""
    cutoffs = RetentionSchedule.from_settings().cutoffs(today)
    report = RetentionReport(dry_run=dry_run)
    due_ids = list(_children_due(cutoffs.closed_case).values_list("pk", flat=True))
    report.children = len(due_ids)
    staying = Child.objects.filter(anonymised_on__isnull=True).exclude(pk__in=due_ids)
    guardians = (
        Guardian.objects.filter(guardianship__child_id__in=due_ids).exclude(guardianship__child__in=staying).distinct()
    )
    guardian_ids = list(guardians.values_list("pk", flat=True))
    report.guardians = len(guardian_ids)
    households = Household.objects.filter(children__pk__in=due_ids).exclude(children__in=staying).distinct()
    household_ids = list(households.values_list("pk", flat=True))
    report.households = len(household_ids)
    cases = Case.objects.filter(child_id__in=due_ids)
    report.cases = cases.count()
    in_cases = Q(case__child_id__in=due_ids)
    texts = [
        (cases, ("legal_basis_note", "closure_note")),
        (CaseStep.objects.filter(in_cases), ("reason",)),
        (CaseAssignment.objects.filter(in_cases), ("reason",)),
        (Assessment.objects.filter(in_cases), ("summary",)),
        (AssessmentNeed.objects.filter(assessment__case__child_id__in=due_ids), ("note",)),
        (InterventionPlan.objects.filter(in_cases), ("goals",)),
        (PlannedService.objects.filter(plan__case__child_id__in=due_ids), ("responsible", "note")),
        (PlanReview.objects.filter(plan__case__child_id__in=due_ids), ("notes",)),
        (Intervention.objects.filter(in_cases), ("notes",)),
        (HomeVisit.objects.filter(in_cases), ("outcome",)),
        (Referral.objects.filter(in_cases), ("reason", "answer")),
        (CaseNote.objects.filter(in_cases), ("text",)),
        (ContactNote.objects.filter(child_id__in=due_ids), ("outcome",)),
        (OutOfSchool.objects.filter(child_id__in=due_ids), ("note", "found_by")),
    ]
    report.texts_blanked = sum(_blank(queryset, fields, dry_run) for queryset, fields in texts)
    declarations = EthnicityDeclaration.objects.filter(Q(child_id__in=due_ids) | Q(guardian_id__in=guardian_ids))
    old_reads = AccessLog.objects.filter(at__date__lt=cutoffs.access_log)
    old_events = AuditEvent.objects.filter(at__date__lt=cutoffs.audit).filter(
        Q(actor__isnull=False) | ~Q(target_id="") | ~Q(details={})
    )
    if dry_run:
        report.ethnicity_declarations = declarations.count()
        report.access_logs_deleted = old_reads.count()
        report.audit_events_stripped = old_events.count()
        return report
    Child.objects.filter(pk__in=due_ids).update(
        first_name=ANONYMISED, last_name=ANONYMISED, cnp="", birth_date=TruncYear("birth_date"), anonymised_on=today
    )
    Guardian.objects.filter(pk__in=guardian_ids).update(
        first_name=ANONYMISED, last_name=ANONYMISED, phone="", phone_verified=False, email=""
    )
    CourseEnrolment.objects.filter(guardian_id__in=guardian_ids).update(name=ANONYMISED)
    Household.objects.filter(pk__in=household_ids).update(address="")
    report.ethnicity_declarations, _deleted = declarations.delete()
    report.access_logs_deleted, _deleted = old_reads.delete()
    report.audit_events_stripped = old_events.update(actor=None, target_id="", details={})
    audit_record(
        actor=actor,
        action="retention.apply",
        target_type="retention",
        target_id=today.isoformat(),
        details={
            **{key: value for key, value in report.as_dict().items() if key != "dry_run"},
            "closed_case_before": cutoffs.closed_case.isoformat(),
            "access_log_before": cutoffs.access_log.isoformat(),
            "audit_before": cutoffs.audit.isoformat(),
        },
    )
    return report
